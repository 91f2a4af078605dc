"""Field work with people: the skill checklist, assignments, visits, 1-1 mentoring, targets.

Writes (``<entity>_<verb>``) are idempotent: a replayed client key or a repeated pairing
returns the first result. Writes by officials are audited against the resident, so erasing a
resident's data also scrubs those audit rows. Reads that depend on the asker are scoped here.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Resident, Role, User
from accounts.services import audit_record
from outreach.access import is_team_leader
from outreach.models import Assignment, CoverageTarget, Mentorship, SkillTick, Visit
from outreach.services import skill_tick_record
from outreach.skills import SKILLS
from places.models import Commune

# -- Who may do what ---------------------------------------------------------------------------


def can_assign(user: User, resident: Resident) -> bool:
    """Coordinators and admins of the commune; a team leader (tổ trưởng, tổ phó) of the hamlet."""
    if not user.is_authenticated or user.commune_id != resident.commune_id:
        return False
    if user.role in {Role.ADMIN, Role.COORDINATOR}:
        return True
    return user.hamlet_id == resident.hamlet_id and is_team_leader(user)


def hamlet_volunteers(*, commune_id: int, hamlet_ids) -> QuerySet[User]:
    return User.objects.filter(
        commune_id=commune_id, role=Role.VOLUNTEER, hamlet_id__in=hamlet_ids, is_active=True
    ).order_by("full_name", "username")


def _check_volunteer(volunteer: User, resident: Resident) -> None:
    if (
        volunteer.role != Role.VOLUNTEER
        or volunteer.commune_id != resident.commune_id
        or volunteer.hamlet_id != resident.hamlet_id
    ):
        raise ValidationError(
            f"{volunteer} không phải tình nguyện viên của {resident.hamlet.name}.",
            code="wrong_volunteer",
        )


# -- Skill checklist ---------------------------------------------------------------------------


def checklist_tick(
    *,
    resident: Resident,
    skill: str,
    has_skill: bool,
    source: str,
    actor: User,
    client_key: uuid.UUID,
) -> tuple[SkillTick, bool]:
    """Append one observation (has_skill False unticks). (tick, created); a replay creates none."""
    if done := SkillTick.objects.filter(client_key=client_key).first():
        return done, False
    tick = skill_tick_record(
        resident=resident,
        skill=skill,
        source=source,
        actor=actor,
        client_key=client_key,
        has_skill=has_skill,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=resident,
        after={f"kỹ năng:{skill}": has_skill, "nguồn": source},
    )
    return tick, True


@dataclass
class ChecklistRow:
    key: str
    label: str
    tick: SkillTick | None

    @property
    def has_skill(self) -> bool:
        return self.tick is not None and self.tick.has_skill

    @property
    def verified(self) -> bool:
        return self.has_skill and self.tick.source == SkillTick.Source.VERIFIED


def checklist_of(resident: Resident) -> list[ChecklistRow]:
    """Every skill with its latest tick (None: never recorded). One query."""
    latest: dict[str, SkillTick] = {}
    for tick in resident.skill_ticks.select_related("recorded_by").order_by("-recorded_at", "-id"):
        latest.setdefault(tick.skill, tick)
    return [ChecklistRow(key, label, latest.get(key)) for key, label in SKILLS.items()]


# -- Assignments and visits --------------------------------------------------------------------


@transaction.atomic
def assignment_create(*, actor: User, resident: Resident, volunteer: User) -> Assignment:
    """Ask a volunteer of the resident's hamlet to visit them. One open assignment per resident."""
    _check_volunteer(volunteer, resident)
    if open_one := Assignment.objects.filter(resident=resident, done_at__isnull=True).first():
        if open_one.volunteer_id == volunteer.pk:
            return open_one
        raise ValidationError(
            f"{resident.full_name} đã được giao cho {open_one.volunteer}.", code="already_assigned"
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                commune_id=resident.commune_id,
                resident=resident,
                volunteer=volunteer,
                assigned_by=actor,
            )
    except IntegrityError:  # assigned by someone else at the same moment
        assignment = Assignment.objects.get(resident=resident, done_at__isnull=True)
        if assignment.volunteer_id != volunteer.pk:
            raise ValidationError(
                f"{resident.full_name} đã được giao cho {assignment.volunteer}.",
                code="already_assigned",
            ) from None
        return assignment
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=resident,
        after={"giao cho": str(volunteer)},
    )
    return assignment


def open_assignments(volunteer: User) -> QuerySet[Assignment]:
    """Việc được giao: residents this volunteer was asked to visit."""
    return (
        Assignment.objects.filter(
            volunteer=volunteer, commune_id=volunteer.commune_id, done_at__isnull=True
        )
        .select_related("resident__hamlet", "assigned_by")
        .order_by("assigned_at", "id")
    )


@transaction.atomic
def visit_log(
    *,
    volunteer: User,
    resident: Resident,
    done: str,
    client_key: uuid.UUID,
    next_step: str = "",
    visited_on: date | None = None,
) -> tuple[Visit, bool]:
    """Record a visit. (visit, created); a replayed client key records nothing new.

    The visit joins the volunteer's open mentorship of the resident, if any, and closes the
    volunteer's open assignment to visit them.
    """
    if prior := Visit.objects.filter(client_key=client_key).first():
        return prior, False
    if volunteer.commune_id != resident.commune_id:
        raise ValueError("volunteer and resident belong to different communes")
    mentorship = Mentorship.objects.filter(
        volunteer=volunteer, resident=resident, ended_on__isnull=True
    ).first()
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                commune_id=resident.commune_id,
                resident=resident,
                volunteer=volunteer,
                mentorship=mentorship,
                visited_on=visited_on or timezone.localdate(),
                done=done,
                next_step=next_step,
                client_key=client_key,
            )
    except IntegrityError:  # the same visit arrived twice at once
        return Visit.objects.get(client_key=client_key), False
    Assignment.objects.filter(resident=resident, volunteer=volunteer, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    audit_record(
        actor=volunteer,
        action=AuditEntry.Action.UPDATE,
        target=resident,
        after={"thăm": visit.visited_on.isoformat()},
    )
    return visit, True


# -- 1-1 mentoring -----------------------------------------------------------------------------


@transaction.atomic
def mentorship_start(
    *, actor: User, volunteer: User, resident: Resident, goals: list[str]
) -> tuple[Mentorship, bool]:
    """Pair a volunteer with a resident. (mentorship, created); an open pair is returned as is."""
    _check_volunteer(volunteer, resident)
    unknown = set(goals) - set(SKILLS)
    if unknown:
        raise ValueError(f"unknown skills {sorted(unknown)}")
    if open_one := Mentorship.objects.filter(
        volunteer=volunteer, resident=resident, ended_on__isnull=True
    ).first():
        return open_one, False
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(
                commune_id=resident.commune_id,
                volunteer=volunteer,
                resident=resident,
                goals=[g for g in SKILLS if g in goals],
            )
    except IntegrityError:
        return Mentorship.objects.get(
            volunteer=volunteer, resident=resident, ended_on__isnull=True
        ), False
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=resident,
        after={"kèm cặp": str(volunteer), "mục tiêu": mentorship.goals},
    )
    return mentorship, True


def mentorship_end(*, actor: User, mentorship: Mentorship) -> Mentorship:
    if mentorship.ended_on is None:
        mentorship.ended_on = timezone.localdate()
        mentorship.save(update_fields=["ended_on", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=mentorship.resident,
            after={"kết thúc kèm cặp": str(mentorship.volunteer)},
        )
    return mentorship


def _with_last_visit(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    last = Visit.objects.filter(mentorship=OuterRef("pk")).order_by("-visited_on", "-id")
    return mentorships.annotate(
        last_visit=Subquery(last.values("visited_on")[:1]),
        seen_on=Coalesce(Subquery(last.values("visited_on")[:1]), F("started_on")),
    )


def mentorships_for_user(user: User) -> QuerySet[Mentorship]:
    """A volunteer sees their own mentees; coordinators and admins the whole commune."""
    if not user.commune_id:
        return Mentorship.objects.none()
    mentorships = Mentorship.objects.filter(commune_id=user.commune_id).select_related(
        "resident__hamlet", "volunteer"
    )
    if user.role in {Role.ADMIN, Role.COORDINATOR}:
        return _with_last_visit(mentorships)
    if user.role == Role.VOLUNTEER:
        return _with_last_visit(mentorships.filter(volunteer=user))
    return Mentorship.objects.none()


def get_mentorship_for_user(user: User, mentorship_id: int) -> Mentorship:
    return get_object_or_404(mentorships_for_user(user), pk=mentorship_id)


def overdue_mentorships(
    *, commune: Commune | None = None, today: date | None = None
) -> QuerySet[Mentorship]:
    """Open mentorships whose mentee was not visited for MENTORING_REMINDER_DAYS or more."""
    due = (today or timezone.localdate()) - timedelta(days=settings.MENTORING_REMINDER_DAYS)
    mentorships = Mentorship.objects.filter(ended_on__isnull=True).select_related(
        "resident__hamlet", "volunteer"
    )
    if commune is not None:
        mentorships = mentorships.filter(commune=commune)
    return (
        _with_last_visit(mentorships)
        .filter(seen_on__lte=due)
        .order_by("volunteer_id", "seen_on", "id")
    )


def overdue_mentees(volunteer: User, *, today: date | None = None) -> list[Mentorship]:
    """The volunteer's mentees to visit soon, longest-waiting first; `days` is set on each."""
    today = today or timezone.localdate()
    rows = list(
        overdue_mentorships(today=today)
        .filter(volunteer=volunteer, commune_id=volunteer.commune_id)
        .order_by("seen_on", "id")
    )
    for m in rows:
        m.days = (today - m.seen_on).days
    return rows


@dataclass
class ProgressEntry:
    tick: SkillTick
    label: str
    is_goal: bool


def mentee_progress(mentorship: Mentorship) -> dict:
    """The mentee's goals now, and every skill tick ever recorded for them, oldest first."""
    checklist = checklist_of(mentorship.resident)
    goals = [row for row in checklist if row.key in mentorship.goals]
    ticks = mentorship.resident.skill_ticks.select_related("recorded_by").order_by(
        "recorded_at", "id"
    )
    return {
        "goals": goals,
        "goals_met": sum(row.has_skill for row in goals),
        "timeline": [
            ProgressEntry(tick=t, label=SKILLS[t.skill], is_goal=t.skill in mentorship.goals)
            for t in ticks
        ],
    }


# -- Targets -----------------------------------------------------------------------------------


def coverage_target_set(
    *, actor: User, commune: Commune, skill: str, year: int, percent: int
) -> CoverageTarget:
    if skill not in SKILLS:
        raise ValueError(f"unknown skill {skill}")
    target = CoverageTarget.objects.filter(commune=commune, skill=skill, year=year).first()
    before = {"phần trăm": target.percent} if target else None
    if target is None:
        target = CoverageTarget.objects.create(
            commune=commune, skill=skill, year=year, percent=percent
        )
    elif target.percent != percent:
        target.percent = percent
        target.save(update_fields=["percent"])
    else:
        return target
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        target=target,
        before=before,
        after={"phần trăm": percent, "năm": year, "kỹ năng": skill},
    )
    return target
