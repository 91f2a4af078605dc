"""Automatic figures for monthly reports: a source key → how to count it from recorded activity.

Each source has `count(commune, organisation_or_None, month_start, month_end) -> int` (both
days included, the commune's local days) and, where the records say where they happened,
`by_hamlet(commune, month_start, month_end) -> {hamlet_id: int}`.

Only some records name an organisation (a session names its organiser; a skill tick recorded
at a session inherits it). Everything else is counted for the whole commune only: for an
organisation's report such a source gives None and the page says so.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from communications.models import Broadcast, PosterPlacement, ScamReport
from communications.radio import broadcast_counts_by_month
from communications.scams import report_counts_by_channel
from contests.models import Attempt as ContestAttempt
from learning.models import Attempt as LessonAttempt
from learning.models import Certificate
from outreach.models import Attendance, Session, SkillTick, TeamMember, Visit
from outreach.skills import SKILLS
from places.models import Commune, Organisation


def bounds(month_start: date, month_end: date) -> tuple[datetime, datetime]:
    """Aware [start, end) datetimes covering the local days month_start..month_end."""
    start = timezone.make_aware(datetime.combine(month_start, time.min))
    end = timezone.make_aware(datetime.combine(month_end + timedelta(days=1), time.min))
    return start, end


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    records_url: str  # URL name of the staff page listing the records behind the figure
    count: Callable[[Commune, Organisation | None, date, date], int | None]
    by_hamlet: Callable[[Commune, date, date], dict[int, int]] | None = None
    by_organisation: bool = False  # can the records be tied to an organisation?


def _hamlet_counts(qs: QuerySet, path: str) -> dict[int, int]:
    rows = qs.exclude(**{f"{path}__isnull": True}).values(path).annotate(n=Count("id"))
    return {row[path]: row["n"] for row in rows}


def _simple(
    key: str,
    label: str,
    unit: str,
    records_url: str,
    queryset: Callable[[Commune, date, date], QuerySet],
    *,
    hamlet_path: str | None,
    organisation_path: str | None = None,
) -> Source:
    def count(commune, organisation, month_start, month_end):
        qs = queryset(commune, month_start, month_end)
        if organisation is not None:
            if organisation_path is None:
                return None
            qs = qs.filter(**{organisation_path: organisation})
        return qs.count()

    def by_hamlet(commune, month_start, month_end):
        return _hamlet_counts(queryset(commune, month_start, month_end), hamlet_path)

    return Source(
        key,
        label,
        unit,
        records_url,
        count,
        by_hamlet if hamlet_path else None,
        organisation_path is not None,
    )


# Sessions and participants -----------------------------------------------------------------


def _sessions(commune, month_start, month_end) -> QuerySet[Session]:
    start, end = bounds(month_start, month_end)
    return Session.objects.filter(
        commune=commune, starts_at__gte=start, starts_at__lt=min(end, timezone.now())
    )


def _participants(commune, organisation, month_start, month_end) -> int:
    sessions = _sessions(commune, month_start, month_end)
    if organisation is not None:
        sessions = sessions.filter(organiser=organisation)
    named = Attendance.objects.filter(session__in=sessions).count()
    walk_ins = sessions.aggregate(n=Sum("extra_participants"))["n"] or 0
    return named + walk_ins


def _participants_by_hamlet(commune, month_start, month_end) -> dict[int, int]:
    sessions = _sessions(commune, month_start, month_end)
    counts = Counter(
        dict(
            Attendance.objects.filter(session__in=sessions)
            .values_list("session__hamlet_id")
            .annotate(n=Count("id"))
        )
    )
    for hamlet_id, extra in sessions.values_list("hamlet_id", "extra_participants"):
        counts[hamlet_id] += extra
    return dict(counts)


# Lessons completed --------------------------------------------------------------------------


def _completions(commune, month_start, month_end):
    """(resident, lesson) pairs whose first pass falls in the month, with how it was passed.

    A completion is assisted when, by the end of the month, the resident had only ever passed
    that lesson with a volunteer beside them (the rule of learning.selectors.learning_stats).
    """
    start, end = bounds(month_start, month_end)
    return (
        LessonAttempt.objects.filter(
            commune=commune, passed=True, resident__isnull=False, created_at__lt=end
        )
        .values("resident_id", "lesson_id", "resident__hamlet_id")
        .annotate(
            first=Min("created_at"),
            first_self=Min("created_at", filter=Q(assisted_by__isnull=True)),
        )
        .filter(first__gte=start)
    )


def _lessons_count(*, assisted: bool | None):
    def count(commune, organisation, month_start, month_end):
        if organisation is not None:
            return None
        rows = _completions(commune, month_start, month_end)
        if assisted is True:
            rows = rows.filter(first_self__isnull=True)
        elif assisted is False:
            rows = rows.filter(first_self__isnull=False)
        return rows.count()

    def by_hamlet(commune, month_start, month_end):
        rows = _completions(commune, month_start, month_end)
        if assisted is True:
            rows = rows.filter(first_self__isnull=True)
        elif assisted is False:
            rows = rows.filter(first_self__isnull=False)
        return dict(Counter(row["resident__hamlet_id"] for row in rows))

    return count, by_hamlet


# Commune-wide figures from other parts ------------------------------------------------------


def _broadcasts_count(commune, organisation, month_start, month_end):
    if organisation is not None:
        return None
    if (month_start.year, month_start.month) == (month_end.year, month_end.month) and (
        month_start.day == 1 and (month_end + timedelta(days=1)).day == 1
    ):
        return broadcast_counts_by_month(commune, year=month_start.year)[month_start.month]
    return _broadcasts(commune, month_start, month_end).count()


def _broadcasts(commune, month_start, month_end):
    start, end = bounds(month_start, month_end)
    return Broadcast.objects.filter(
        commune=commune, aired_at__gte=start, aired_at__lt=min(end, timezone.now())
    )


def _broadcasts_by_hamlet(commune, month_start, month_end):
    rows = (
        _broadcasts(commune, month_start, month_end)
        .values("hamlets")
        .annotate(n=Count("id"))
        .exclude(hamlets=None)
    )
    return {row["hamlets"]: row["n"] for row in rows}


def _scams_count(commune, organisation, month_start, month_end):
    if organisation is not None:
        return None
    return sum(report_counts_by_channel(commune, month_start, month_end).values())


def _scams(commune, month_start, month_end):
    start, end = bounds(month_start, month_end)
    return ScamReport.objects.filter(
        commune=commune, created_at__gte=start, created_at__lt=end
    ).exclude(status=ScamReport.Status.DISMISSED)


def _contest_participants(commune, month_start, month_end):
    start, end = bounds(month_start, month_end)
    return ContestAttempt.objects.filter(
        commune=commune, is_practice=False, submitted_at__gte=start, submitted_at__lt=end
    )


def _contest_count(commune, organisation, month_start, month_end):
    if organisation is not None:
        return None
    qs = _contest_participants(commune, month_start, month_end)
    return qs.values("resident_id").distinct().count()


def _contest_by_hamlet(commune, month_start, month_end):
    rows = (
        _contest_participants(commune, month_start, month_end)
        .values("resident__hamlet_id")
        .annotate(n=Count("resident_id", distinct=True))
    )
    return {row["resident__hamlet_id"]: row["n"] for row in rows}


def _ticks(skill: str):
    def queryset(commune, month_start, month_end):
        start, end = bounds(month_start, month_end)
        return SkillTick.objects.filter(
            commune=commune,
            skill=skill,
            has_skill=True,
            recorded_at__gte=start,
            recorded_at__lt=end,
        )

    return queryset


_lessons_all = _lessons_count(assisted=None)
_lessons_assisted = _lessons_count(assisted=True)
_lessons_self = _lessons_count(assisted=False)

SOURCES: dict[str, Source] = {
    s.key: s
    for s in [
        _simple(
            "sessions",
            "Buổi hướng dẫn kỹ năng số đã tổ chức",
            "buổi",
            "outreach:session_list",
            _sessions,
            hamlet_path="hamlet_id",
            organisation_path="organiser",
        ),
        Source(
            "participants",
            "Lượt người dự các buổi hướng dẫn",
            "lượt người",
            "outreach:session_list",
            _participants,
            _participants_by_hamlet,
            True,
        ),
        Source(
            "lessons_completed",
            "Lượt hoàn thành bài học kỹ năng số",
            "lượt",
            "learning:stats",
            _lessons_all[0],
            _lessons_all[1],
        ),
        Source(
            "lessons_self",
            "Trong đó: người dân tự học",
            "lượt",
            "learning:stats",
            _lessons_self[0],
            _lessons_self[1],
        ),
        Source(
            "lessons_assisted",
            "Trong đó: học có tình nguyện viên hỗ trợ",
            "lượt",
            "learning:assisted",
            _lessons_assisted[0],
            _lessons_assisted[1],
        ),
        _simple(
            "certificates",
            "Chứng nhận hoàn thành đã cấp",
            "chứng nhận",
            "learning:staff_certificates",
            lambda c, s, e: Certificate.objects.filter(
                commune=c,
                revoked_at__isnull=True,
                issued_at__gte=bounds(s, e)[0],
                issued_at__lt=bounds(s, e)[1],
            ),
            hamlet_path="resident__hamlet_id",
        ),
        _simple(
            "team_members_new",
            "Thành viên mới của Tổ công nghệ số cộng đồng",
            "người",
            "outreach:team_list",
            lambda c, s, e: TeamMember.objects.filter(
                commune=c, joined_on__gte=s, joined_on__lte=e
            ),
            hamlet_path="team__hamlet_id",
        ),
        _simple(
            "visits",
            "Lượt đến nhà kèm cặp, hướng dẫn 1-1",
            "lượt",
            "outreach:mentoring_list",
            lambda c, s, e: Visit.objects.filter(commune=c, visited_on__gte=s, visited_on__lte=e),
            hamlet_path="resident__hamlet_id",
        ),
        *[
            _simple(
                f"skill_{key}",
                f"Người được ghi nhận: {label[0].lower()}{label[1:]}",
                "lượt",
                "outreach:coverage_page",
                _ticks(key),
                hamlet_path="resident__hamlet_id",
                organisation_path="session__organiser",
            )
            for key, label in SKILLS.items()
        ],
        Source(
            "contest_participants",
            "Người dự thi trực tuyến (đã nộp bài)",
            "người",
            "contests:staff_contests",
            _contest_count,
            _contest_by_hamlet,
        ),
        Source(
            "broadcasts",
            "Lượt phát bản tin trên đài truyền thanh",
            "lượt",
            "communications:radio_broadcast_log",
            _broadcasts_count,
            _broadcasts_by_hamlet,
        ),
        _simple(
            "posters",
            "Áp phích, pa-nô, băng rôn đã treo",
            "cái",
            "communications:poster_list",
            lambda c, s, e: PosterPlacement.objects.filter(
                commune=c, put_up_on__gte=s, put_up_on__lte=e
            ),
            hamlet_path="hamlet_id",
        ),
        Source(
            "scam_reports",
            "Tin báo lừa đảo qua mạng người dân gửi",
            "tin",
            "communications:scam_review",
            _scams_count,
            lambda c, s, e: _hamlet_counts(_scams(c, s, e), "resident__hamlet_id"),
        ),
    ]
}


def source_choices() -> list[tuple[str, str]]:
    return [("", "Đơn vị tự nhập"), *((s.key, s.label) for s in SOURCES.values())]
