"""The figures of the leader and province dashboards.

`commune_figures` counts everything for one commune and one year with grouped queries in the
database (a fixed number of queries, whatever the number of residents). The result is plain
JSON, stored per commune and year in DashboardSnapshot so that the province page sums 130 small
rows instead of recounting millions of records; `province_figures` does that sum.
"""

import datetime as dt

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from accounts.models import Role, User
from communications.radio import broadcast_counts_by_month
from communications.scams import report_counts_by_channel
from learning.models import Attempt, Certificate
from outreach.coverage import coverage_for_user
from outreach.models import Attendance, Session, SkillTick
from places.models import Commune, Organisation
from planning.models import Activity, BudgetLine, DashboardSnapshot, Expense, Source

TREND_SERIES = [
    ("sessions", "Buổi hướng dẫn"),
    ("participants", "Lượt người dự"),
    ("completions", "Lượt học xong bài"),
    ("certificates", "Chứng nhận"),
    ("ticks", "Kỹ năng được ghi nhận"),
    ("broadcasts", "Lượt phát thanh"),
    ("scam_reports", "Tin báo lừa đảo"),
]
STALE_AFTER = dt.timedelta(hours=26)
# The leader dashboard shows the stored figures when they are younger than this, and counts
# again otherwise (or when a leader asks for it).
FRESH_FOR = dt.timedelta(minutes=10)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def months_of(year: int) -> list[int]:
    """The months of `year` up to this month (all 12 for a past year)."""
    today = timezone.localdate()
    if year < today.year:
        return list(range(1, 13))
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


def _month_bounds(year: int) -> list[dt.datetime]:
    """Local midnight of the 1st of each month of `year`, and of 1 January after it."""
    firsts = [dt.datetime(year, m, 1) for m in range(1, 13)] + [dt.datetime(year + 1, 1, 1)]
    return [timezone.make_aware(d) for d in firsts]


def _by_month(rows, key: str = "n") -> dict[int, int]:
    return {r["m"]: r[key] or 0 for r in rows}


def _trends(commune: Commune, year: int) -> dict[str, list[int]]:
    now = timezone.now()
    months = months_of(year)
    held = Session.objects.filter(commune=commune, starts_at__year=year, starts_at__lte=now)
    sessions = held.annotate(m=ExtractMonth("starts_at")).values("m").order_by()
    sessions = sessions.annotate(n=Count("id"), extra=Sum("extra_participants"))
    session_rows = list(sessions)
    attendances = _by_month(
        Attendance.objects.filter(
            commune=commune, session__starts_at__year=year, session__starts_at__lte=now
        )
        .annotate(m=ExtractMonth("session__starts_at"))
        .values("m")
        .order_by()
        .annotate(n=Count("id"))
    )
    # A completion is a learner's first pass of a lesson: group the passes by learner and
    # lesson, then count the first ones per month (one subquery, no per-row work).
    first_passes = (
        Attempt.objects.filter(commune=commune, passed=True, resident__isnull=False)
        .values("resident_id", "lesson_id")
        .annotate(first=Min("created_at"))
    )
    bounds = _month_bounds(year)
    completions = first_passes.aggregate(
        **{
            f"m{m}": Count("resident_id", filter=Q(first__gte=bounds[m - 1], first__lt=bounds[m]))
            for m in months
        }
    )
    completions = {m: completions[f"m{m}"] for m in months} if months else {}
    certificates = _by_month(
        Certificate.objects.filter(commune=commune, revoked_at__isnull=True, issued_at__year=year)
        .annotate(m=ExtractMonth("issued_at"))
        .values("m")
        .order_by()
        .annotate(n=Count("id"))
    )
    ticks = _by_month(
        SkillTick.objects.filter(commune=commune, has_skill=True, recorded_at__year=year)
        .annotate(m=ExtractMonth("recorded_at"))
        .values("m")
        .order_by()
        .annotate(n=Count("id"))
    )
    broadcasts = broadcast_counts_by_month(commune, year=year)
    scams = {}
    for m in months:
        first = dt.date(year, m, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        scams[m] = sum(report_counts_by_channel(commune, first, last).values())
    s_count = _by_month(session_rows)
    s_extra = _by_month(session_rows, "extra")
    return {
        "sessions": [s_count.get(m, 0) for m in months],
        "participants": [attendances.get(m, 0) + s_extra.get(m, 0) for m in months],
        "completions": [completions.get(m, 0) for m in months],
        "certificates": [certificates.get(m, 0) for m in months],
        "ticks": [ticks.get(m, 0) for m in months],
        "broadcasts": [broadcasts.get(m, 0) for m in months],
        "scam_reports": [scams.get(m, 0) for m in months],
    }


def budget_by_source(commune_ids, year: int) -> list[dict]:
    """Planned and spent per funding source over the detailed plans of `year`."""
    planned = dict(
        BudgetLine.objects.filter(commune_id__in=commune_ids, plan__year=year)
        .values("source")
        .order_by()
        .annotate(total=Sum("planned"))
        .values_list("source", "total")
    )
    spent = dict(
        Expense.objects.filter(commune_id__in=commune_ids, line__plan__year=year)
        .values("line__source")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("line__source", "total")
    )
    return [
        {
            "source": key,
            "label": label,
            "planned": planned.get(key) or 0,
            "spent": spent.get(key) or 0,
            "percent": _percent(spent.get(key) or 0, planned.get(key) or 0),
        }
        for key, label in Source.choices
    ]


def _hamlets(coverage, commune: Commune, year: int) -> list[dict]:
    now = timezone.now()
    held = Session.objects.filter(commune=commune, starts_at__year=year, starts_at__lte=now)
    sessions = {
        r["hamlet_id"]: r
        for r in held.values("hamlet_id")
        .order_by()
        .annotate(n=Count("id"), extra=Sum("extra_participants"))
    }
    present = dict(
        Attendance.objects.filter(session__in=held)
        .values("session__hamlet_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("session__hamlet_id", "n")
    )
    rows = []
    for row in coverage.rows:
        s = sessions.get(row.hamlet_id, {})
        rows.append(
            {
                "name": row.name,
                "residents": row.residents,
                "reached": row.reached,
                "reached_percent": row.reached_percent,
                "target_percent": row.target_percent,
                "sessions": s.get("n", 0),
                "participants": present.get(row.hamlet_id, 0) + (s.get("extra") or 0),
            }
        )
    rows.sort(key=lambda r: (-r["reached_percent"], -r["target_percent"], -r["sessions"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def _organisations(commune: Commune, year: int) -> list[dict]:
    now = timezone.now()
    held = Session.objects.filter(commune=commune, starts_at__year=year, starts_at__lte=now)
    sessions = {
        r["organiser_id"]: r
        for r in held.values("organiser_id")
        .order_by()
        .annotate(n=Count("id"), extra=Sum("extra_participants"))
    }
    present = dict(
        Attendance.objects.filter(session__in=held)
        .values("session__organiser_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("session__organiser_id", "n")
    )
    activities = dict(
        Activity.objects.filter(commune=commune, plan__year=year)
        .values("plan__organisation_id")
        .order_by()
        .annotate(n=Count("id"))
        .values_list("plan__organisation_id", "n")
    )
    planned = dict(
        BudgetLine.objects.filter(commune=commune, plan__year=year)
        .values("plan__organisation_id")
        .order_by()
        .annotate(t=Sum("planned"))
        .values_list("plan__organisation_id", "t")
    )
    spent = dict(
        Expense.objects.filter(commune=commune, line__plan__year=year)
        .values("line__plan__organisation_id")
        .order_by()
        .annotate(t=Sum("amount"))
        .values_list("line__plan__organisation_id", "t")
    )
    rows = []
    for org in Organisation.objects.filter(commune=commune).only("id", "name"):
        s = sessions.get(org.pk, {})
        rows.append(
            {
                "id": org.pk,
                "name": org.name,
                "sessions": s.get("n", 0),
                "participants": present.get(org.pk, 0) + (s.get("extra") or 0),
                "activities": activities.get(org.pk, 0),
                "planned": planned.get(org.pk) or 0,
                "spent": spent.get(org.pk) or 0,
            }
        )
    rows.sort(key=lambda r: (-r["participants"], -r["sessions"], -r["activities"], r["name"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def commune_figures(commune: Commune, year: int) -> dict:
    """Every figure of the leader dashboard for one commune and year, as plain JSON."""
    coverage = coverage_for_user(User(role=Role.LEADER, commune=commune))
    total = coverage.total
    public = total.working_with_skill.get("public_service", 0)
    trends = _trends(commune, year)
    budget = budget_by_source([commune.pk], year)
    return {
        "year": year,
        "months": months_of(year),
        "residents": total.residents,
        "reached": total.reached,
        "reached_percent": total.reached_percent,
        "working_age": total.working_age,
        "public_service": public,
        "public_service_percent": _percent(public, total.working_age),
        "targets": [
            {
                "label": t.label,
                "year": t.year,
                "percent": t.percent,
                "actual": t.actual,
                "count": t.count,
                "of": t.of,
                "missing": t.missing,
                "met": t.met,
                "is_default": t.is_default,
            }
            for t in coverage.targets
        ],
        "skills": [
            {"label": s["label"], "count": s["count"], "percent": s["percent"]}
            for s in total.skills()
        ],
        "hamlets": _hamlets(coverage, commune, year),
        "organisations": _organisations(commune, year),
        "trends": trends,
        "totals": {key: sum(values) for key, values in trends.items()},
        "budget": budget,
        "budget_planned": sum(b["planned"] for b in budget),
        "budget_spent": sum(b["spent"] for b in budget),
    }


def snapshot_store(commune: Commune, figures: dict) -> DashboardSnapshot:
    snapshot, _ = DashboardSnapshot.objects.update_or_create(
        commune=commune,
        year=figures["year"],
        defaults={"figures": figures, "computed_at": timezone.now(), "recount_requested_at": None},
    )
    return snapshot


def commune_dashboard(commune: Commune, year: int, *, recount: bool = False) -> DashboardSnapshot:
    """The commune's figures for the leader dashboard, answered from the stored snapshot.

    Counted inline only the first time (or when a leader asks for it). Figures older than
    FRESH_FOR are shown as they are while a background task counts them again, once.
    """
    from planning.tasks import dashboard_recount

    snapshot = DashboardSnapshot.objects.filter(commune=commune, year=year).first()
    if recount or snapshot is None:
        return snapshot_store(commune, commune_figures(commune, year))
    now = timezone.now()
    asked = snapshot.recount_requested_at
    if now - snapshot.computed_at > FRESH_FOR and (asked is None or now - asked > FRESH_FOR):
        DashboardSnapshot.objects.filter(pk=snapshot.pk).update(recount_requested_at=now)
        dashboard_recount.enqueue(commune.pk, year)
    return snapshot


def dashboard_refresh(communes, year: int) -> int:
    """Recount and store the figures of each commune (the cron job); returns how many."""
    count = 0
    for commune in communes:
        snapshot_store(commune, commune_figures(commune, year))
        count += 1
    return count


def target_for(figures: dict, year: int) -> dict | None:
    """The public-services target in force for `year`: the first one due that year or later."""
    due = [t for t in figures.get("targets", []) if t["year"] >= year]
    return min(due, key=lambda t: t["year"]) if due else None


def province_figures(communes, year: int) -> dict:
    """One row per commune from its stored snapshot, and the province totals."""
    snapshots = {
        s.commune_id: s for s in DashboardSnapshot.objects.filter(commune__in=communes, year=year)
    }
    now = timezone.now()
    rows = []
    months = months_of(year)
    trend_totals = {key: [0] * len(months) for key, _ in TREND_SERIES}
    sums = dict.fromkeys(
        ["residents", "reached", "working_age", "public_service", "budget_planned", "budget_spent"],
        0,
    )
    budget = {key: {"planned": 0, "spent": 0} for key in Source.values}
    for commune in communes.order_by("name").only("id", "name"):
        snap = snapshots.get(commune.pk)
        if snap is None:
            rows.append({"name": commune.name, "id": commune.pk, "missing": True})
            continue
        f = snap.figures
        target = target_for(f, year)
        rows.append(
            {
                "name": commune.name,
                "id": commune.pk,
                "missing": False,
                "stale": now - snap.computed_at > STALE_AFTER,
                "computed_at": snap.computed_at,
                "residents": f["residents"],
                "reached": f["reached"],
                "reached_percent": f["reached_percent"],
                "public_service_percent": f["public_service_percent"],
                "target_percent": target["percent"] if target else None,
                "target_met": target["met"] if target else None,
                **{key: f["totals"].get(key, 0) for key, _ in TREND_SERIES},
                "budget_planned": f["budget_planned"],
                "budget_spent": f["budget_spent"],
            }
        )
        for key in sums:
            sums[key] += f[key]
        for key, _ in TREND_SERIES:
            for i, value in enumerate(f["trends"].get(key, [])[: len(months)]):
                trend_totals[key][i] += value
        for b in f["budget"]:
            budget[b["source"]]["planned"] += b["planned"]
            budget[b["source"]]["spent"] += b["spent"]
    return {
        "year": year,
        "months": months,
        "rows": rows,
        "communes": len(rows),
        "reporting": sum(1 for r in rows if not r["missing"]),
        **sums,
        "reached_percent": _percent(sums["reached"], sums["residents"]),
        "public_service_percent": _percent(sums["public_service"], sums["working_age"]),
        "trends": trend_totals,
        "totals": {key: sum(values) for key, values in trend_totals.items()},
        "budget": [
            {
                "source": key,
                "label": label,
                **budget[key],
                "percent": _percent(budget[key]["spent"], budget[key]["planned"]),
            }
            for key, label in Source.choices
        ],
    }


def year_from(value: str | None) -> int:
    """The ?nam= year if it is a sensible one, else this year."""
    this_year = timezone.localdate().year
    if value and value.isdigit() and 2020 <= int(value) <= this_year + 1:
        return int(value)
    return this_year
