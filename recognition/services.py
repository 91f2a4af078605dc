"""Writes for nominations: one function per workflow step, each checks permission and audits.

proposed → returned (comment) → proposed again (nomination_resubmit)
proposed → forwarded → decided (decision number and date) | rejected
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEntry, Resident, Role, User
from accounts.services import audit_record
from outreach.models import Team
from places.models import Organisation
from recognition.models import Nomination, NominationEvent
from recognition.selectors import (
    DECIDERS,
    PROPOSERS,
    REVIEWERS,
    evidence_key,
    evidence_options,
    nominee_residents_for_user,
    proposer_teams_for_user,
)

Status = Nomination.Status
DECISION_NUMBER = re.compile(r"^\d{1,5}/QĐ-UBND$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def normalise_decision_number(raw: str) -> str:
    """'45/QĐ-UBND' (NFC, no spaces); ValidationError when it is not of that form."""
    number = "".join(_nfc(raw).split()).upper()
    if not DECISION_NUMBER.match(number) or number.startswith("0/"):
        raise ValidationError(
            "Số quyết định phải có dạng “số/QĐ-UBND”, ví dụ 45/QĐ-UBND.", code="decision_number"
        )
    return number


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _checked_evidence(resident: Resident | None, keys: Iterable[str]) -> list[dict]:
    """The chosen records, taken from the resident's own records; a foreign key is refused."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    if resident is None:
        raise ValidationError("Tập thể không có minh chứng cá nhân.", code="evidence")
    by_key = {evidence_key(item): item for item in evidence_options(resident)}
    unknown = [k for k in keys if k not in by_key]
    if unknown:
        raise ValidationError(
            "Minh chứng không thuộc hồ sơ của người được đề nghị.", code="evidence"
        )
    return [by_key[k] for k in keys]


def _event(nomination: Nomination, actor: User, comment: str = "") -> None:
    NominationEvent.objects.create(
        commune_id=nomination.commune_id,
        nomination=nomination,
        actor=actor,
        status=nomination.status,
        comment=comment,
    )


def _locked(nomination: Nomination, actor: User) -> Nomination:
    _require(nomination.commune_id == actor.commune_id)
    return Nomination.objects.select_for_update().get(pk=nomination.pk)


def _move(nomination: Nomination, *, actor: User, to: str, comment: str, fields: list[str]):
    before = {"status": nomination.status}
    nomination.status = to
    nomination.save(update_fields=["status", "updated_at", *fields])
    _event(nomination, actor, comment)
    after = {"status": to, **{f: str(getattr(nomination, f)) for f in fields}}
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, target=nomination, before=before, after=after
    )
    return nomination


@transaction.atomic
def nomination_propose(
    *,
    actor: User,
    category: str,
    reasons: str,
    resident: Resident | None = None,
    collective_name: str = "",
    organisation: Organisation | None = None,
    team: Team | None = None,
    evidence_keys: Iterable[str] = (),
) -> Nomination:
    _require(actor.role in PROPOSERS and bool(actor.commune_id))
    collective_name = " ".join(_nfc(collective_name).split())
    reasons = _nfc(reasons)
    if (resident is None) == (not collective_name):
        raise ValidationError(
            "Hãy chọn một người dân hoặc ghi tên một tập thể (không chọn cả hai).", code="nominee"
        )
    if not reasons:
        raise ValidationError("Hãy ghi thành tích, lý do đề nghị.", code="reasons")
    if resident is not None:
        _require(nominee_residents_for_user(actor).filter(pk=resident.pk).exists())
    if actor.role == Role.OFFICER:
        organisation = actor.organisation
    if organisation is not None:
        _require(organisation.commune_id == actor.commune_id)
    if team is not None:
        _require(proposer_teams_for_user(actor).filter(pk=team.pk).exists())
    nomination = Nomination.objects.create(
        commune_id=actor.commune_id,
        category=category,
        resident=resident,
        collective_name=collective_name,
        proposed_by=actor,
        organisation=organisation,
        team=team,
        reasons=reasons,
        evidence=_checked_evidence(resident, evidence_keys),
    )
    _event(nomination, actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=nomination,
        after={"category": category, "nominee": nomination.nominee_name},
    )
    return nomination


@transaction.atomic
def nomination_resubmit(
    *,
    actor: User,
    nomination: Nomination,
    reasons: str,
    evidence_keys: Iterable[str] = (),
) -> Nomination:
    """A returned nomination, completed by its proposer (or a reviewer), goes back for review."""
    nomination = _locked(nomination, actor)
    _require(nomination.proposed_by_id == actor.pk or actor.role in REVIEWERS)
    if nomination.status != Status.RETURNED:
        raise ValidationError("Chỉ đề nghị đã bị trả lại mới gửi lại được.", code="status")
    reasons = _nfc(reasons)
    if not reasons:
        raise ValidationError("Hãy ghi thành tích, lý do đề nghị.", code="reasons")
    nomination.reasons = reasons
    nomination.evidence = _checked_evidence(nomination.resident, evidence_keys)
    return _move(
        nomination, actor=actor, to=Status.PROPOSED, comment="", fields=["reasons", "evidence"]
    )


@transaction.atomic
def nomination_return(*, actor: User, nomination: Nomination, comment: str) -> Nomination:
    _require(actor.role in REVIEWERS)
    nomination = _locked(nomination, actor)
    if nomination.status != Status.PROPOSED:
        raise ValidationError("Chỉ trả lại được đề nghị đang chờ xem xét.", code="status")
    comment = _nfc(comment)
    if not comment:
        raise ValidationError("Hãy ghi ý kiến để người đề nghị bổ sung.", code="comment")
    nomination.review_comment = comment
    return _move(
        nomination, actor=actor, to=Status.RETURNED, comment=comment, fields=["review_comment"]
    )


@transaction.atomic
def nomination_forward(*, actor: User, nomination: Nomination, comment: str = "") -> Nomination:
    _require(actor.role in REVIEWERS)
    nomination = _locked(nomination, actor)
    if nomination.status != Status.PROPOSED:
        raise ValidationError("Chỉ trình được đề nghị đang chờ xem xét.", code="status")
    comment = _nfc(comment)
    nomination.review_comment = comment
    return _move(
        nomination, actor=actor, to=Status.FORWARDED, comment=comment, fields=["review_comment"]
    )


@transaction.atomic
def nomination_decide(
    *, actor: User, nomination: Nomination, decision_number: str, decision_date: datetime.date
) -> Nomination:
    _require(actor.role in DECIDERS)
    nomination = _locked(nomination, actor)
    if nomination.status != Status.FORWARDED:
        raise ValidationError("Chỉ quyết định được đề nghị đã trình lãnh đạo.", code="status")
    number = normalise_decision_number(decision_number)
    if decision_date > timezone.localdate():
        raise ValidationError("Ngày quyết định không được sau hôm nay.", code="decision_date")
    nomination.decision_number = number
    nomination.decision_date = decision_date
    nomination.decided_by = actor
    return _move(
        nomination,
        actor=actor,
        to=Status.DECIDED,
        comment=f"Quyết định số {number} ngày {decision_date:%d/%m/%Y}",
        fields=["decision_number", "decision_date", "decided_by"],
    )


@transaction.atomic
def nomination_reject(*, actor: User, nomination: Nomination, comment: str) -> Nomination:
    """A reviewer rejects a pending proposal; a leader rejects a forwarded one."""
    nomination = _locked(nomination, actor)
    if actor.role in REVIEWERS:
        allowed = nomination.status == Status.PROPOSED
    else:
        _require(actor.role in DECIDERS)
        allowed = nomination.status == Status.FORWARDED
    if not allowed:
        raise ValidationError("Đề nghị này không ở bước có thể từ chối.", code="status")
    comment = _nfc(comment)
    if not comment:
        raise ValidationError("Hãy ghi lý do không khen thưởng.", code="comment")
    return _move(nomination, actor=actor, to=Status.REJECTED, comment=comment, fields=[])
