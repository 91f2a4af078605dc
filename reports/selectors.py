"""Reads for monthly reports: who sees which report, the rows of a report, completeness,
and the consolidation of a month."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.access import organisations_for_user
from accounts.models import Role, User
from places.models import Commune, Organisation
from reports.models import Indicator, MonthlyReport, Reminder, ReportForm, ReportValue
from reports.months import month_end
from reports.sources import SOURCES

EDITORS = {Role.ADMIN, Role.COORDINATOR, Role.OFFICER}
READERS = {Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.LEADER}
CONSOLIDATORS = {Role.ADMIN, Role.COORDINATOR, Role.LEADER}


def forms_for_user(user: User) -> QuerySet[ReportForm]:
    if user.role not in READERS or not user.commune_id:
        return ReportForm.objects.none()
    return ReportForm.objects.filter(commune_id=user.commune_id)


def get_form_for_user(user: User, form_id: int) -> ReportForm:
    return get_object_or_404(forms_for_user(user), pk=form_id)


def reporting_organisations_for_user(user: User, form: ReportForm) -> QuerySet[Organisation]:
    """The organisations of `form` whose report the user may open (an officer: their own)."""
    if user.role == Role.LEADER:
        allowed = Organisation.objects.filter(commune_id=user.commune_id)
    else:
        allowed = organisations_for_user(user)
    return form.organisations.filter(pk__in=allowed.values("pk"))


def reports_for_user(user: User) -> QuerySet[MonthlyReport]:
    if user.role not in READERS or not user.commune_id:
        return MonthlyReport.objects.none()
    reports = MonthlyReport.objects.filter(commune_id=user.commune_id)
    if user.role == Role.OFFICER:
        reports = reports.filter(organisation_id=user.organisation_id)
    return reports.select_related("organisation", "form")


def reminders_for_user(user: User) -> QuerySet[Reminder]:
    if user.role != Role.OFFICER or not user.organisation_id:
        return Reminder.objects.none()
    return Reminder.objects.filter(commune_id=user.commune_id, organisation_id=user.organisation_id)


@dataclass
class Row:
    indicator: Indicator
    value: ReportValue | None
    raw: str = ""  # what to show in an editable box
    error: str = ""
    commune_only: bool = False
    records_url: str = ""

    @property
    def shown(self):
        if self.value is None:
            return None
        return self.value.value


def format_number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        text = f"{value:f}"
        return text.replace(".", ",")
    return f"{value:,}".replace(",", ".")


def report_rows(report: MonthlyReport, *, posted: dict[int, str] | None = None, errors=None):
    """[(section, rows, commune-only rows)]: each indicator with its value and source link;
    automatic indicators the records cannot tie to an organisation listed apart."""
    values = {v.indicator_id: v for v in report.values.all()}
    sections: dict[str, list[Row]] = {}
    errors = errors or {}
    for indicator in report.indicators():
        value = values.get(indicator.pk)
        if value is not None:
            value.indicator = indicator
        row = Row(indicator, value, error=errors.get(indicator.pk, ""))
        if indicator.is_auto:
            row.commune_only = value is None or value.auto_value is None
            spec = SOURCES.get(indicator.source)
            if spec:
                row.records_url = reverse(spec.records_url)
        elif posted is not None and indicator.pk in posted:
            row.raw = posted[indicator.pk]
        elif value is not None:
            row.raw = (
                value.text if indicator.kind == Indicator.Kind.TEXT else format_number(value.number)
            )
        sections.setdefault(indicator.section, []).append(row)
    return [
        (title, [r for r in rows if not r.commune_only], [r for r in rows if r.commune_only])
        for title, rows in sections.items()
    ]


# Completeness and timeliness ----------------------------------------------------------------


def completeness(commune: Commune, months: list[date]) -> list[dict]:
    """Per organisation that must report (any active form) and per month: the report's status,
    when it was sent, and whether that was by the due day.

    [{"organisation": Organisation, "months": [{"month", "status", "status_label",
      "submitted_at", "due", "on_time"}]}]
    """
    forms = list(ReportForm.objects.filter(commune=commune, active=True))
    if not forms or not months:
        return []
    reports = {
        (r.organisation_id, r.month): r
        for r in MonthlyReport.objects.filter(
            commune=commune, form__in=forms, month__in=months
        ).only("organisation_id", "month", "status", "submitted_at", "form_id")
    }
    due_day = min(f.due_day for f in forms)
    labels = dict(MonthlyReport.Status.choices)
    organisations = Organisation.objects.filter(report_forms__in=forms).distinct()
    rows = []
    for organisation in organisations.order_by("name"):
        cells = []
        for month in months:
            report = reports.get((organisation.pk, month))
            due = ReportForm(due_day=report.form.due_day if report else due_day).due_date(month)
            status = report.status if report else "missing"
            sent = report.submitted_at if report and status != "draft" else None
            cells.append(
                {
                    "month": month,
                    "status": status,
                    "status_label": labels.get(status, "Chưa có"),
                    "submitted_at": sent,
                    "due": due,
                    "on_time": bool(sent and timezone.localdate(sent) <= due),
                }
            )
        rows.append({"organisation": organisation, "months": cells})
    return rows


# Consolidation ------------------------------------------------------------------------------


@dataclass
class Line:
    indicator: Indicator
    total: object = None  # int | Decimal | None
    note: str = ""
    by_organisation: dict[int, object] = field(default_factory=dict)


@dataclass
class Consolidation:
    commune: Commune
    form: ReportForm
    month: date
    lines: list[Line]
    accepted: list[MonthlyReport]
    expected: list[Organisation]

    @property
    def complete(self) -> bool:
        return len(self.accepted) == len(self.expected) and bool(self.expected)

    def sections(self) -> list[tuple[str, list[Line]]]:
        out: dict[str, list[Line]] = {}
        for line in self.lines:
            out.setdefault(line.indicator.section, []).append(line)
        return list(out.items())


def consolidation_indicators(form: ReportForm, month: date) -> QuerySet[Indicator]:
    """Active indicators, and retired ones that an accepted report of the month holds."""
    held = ReportValue.objects.filter(
        report__form=form, report__month=month, report__status=MonthlyReport.Status.ACCEPTED
    ).values("indicator_id")
    return form.indicators.filter(Q(active=True) | Q(pk__in=held))


def consolidation(commune: Commune, form: ReportForm, month: date) -> Consolidation:
    """The month's commune figures: automatic indicators counted once over the whole commune
    (each record once, whoever organised it); typed figures summed over the accepted reports
    (percentages averaged); per-organisation columns from the accepted reports."""
    accepted = list(
        MonthlyReport.objects.filter(form=form, month=month, status=MonthlyReport.Status.ACCEPTED)
        .select_related("organisation")
        .prefetch_related("values")
        .order_by("organisation__name")
    )
    lines = []
    for indicator in consolidation_indicators(form, month):
        line = Line(indicator)
        for report in accepted:
            value = next((v for v in report.values.all() if v.indicator_id == indicator.pk), None)
            if value is not None:
                value.indicator = indicator
                line.by_organisation[report.organisation_id] = value.value
        if indicator.is_auto and indicator.source in SOURCES:
            line.total = SOURCES[indicator.source].count(commune, None, month, month_end(month))
            if not SOURCES[indicator.source].by_organisation:
                line.note = "Toàn xã"
        elif indicator.kind == Indicator.Kind.NUMBER:
            numbers = [v for v in line.by_organisation.values() if v is not None]
            line.total = sum(numbers) if numbers else None
        elif indicator.kind == Indicator.Kind.PERCENTAGE:
            numbers = [v for v in line.by_organisation.values() if v is not None]
            line.total = (sum(numbers) / len(numbers)).quantize(Decimal("0.1")) if numbers else None
            line.note = "Bình quân các đơn vị"
        lines.append(line)
    expected = list(form.organisations.order_by("name"))
    return Consolidation(commune, form, month, lines, accepted, expected)


def hamlet_figures(commune: Commune, form: ReportForm, month: date) -> list[tuple]:
    """[(indicator, {hamlet_id: n})] for automatic indicators whose records name a hamlet."""
    out = []
    for indicator in consolidation_indicators(form, month):
        spec = SOURCES.get(indicator.source)
        if spec and spec.by_hamlet:
            out.append((indicator, spec.by_hamlet(commune, month, month_end(month))))
    return out


def completeness_by_commune(commune_ids, month: date) -> dict[int, dict]:
    """Per commune, for one month: organisations due to report, reports sent, sent on time,
    accepted. Four queries whatever the number of communes (for the province dashboard)."""
    forms = {
        f.pk: f
        for f in ReportForm.objects.filter(commune_id__in=commune_ids, active=True).only(
            "commune_id", "due_day"
        )
    }
    due = dict.fromkeys(commune_ids, 0)
    for row in (
        ReportForm.organisations.through.objects.filter(reportform_id__in=forms)
        .values("reportform__commune_id")
        .annotate(n=Count("organisation_id", distinct=True))
    ):
        due[row["reportform__commune_id"]] += row["n"]
    result = {pk: {"due": due[pk], "sent": 0, "on_time": 0, "accepted": 0} for pk in commune_ids}
    sent = MonthlyReport.objects.filter(form_id__in=forms, month=month).exclude(
        status=MonthlyReport.Status.DRAFT
    )
    for report in sent.only("commune_id", "form_id", "status", "submitted_at"):
        cell = result[report.commune_id]
        cell["sent"] += 1
        deadline = forms[report.form_id].due_date(month)
        if report.submitted_at and timezone.localdate(report.submitted_at) <= deadline:
            cell["on_time"] += 1
        if report.status == MonthlyReport.Status.ACCEPTED:
            cell["accepted"] += 1
    return result
