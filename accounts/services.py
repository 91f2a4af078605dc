"""Writes about people: registration, PINs, login cards, consent, erasure, audit."""

import hashlib
import secrets
import uuid
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose, Resident, Role, User
from lib.vntext import fold
from places.models import Commune, Hamlet, Organisation

RESIDENT_FIELDS = [
    "full_name",
    "birth_year",
    "sex",
    "hamlet_id",
    "phone",
    "has_disability",
    "is_poor_household",
]


def snapshot(obj, fields: Iterable[str]) -> dict:
    return {f: getattr(obj, f) for f in fields}


def audit_record(
    *, actor: User | None, action: str, target, before: dict | None = None, after=None
) -> None:
    """Log a write made by an official. Residents acting on their own data are not logged."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"audit action must be one of {AuditEntry.Action.values}, got {action!r}")
    if actor is None or actor.role == Role.RESIDENT:
        return
    AuditEntry.objects.create(
        commune_id=getattr(target, "commune_id", None) or actor.commune_id,
        actor=actor,
        action=action,
        target_type=target._meta.verbose_name,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        before=before,
        after=after,
    )


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """(old, new) values of only the keys that differ, for an audit entry."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def card_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def staff_user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    role: str,
    commune: Commune | None = None,
    organisation: Organisation | None = None,
    hamlet: Hamlet | None = None,
    province_code: int | None = None,
    actor: User | None = None,
) -> User:
    if role == Role.RESIDENT:
        raise ValueError("residents are registered with resident_register")
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        commune=commune,
        organisation=organisation,
        hamlet=hamlet,
        province_code=province_code if role == Role.PROVINCE else None,
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=user, after={"role": role})
    return user


def _find_duplicate(*, commune: Commune, hamlet: Hamlet, full_name: str, birth_year: int):
    return (
        Resident.objects.active()
        .filter(
            commune=commune, hamlet=hamlet, name_folded=fold(full_name)[:100], birth_year=birth_year
        )
        .first()
    )


@transaction.atomic
def resident_register(
    *,
    actor: User | None,
    hamlet: Hamlet,
    full_name: str,
    birth_year: int,
    sex: str,
    phone: str | None = None,
    pin: str = "",
    has_disability: bool = False,
    is_poor_household: bool = False,
    consents: Iterable[str] = (),
    client_key: uuid.UUID | None = None,
    allow_same_name: bool = False,
) -> Resident:
    """Register a resident, by themselves (actor None) or by an official on their behalf.

    A repeat with the same client_key returns the first result instead of a second record.
    """
    if client_key and (done := Resident.objects.filter(client_key=client_key).first()):
        return done
    commune = hamlet.commune
    full_name = " ".join(full_name.split())
    if not allow_same_name and _find_duplicate(
        commune=commune, hamlet=hamlet, full_name=full_name, birth_year=birth_year
    ):
        raise ValidationError(
            f"{hamlet.name} đã có người tên {full_name}, sinh năm {birth_year}. "
            "Nếu đúng là người khác trùng tên, hãy đánh dấu “Đây là người khác”.",
            code="duplicate",
        )
    if phone and Resident.objects.filter(phone=phone).exists():
        raise ValidationError(
            "Số điện thoại này đã được đăng ký. Hãy đăng nhập, hoặc nhờ tổ công nghệ số "
            "cộng đồng kiểm tra lại.",
            code="phone_taken",
        )
    user = User.objects.create(
        username=f"dan-{uuid.uuid4().hex[:12]}",
        full_name=full_name,
        role=Role.RESIDENT,
        commune=commune,
        password=make_password(None),
    )
    resident = Resident(
        commune=commune,
        hamlet=hamlet,
        user=user,
        full_name=full_name,
        name_folded=fold(full_name)[:100],
        birth_year=birth_year,
        sex=sex,
        phone=phone or None,
        pin_hash=make_password(pin) if pin else "",
        has_disability=has_disability,
        is_poor_household=is_poor_household,
        registered_by=actor,
        client_key=client_key,
    )
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError:
        raise ValidationError("Số điện thoại này đã được đăng ký.", code="phone_taken") from None
    method = Consent.Method.ASSISTED if actor else Consent.Method.SELF
    for purpose in Purpose.values:
        if purpose in consents:
            consent_set(
                resident=resident, purpose=purpose, granted=True, actor=actor, method=method
            )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=resident,
        after=snapshot(resident, RESIDENT_FIELDS),
    )
    return resident


@transaction.atomic
def resident_update(*, actor: User | None, resident: Resident, **fields) -> Resident:
    before = snapshot(resident, RESIDENT_FIELDS)
    for name, value in fields.items():
        if name not in RESIDENT_FIELDS and name != "hamlet":
            raise ValueError(f"{name} is not an editable resident field")
        setattr(resident, name, value)
    if "phone" in fields:
        resident.phone = fields["phone"] or None
        if (
            resident.phone
            and Resident.objects.filter(phone=resident.phone).exclude(pk=resident.pk).exists()
        ):
            raise ValidationError("Số điện thoại này đã được đăng ký.", code="phone_taken")
    resident.full_name = " ".join(resident.full_name.split())
    resident.name_folded = fold(resident.full_name)[:100]
    resident.save()
    if resident.user_id:
        resident.user.full_name = resident.full_name
        resident.user.save(update_fields=["full_name"])
    old, new = changes(before, snapshot(resident, RESIDENT_FIELDS))
    if new:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=resident, before=old, after=new
        )
    return resident


def resident_set_pin(*, actor: User | None, resident: Resident, pin: str) -> None:
    resident.pin_hash = make_password(pin)
    resident.save(update_fields=["pin_hash", "updated_at"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, target=resident, after={"pin": "đổi mã PIN"}
    )


def resident_issue_card(*, actor: User | None, resident: Resident) -> str:
    """Make a new login-card token (the old card stops working). Only its hash is stored."""
    token = secrets.token_urlsafe(18)
    resident.card_token_hash = card_token_hash(token)
    resident.save(update_fields=["card_token_hash", "updated_at"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, target=resident, after={"card": "in thẻ mới"}
    )
    return token


def consent_set(
    *, resident: Resident, purpose: str, granted: bool, actor: User | None, method: str
) -> Consent:
    if purpose not in Purpose.values:
        raise ValueError(f"unknown purpose {purpose}")
    consent = Consent.objects.create(
        commune_id=resident.commune_id,
        resident=resident,
        purpose=purpose,
        granted=granted,
        method=method,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=resident,
        after={f"consent:{purpose}": granted},
    )
    return consent


@transaction.atomic
def resident_erase(*, actor: User | None, resident: Resident) -> None:
    """Remove a resident's personal data; keep hamlet, sex and birth decade for anonymous counts."""
    user = resident.user
    resident.full_name = ""
    resident.name_folded = ""
    resident.phone = None
    resident.pin_hash = ""
    resident.card_token_hash = None
    resident.birth_year = resident.birth_year - resident.birth_year % 10
    resident.has_disability = False
    resident.is_poor_household = False
    resident.user = None
    resident.client_key = None
    resident.anonymised_at = timezone.now()
    resident.save()
    resident.consents.all().delete()
    # Contest entries copy a name and a phone number: they go with the person.
    resident.contest_registrations.all().delete()
    # What they wrote and what was written about them goes too; counts keep no names.
    for entry in resident.essay_entries.all():
        entry.votes.all().delete()
        entry.scores.all().delete()
        entry.photos.all().delete()
        entry.delete()
    resident.stories.all().delete()
    resident.scam_reports.update(resident=None, content="(đã xóa theo yêu cầu)", photo=None)
    # Audit rows about this person may hold their name; keep the fact, drop the content.
    AuditEntry.objects.filter(
        target_type=Resident._meta.verbose_name, target_id=str(resident.pk)
    ).update(target_repr="(đã xóa dữ liệu)", before=None, after=None)
    if user is not None:
        user.delete()
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, target=resident)
