"""Reads for the coverage picture ("không ai bị bỏ lại phía sau").

Everything here is aggregated in the database: one query for the residents of every hamlet,
one for the latest skill tick per resident and skill, however many residents there are.

A resident counts as *reached* once they attended a session, were visited, have any skill
tick or passed a lesson. Counts include residents who erased their data (they keep hamlet
and birth decade for anonymous counts, as on the other dashboards); the not-reached list
names only residents whose data is still held.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.utils import timezone

from accounts.access import residents_for_user
from accounts.models import Resident, Role, User
from learning.models import Attempt
from lib.vntext import name_sort_key
from outreach.models import Assignment, Attendance, CoverageTarget, SkillTick, Visit
from outreach.skills import DEFAULT_TARGETS, SKILLS, WORKING_AGE
from places.models import Commune, Hamlet

COVERAGE_VIEWERS = (Role.ADMIN, Role.COORDINATOR, Role.LEADER, Role.VOLUNTEER)
TARGET_SKILL = "public_service"  # Đề án 146/QĐ-TTg


def _year() -> int:
    return timezone.localdate().year


def working_age_q(prefix: str = "") -> Q:
    """Age (this year minus birth year) within WORKING_AGE: lower inclusive, upper exclusive."""
    low, high = WORKING_AGE
    year = _year()
    return Q(**{f"{prefix}birth_year__lte": year - low, f"{prefix}birth_year__gt": year - high})


def reached_q() -> Q:
    """True for a resident (outer row) who attended, was visited, has a tick or passed a lesson."""
    me = OuterRef("pk")
    return Q(
        Exists(Attendance.objects.filter(resident=me))
        | Exists(Visit.objects.filter(resident=me))
        | Exists(SkillTick.objects.filter(resident=me))
        | Exists(Attempt.objects.filter(resident=me, passed=True))
    )


def latest_ticks(commune_id: int | None = None) -> QuerySet[SkillTick]:
    """Only the latest tick of each resident and skill (ties broken by id).

    With a commune, the newer-tick lookup is pinned to that commune too, so PostgreSQL reads
    one commune's ticks rather than the whole province's (a resident's ticks are all in their
    commune, so the result is the same).
    """
    newer = SkillTick.objects.filter(resident_id=OuterRef("resident_id"), skill=OuterRef("skill"))
    if commune_id is not None:
        newer = newer.filter(commune_id=commune_id)
        mine = SkillTick.objects.filter(commune_id=commune_id, resident__commune_id=commune_id)
        return mine.filter(~Exists(_later(newer)))
    return SkillTick.objects.filter(~Exists(_later(newer)))


def _later(newer: QuerySet[SkillTick]) -> QuerySet[SkillTick]:
    return newer.filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )


@dataclass
class CoverageRow:
    name: str
    hamlet_id: int | None = None
    residents: int = 0
    reached: int = 0
    working_age: int = 0
    with_skill: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKILLS, 0))
    working_with_skill: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKILLS, 0))

    @property
    def not_reached(self) -> int:
        return self.residents - self.reached

    @property
    def reached_percent(self) -> float:
        return _percent(self.reached, self.residents)

    @property
    def target_percent(self) -> float:
        """Share of working-age residents able to use online public services."""
        return _percent(self.working_with_skill[TARGET_SKILL], self.working_age)

    def skills(self) -> list[dict]:
        return [
            {
                "key": key,
                "label": label,
                "count": self.with_skill[key],
                "percent": _percent(self.with_skill[key], self.residents),
            }
            for key, label in SKILLS.items()
        ]

    def add(self, other: "CoverageRow") -> None:
        self.residents += other.residents
        self.reached += other.reached
        self.working_age += other.working_age
        for key in SKILLS:
            self.with_skill[key] += other.with_skill[key]
            self.working_with_skill[key] += other.working_with_skill[key]


@dataclass
class Target:
    skill: str
    year: int
    percent: int
    is_default: bool
    actual: float = 0.0
    count: int = 0
    of: int = 0

    @property
    def label(self) -> str:
        return SKILLS[self.skill]

    @property
    def met(self) -> bool:
        return self.actual >= self.percent

    @property
    def missing(self) -> int:
        """People still to reach the target (0 when met)."""
        needed = -(-self.percent * self.of // 100)  # ceiling
        return max(needed - self.count, 0)


@dataclass
class Coverage:
    rows: list[CoverageRow]
    total: CoverageRow
    targets: list[Target]
    commune_wide: bool


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def coverage_hamlets(user: User) -> QuerySet[Hamlet]:
    """Hamlets in the user's coverage: the commune for leaders, their hamlet for a volunteer."""
    if user.role not in COVERAGE_VIEWERS or not user.commune_id:
        return Hamlet.objects.none()
    hamlets = Hamlet.objects.filter(commune_id=user.commune_id)
    if user.role == Role.VOLUNTEER:
        return hamlets.filter(pk=user.hamlet_id)
    return hamlets


def vietnamese_order(hamlets) -> list[Hamlet]:
    """Hamlets in Vietnamese alphabetical order, word by word ("Xóm Đồng" after "Xóm Dinh")."""
    return sorted(hamlets, key=lambda h: [name_sort_key(word) for word in h.name.split()])


def effective_targets(commune: Commune) -> list[Target]:
    """The commune's targets; Đề án 146 defaults for public services where none was set."""
    saved = {(t.skill, t.year): t.percent for t in CoverageTarget.objects.filter(commune=commune)}
    merged = {(TARGET_SKILL, year): percent for year, percent in DEFAULT_TARGETS.items()}
    merged.update(saved)
    return [
        Target(skill=skill, year=year, percent=percent, is_default=(skill, year) not in saved)
        for (skill, year), percent in sorted(merged.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]


def coverage_for_user(user: User) -> Coverage:
    """Coverage per hamlet in the user's scope, the total, and the commune's targets."""
    hamlets = vietnamese_order(coverage_hamlets(user))
    commune_wide = user.role != Role.VOLUNTEER
    rows = {h.pk: CoverageRow(name=h.name, hamlet_id=h.pk) for h in hamlets}
    total = CoverageRow(name="Toàn xã" if commune_wide else (hamlets[0].name if hamlets else ""))
    if not hamlets:
        return Coverage(rows=[], total=total, targets=[], commune_wide=commune_wide)

    residents = Resident.objects.filter(commune_id=user.commune_id)
    ticks = latest_ticks(user.commune_id).filter(has_skill=True)
    if not commune_wide:
        residents = residents.filter(hamlet_id=user.hamlet_id)
        ticks = ticks.filter(resident__hamlet_id=user.hamlet_id)

    people = (
        residents.values("hamlet_id")
        .annotate(
            n=Count("id"),
            reached=Count("id", filter=reached_q()),
            working=Count("id", filter=working_age_q()),
        )
        .order_by()
    )
    for p in people:
        if row := rows.get(p["hamlet_id"]):
            row.residents, row.reached, row.working_age = p["n"], p["reached"], p["working"]

    skills = (
        ticks.values("resident__hamlet_id", "skill")
        .annotate(n=Count("id"), working=Count("id", filter=working_age_q("resident__")))
        .order_by()
    )
    for s in skills:
        if (row := rows.get(s["resident__hamlet_id"])) and s["skill"] in SKILLS:
            row.with_skill[s["skill"]] = s["n"]
            row.working_with_skill[s["skill"]] = s["working"]

    for row in rows.values():
        total.add(row)
    targets = effective_targets(user.commune)
    for target in targets:
        target.count = total.working_with_skill.get(target.skill, 0)
        target.of = total.working_age
        target.actual = _percent(target.count, target.of)
    return Coverage(
        rows=list(rows.values()), total=total, targets=targets, commune_wide=commune_wide
    )


# -- Not yet reached ---------------------------------------------------------------------------


def not_reached_for_user(user: User, *, hamlet_id: int | None = None) -> QuerySet[Resident]:
    """Residents in the user's scope not yet reached in any way, those most at risk first.

    Order: the elderly (ELDERLY_AGE and over), then people with disabilities, then poor
    households, then everyone else; oldest first within each group. Each row carries the
    volunteer of its open assignment, if any.
    """
    residents = residents_for_user(user).filter(~reached_q())
    if hamlet_id is not None:
        residents = residents.filter(hamlet_id=hamlet_id)
    cutoff = _year() - settings.ELDERLY_AGE
    open_assignment = Assignment.objects.filter(resident=OuterRef("pk"), done_at__isnull=True)
    return residents.annotate(
        priority=Case(
            When(birth_year__lte=cutoff, then=V(0)),
            When(has_disability=True, then=V(1)),
            When(is_poor_household=True, then=V(2)),
            default=V(3),
            output_field=IntegerField(),
        ),
        assigned_to_id=Subquery(open_assignment.values("volunteer_id")[:1]),
        assigned_to_name=Subquery(open_assignment.values("volunteer__full_name")[:1]),
    ).order_by("priority", "birth_year", "id")
