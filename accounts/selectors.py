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
        "hoạt động": resident_activity(resident),
    }


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def resident_activity(resident: Resident) -> list[dict]:
    """Every record the apps keep about a resident, one plain line each, oldest first."""
    rows = []

    def add(kind: str, moment, text: str) -> None:
        rows.append({"loại": kind, "lúc": moment, "nội dung": text})

    for a in resident.attempts.select_related("lesson"):
        result = "đạt" if a.passed else "chưa đạt"
        add("bài học", a.created_at, f"{a.lesson.title}: {a.correct}/{a.total} câu, {result}")
    for c in resident.certificates.all():
        add("chứng nhận", c.issued_at, f"{c.get_topic_display()} (mã {c.code})")
    for e in resident.external_courses.all():
        add("khóa học quốc gia", e.declared_at, f"{e.title}, xong ngày {e.completed_on:%d/%m/%Y}")
    for a in resident.attendances.select_related("session"):
        add("buổi hướng dẫn", a.created_at, f"{a.session.place}, {_when(a.session.starts_at)}")
    for t in resident.skill_ticks.all():
        state = "đã biết" if t.has_skill else "chưa biết"
        add("kỹ năng", t.recorded_at, f"{t.get_skill_display()}: {state}")
    for v in resident.visits.all():
        add("lần thăm, kèm cặp", v.created_at, v.done or v.next_step)
    for a in resident.contest_attempts.select_related("round__contest"):
        score = f"{a.score} điểm" if a.score is not None else "chưa nộp"
        add("cuộc thi trắc nghiệm", a.started_at, f"{a.round}: {score}")
    for r in resident.contest_registrations.select_related("contest"):
        details = ", ".join(str(x) for x in (r.full_name, r.birth_year, r.phone) if x)
        add("đăng ký dự thi", r.created_at, f"{r.contest.title}: {details}")
    for e in resident.essay_entries.select_related("contest"):
        add(
            "bài dự thi viết",
            e.created_at,
            f"{e.contest.title}: {e.title} ({e.get_status_display()})",
        )
    for n in resident.nominations.all():
        add(
            "đề nghị khen thưởng",
            n.created_at,
            f"{n.get_category_display()}: {n.get_status_display()}",
        )
    for r in resident.scam_reports.all():
        add("báo tin lừa đảo", r.created_at, f"{r.get_channel_display()}: {r.content}")
    for story in resident.stories.all():
        add("gương điển hình", story.created_at, f"{story.title} ({story.get_status_display()})")
    rows.sort(key=lambda row: row["lúc"])
    return [row | {"lúc": _when(row["lúc"])} for row in rows]
