"""Reads about nominations that depend on who is asking."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Resident, Role, User
from contests.models import Attempt
from learning.models import Certificate
from outreach.models import Attendance, Team, Visit
from recognition.models import Nomination

PROPOSERS = {Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER}
REVIEWERS = {Role.ADMIN, Role.COORDINATOR}
DECIDERS = {Role.LEADER}
VIEWERS = PROPOSERS | DECIDERS


def nominations_for_user(user: User) -> QuerySet[Nomination]:
    """Commune-wide for admin, coordinator and leader; one's own (and one's unit's) otherwise."""
    qs = Nomination.objects.select_related(
        "resident", "proposed_by", "organisation", "team", "decided_by", "commune"
    )
    if not user.commune_id or user.role not in VIEWERS:
        return qs.none()
    qs = qs.filter(commune_id=user.commune_id)
    if user.role in REVIEWERS | DECIDERS:
        return qs
    if user.role == Role.OFFICER and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id) | qs.filter(proposed_by=user)
    return qs.filter(proposed_by=user)


def get_nomination_for_user(user: User, nomination_id: int) -> Nomination:
    return get_object_or_404(nominations_for_user(user), pk=nomination_id)


def nominee_residents_for_user(user: User) -> QuerySet[Resident]:
    """Residents a user may nominate: a volunteer their hamlet, others the whole commune."""
    if not user.commune_id or user.role not in PROPOSERS:
        return Resident.objects.none()
    qs = Resident.objects.active().filter(commune_id=user.commune_id).select_related("hamlet")
    if user.role == Role.VOLUNTEER:
        return qs.filter(hamlet_id=user.hamlet_id) if user.hamlet_id else qs.none()
    return qs.order_by("name_folded", "id")


def proposer_teams_for_user(user: User) -> QuerySet[Team]:
    """Teams a volunteer may propose on behalf of (the teams of their hamlet)."""
    if user.role != Role.VOLUNTEER or not user.hamlet_id:
        return Team.objects.none()
    return Team.objects.filter(commune_id=user.commune_id, hamlet_id=user.hamlet_id)


def evidence_options(resident: Resident) -> list[dict]:
    """The resident's own platform records that may back a nomination, built server-side:
    certificates, sessions attended, mentoring visits and submitted official contest attempts
    (practice rounds never count)."""
    options: list[dict] = []
    certificates = Certificate.objects.filter(
        resident=resident, commune_id=resident.commune_id, revoked_at__isnull=True
    ).order_by("issued_at", "id")
    for c in certificates:
        label = f"Chứng nhận “{c.get_topic_display()}” ({c.issued_at:%d/%m/%Y})"
        options.append({"kind": "certificate", "id": c.pk, "label": label})
    attendances = (
        Attendance.objects.filter(resident=resident, commune_id=resident.commune_id)
        .select_related("session")
        .order_by("session__starts_at", "id")
    )
    for a in attendances:
        s = a.session
        label = f"Dự buổi hướng dẫn tại {s.place} ({s.starts_at:%d/%m/%Y})"
        options.append({"kind": "attendance", "id": a.pk, "label": label})
    visits = Visit.objects.filter(resident=resident, commune_id=resident.commune_id).order_by(
        "visited_on", "id"
    )
    for v in visits:
        label = f"Được kèm cặp tại nhà ngày {v.visited_on:%d/%m/%Y}: {v.done[:80]}"
        options.append({"kind": "visit", "id": v.pk, "label": label})
    attempts = (
        Attempt.objects.filter(
            resident=resident,
            commune_id=resident.commune_id,
            round__commune_id=resident.commune_id,
            is_practice=False,
            submitted_at__isnull=False,
            score__isnull=False,
        )
        .select_related("round__contest")
        .order_by("submitted_at", "id")
    )
    for a in attempts:
        r = a.round
        label = (
            f"Dự thi “{r.contest.title}” đợt {r.number}: đúng {a.score}/{len(a.question_ids)} "
            f"câu ({timezone.localtime(a.submitted_at):%d/%m/%Y})"
        )
        options.append({"kind": "contest", "id": a.pk, "label": label})
    return options


def evidence_key(item: dict) -> str:
    return f"{item['kind']}:{item['id']}"
