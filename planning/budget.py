"""The commune's budget for a year, counted live (a handful of grouped queries): planned and
spent by source, by organisation, and every budget line, with the overspent ones flagged."""

from dataclasses import dataclass, field

from django.db.models import Sum

from places.models import Commune, Organisation
from planning.dashboard import budget_by_source
from planning.models import BudgetLine, Expense


@dataclass
class Row:
    label: str
    planned: int = 0
    spent: int = 0
    id: int | None = None
    detail: str = ""

    @property
    def remaining(self) -> int:
        return self.planned - self.spent

    @property
    def over(self) -> bool:
        return self.spent > self.planned

    @property
    def percent(self) -> float:
        return round(100 * self.spent / self.planned, 1) if self.planned else 0.0


@dataclass
class CommuneBudget:
    year: int
    by_source: list[Row]
    by_organisation: list[Row]
    lines: list[Row] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # as budget_by_source gives them

    @property
    def total(self) -> Row:
        return Row(
            "Cộng",
            sum(r.planned for r in self.by_source),
            sum(r.spent for r in self.by_source),
        )

    @property
    def overspent(self) -> list[Row]:
        return [r for r in self.lines if r.over]


def commune_budget(commune: Commune, year: int) -> CommuneBudget:
    sources = budget_by_source([commune.pk], year)
    by_source = [Row(b["label"], b["planned"], b["spent"]) for b in sources]
    lines = list(
        BudgetLine.objects.filter(commune=commune, plan__year=year)
        .select_related("plan__organisation", "activity")
        .annotate(spent=Sum("expenses__amount"))
        .order_by("plan__organisation__name", "source", "id")
    )
    orgs = {
        org.pk: Row(org.name, id=org.pk)
        for org in Organisation.objects.filter(commune=commune).only("id", "name")
    }
    line_rows = []
    for line in lines:
        org = orgs[line.plan.organisation_id]
        org.planned += line.planned
        org.spent += line.spent or 0
        line_rows.append(
            Row(
                line.description,
                line.planned,
                line.spent or 0,
                id=line.plan.organisation_id,
                detail=f"{line.plan.organisation.name} · {line.get_source_display()}",
            )
        )
    return CommuneBudget(
        year=year,
        by_source=by_source,
        by_organisation=sorted(orgs.values(), key=lambda r: (-r.planned, r.label)),
        lines=line_rows,
        sources=sources,
    )


def commune_expenses(commune: Commune, year: int):
    return (
        Expense.objects.filter(commune=commune, line__plan__year=year)
        .select_related("line__plan__organisation", "recorded_by")
        .order_by("spent_on", "id")
    )
