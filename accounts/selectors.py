"""Reads that summarise people for dashboards and for a resident's own data."""

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Consent, Purpose, Resident
from places.models import Commune


def _elderly_cutoff() -> int:
    return timezone.localdate().year - settings.ELDERLY_AGE


def current_consents(resident: Resident) -> dict[str, Consent | None]:
    """The consent in force for each purpose (None: never asked, which means no)."""
    latest: dict[str, Consent | None] = dict.fromkeys(Purpose.values)
    for consent in resident.consents.all():  # ordered newest first
        if latest[consent.purpose] is None:
            latest[consent.purpose] = consent
    return latest


def granted_purposes(resident: Resident) -> set[str]:
    return {p for p, c in current_consents(resident).items() if c is not None and c.granted}


def hamlet_summary(commune: Commune) -> list[dict]:
    cutoff = _elderly_cutoff()
    rows = (
        Resident.objects.filter(commune=commune)  # erased residents still count, anonymously
        .values("hamlet__name")
        .annotate(
            total=Count("id"),
            elderly=Count("id", filter=Q(birth_year__lte=cutoff)),
            disability=Count("id", filter=Q(has_disability=True)),
            poor=Count("id", filter=Q(is_poor_household=True)),
            with_phone=Count("id", filter=Q(phone__isnull=False)),
        )
        .order_by("hamlet__name")
    )
    return list(rows)


def commune_totals(commune: Commune) -> dict:
    cutoff = _elderly_cutoff()
    return Resident.objects.filter(
        commune=commune
    ).aggregate(  # erased residents still count, anonymously
        total=Count("id"),
        elderly=Count("id", filter=Q(birth_year__lte=cutoff)),
        disability=Count("id", filter=Q(has_disability=True)),
        poor=Count("id", filter=Q(is_poor_household=True)),
        with_phone=Count("id", filter=Q(phone__isnull=False)),
    )


def province_summary(communes) -> list[dict]:
    cutoff = _elderly_cutoff()
    return list(
        communes.annotate(
            total=Count("residents", distinct=True),
            elderly=Count(
                "residents",
                distinct=True,
                filter=Q(residents__birth_year__lte=cutoff),
            ),
            hamlet_count=Count("hamlets", distinct=True),
        ).order_by("name")
    )


def resident_data_export(resident: Resident) -> dict:
    """Everything the platform holds about a resident, in plain words."""
    return {
        "họ và tên": resident.full_name,
        "năm sinh": resident.birth_year,
        "giới tính": resident.get_sex_display(),
        "xã": resident.commune.name,
        "xóm": resident.hamlet.name,
        "số điện thoại": resident.phone or "",
        "người khuyết tật": resident.has_disability,
        "hộ nghèo, cận nghèo": resident.is_poor_household,
        "đăng ký lúc": timezone.localtime(resident.created_at).strftime("%d/%m/%Y %H:%M"),
        "đăng ký giúp bởi": str(resident.registered_by) if resident.registered_by else "",
        "đồng ý": [
            {
                "mục đích": c.get_purpose_display(),
                "đồng ý": c.granted,
                "cách ghi nhận": c.get_method_display(),
                "lúc": timezone.localtime(c.recorded_at).strftime("%d/%m/%Y %H:%M"),
            }
            for c in resident.consents.all()
        ],
    }
