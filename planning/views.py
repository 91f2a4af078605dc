"""Plans and budgets (read by leaders, written by the coordinator and each organisation's
officer), the leader dashboard and the province dashboard."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import communes_for_user, role_required
from accounts.models import Role
from lib.http import posted
from outreach.skills import DEFAULT_TARGETS
from places.divisions import province_name
from places.models import Organisation
from planning import charts
from planning.access import (
    COMMUNE_PLAN_EDITORS,
    DASHBOARD_VIEWERS,
    PLAN_READERS,
    can_edit_commune_plan,
    can_edit_org_plan,
    get_plan_organisation_for_user,
    plan_organisations_for_user,
)
from planning.budget import commune_budget, commune_expenses
from planning.dashboard import (
    TREND_SERIES,
    commune_dashboard,
    province_figures,
    year_from,
)
from planning.excel import budget_workbook, province_workbook
from planning.forms import (
    ActivityForm,
    BudgetLineForm,
    CommunePlanForm,
    ExpenseDeleteForm,
    ExpenseForm,
    PlanItemForm,
    PlanStartForm,
    SummaryForm,
    TargetForm,
)
from planning.models import (
    Activity,
    BudgetLine,
    CommunePlan,
    Expense,
    OrgPlan,
    PlanItem,
    Target,
)
from planning.money import format_vnd
from planning.progress import plan_progress
from planning.services import (
    activity_delete,
    activity_save,
    budget_line_delete,
    budget_line_save,
    commune_plan_save,
    expense_delete,
    expense_record,
    org_plan_ensure,
    org_plan_start,
    org_plan_update,
    plan_item_delete,
    plan_item_save,
    target_add,
    target_delete,
    target_update,
    was_deleted,
)
from reports.months import recent_months
from reports.selectors import completeness, completeness_by_commune

# -- The commune plan ----------------------------------------------------------------------


@role_required(*PLAN_READERS)
def commune_plan(request):
    commune = request.user.commune
    plan = CommunePlan.objects.filter(commune=commune).first()
    sections = []
    if plan is not None:
        items = list(plan.items.select_related("organisation"))
        for key, label in PlanItem.Section.choices:
            chosen = [i for i in items if i.section == key]
            if chosen:
                sections.append((label, chosen))
    year = year_from(request.GET.get("nam"))
    organisations = plan_organisations_for_user(request.user)
    plans = {
        p.organisation_id: p
        for p in OrgPlan.objects.filter(organisation__in=organisations, year=year).annotate(
            planned=Sum("budget_lines__planned")
        )
    }
    return render(
        request,
        "planning/commune_plan.html",
        {
            "plan": plan,
            "sections": sections,
            "year": year,
            "org_rows": [(org, plans.get(org.pk)) for org in organisations],
            "can_edit": can_edit_commune_plan(request.user),
            "can_read_budget": request.user.role in DASHBOARD_VIEWERS,
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*COMMUNE_PLAN_EDITORS)
def commune_plan_edit(request):
    commune = request.user.commune
    plan = CommunePlan.objects.filter(commune=commune).first()
    form = CommunePlanForm.for_plan(posted(request), plan)
    if request.method == "POST" and form.is_valid():
        try:
            commune_plan_save(actor=request.user, commune=commune, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu kế hoạch của xã.")
            return redirect("planning:commune_plan")
    return render(request, "planning/form.html", {"form": form, "title": "Sửa kế hoạch của xã"})


@require_http_methods(["GET", "POST"])
@role_required(*COMMUNE_PLAN_EDITORS)
def plan_item_edit(request, item_id: int | None = None):
    commune = request.user.commune
    item = None
    if item_id is not None:
        item = get_object_or_404(PlanItem, pk=item_id, commune=commune)
    initial = {}
    if item is not None:
        initial = {
            "section": item.section,
            "position": item.position,
            "heading": item.heading,
            "body": item.body,
            "organisation": item.organisation_id,
        }
    elif request.GET.get("phan") in PlanItem.Section.values:
        initial = {"section": request.GET["phan"]}
    form = PlanItemForm(
        posted(request),
        initial=initial,
        organisations=Organisation.objects.filter(commune=commune),
    )
    if request.method == "POST" and form.is_valid():
        plan = CommunePlan.objects.filter(commune=commune).first()
        if plan is None:
            form.add_error(None, "Hãy nhập tên kế hoạch của xã trước.")
        else:
            try:
                plan_item_save(actor=request.user, plan=plan, item=item, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Đã lưu mục của kế hoạch.")
                return redirect("planning:commune_plan")
    title = "Sửa mục của kế hoạch" if item else "Thêm mục vào kế hoạch"
    return render(
        request,
        "planning/form.html",
        {"form": form, "title": title, "delete_item": item},
    )


@require_POST
@role_required(*COMMUNE_PLAN_EDITORS)
def plan_item_remove(request, item_id: int):
    item = PlanItem.objects.filter(pk=item_id, commune=request.user.commune).first()
    if item is None:
        if not was_deleted(commune_id=request.user.commune_id, model=PlanItem, pk=item_id):
            raise Http404
        messages.info(request, "Mục này đã được xóa.")
        return redirect("planning:commune_plan")
    plan_item_delete(actor=request.user, item=item)
    messages.success(request, "Đã xóa mục khỏi kế hoạch.")
    return redirect("planning:commune_plan")


# -- Detailed plans ------------------------------------------------------------------------


def _org_plan(request, organisation_id: int, *, write: bool = False) -> tuple[Organisation, int]:
    organisation = get_plan_organisation_for_user(request.user, organisation_id)
    if write and not can_edit_org_plan(request.user, organisation):
        raise PermissionDenied
    return organisation, year_from(request.GET.get("nam") or request.POST.get("nam"))


def _existing_plan(organisation: Organisation, year: int) -> OrgPlan | None:
    return OrgPlan.objects.filter(organisation=organisation, year=year).first()


def _back(organisation: Organisation, year: int):
    response = redirect("planning:org_plan", organisation_id=organisation.pk)
    response["Location"] += f"?nam={year}"
    return response


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def org_plan(request, organisation_id: int):
    organisation, year = _org_plan(request, organisation_id)
    plan = _existing_plan(organisation, year)
    can_edit = can_edit_org_plan(request.user, organisation)
    summary_form = SummaryForm(posted(request), initial={"summary": plan.summary if plan else ""})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if summary_form.is_valid():
            plan = org_plan_ensure(actor=request.user, organisation=organisation, year=year)
            org_plan_update(actor=request.user, plan=plan, **summary_form.cleaned_data)
            messages.success(request, "Đã lưu mục tiêu chung.")
            return _back(organisation, year)
    activities, lines, totals = [], [], {"planned": 0, "spent": 0}
    previous = None
    if plan is None:
        previous = (
            OrgPlan.objects.filter(organisation=organisation, year__lt=year)
            .order_by("-year")
            .first()
        )
    else:
        activities = list(
            plan.activities.select_related("plan_item").prefetch_related(
                Prefetch("targets", queryset=Target.objects.order_by("id"))
            )
        )
        plan_progress(activities, organisation)
        lines = list(
            plan.budget_lines.select_related("activity").annotate(spent=Sum("expenses__amount"))
        )
        totals = {
            "planned": sum(line.planned for line in lines),
            "spent": sum(line.spent or 0 for line in lines),
        }
    this_year = timezone.localdate().year
    return render(
        request,
        "planning/org_plan.html",
        {
            "organisation": organisation,
            "plan": plan,
            "year": year,
            "years": [this_year - 1, this_year, this_year + 1],
            "activities": activities,
            "lines": lines,
            "totals": totals,
            "expenses": plan and plan_expenses(plan),
            "can_edit": can_edit,
            "summary_form": summary_form,
            "previous": previous,
            "start_form": PlanStartForm(initial={"copy": previous is not None}),
        },
    )


def plan_expenses(plan: OrgPlan):
    return Expense.objects.filter(line__plan=plan).select_related("line", "recorded_by")[:50]


@require_POST
@role_required(*PLAN_READERS)
def org_plan_start_view(request, organisation_id: int):
    """Start the year's plan, empty or as a copy of the latest earlier one."""
    organisation, year = _org_plan(request, organisation_id, write=True)
    if request.POST.get("nam") != str(year):
        messages.error(request, "Năm kế hoạch không hợp lệ. Hãy chọn năm trong danh sách.")
        return _back(organisation, year)
    form = PlanStartForm(request.POST)
    copy = form.is_valid() and form.cleaned_data["copy"]
    previous = None
    if copy:
        previous = (
            OrgPlan.objects.filter(organisation=organisation, year__lt=year)
            .order_by("-year")
            .first()
        )
    try:
        plan, created = org_plan_start(
            actor=request.user, organisation=organisation, year=year, copy_from=previous
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _back(organisation, year)
    if not created:
        messages.info(request, f"Kế hoạch năm {year} đã được lập trước đó.")
    elif previous is not None:
        messages.success(
            request,
            f"Đã lập kế hoạch năm {year} từ kế hoạch năm {previous.year}: hãy sửa ngày, chỉ tiêu "
            "và dự toán cho năm mới.",
        )
    else:
        messages.success(request, f"Đã lập kế hoạch năm {year}.")
    return _back(organisation, plan.year)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def activity_edit(request, organisation_id: int, activity_id: int | None = None):
    organisation, year = _org_plan(request, organisation_id, write=True)
    activity = None
    if activity_id is not None:
        activity = get_object_or_404(
            Activity.objects.select_related("plan"), pk=activity_id, plan__organisation=organisation
        )
        year = activity.plan.year
    initial = {"client_key": uuid.uuid4()}
    if activity is not None:
        initial = {
            "title": activity.title,
            "owner": activity.owner,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "plan_item": activity.plan_item_id,
        }
    form = ActivityForm(
        posted(request),
        initial=initial,
        plan_items=PlanItem.objects.filter(
            commune=organisation.commune_id,
            section__in=[PlanItem.Section.CONTENT, PlanItem.Section.FORM],
        ),
    )
    if request.method == "POST" and form.is_valid():
        plan = activity.plan if activity else None
        try:
            plan = plan or org_plan_ensure(actor=request.user, organisation=organisation, year=year)
            activity_save(actor=request.user, plan=plan, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu hoạt động.")
            return _back(organisation, year)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": "Sửa hoạt động" if activity else f"Thêm hoạt động vào kế hoạch {year}",
            "subtitle": organisation.name,
            "year": year,
            "back": organisation,
            "delete_activity": activity,
        },
    )


@require_POST
@role_required(*PLAN_READERS)
def activity_remove(request, organisation_id: int, activity_id: int):
    organisation, year = _org_plan(request, organisation_id, write=True)
    activity = (
        Activity.objects.select_related("plan")
        .filter(pk=activity_id, plan__organisation=organisation)
        .first()
    )
    if activity is None:
        return _gone(request, organisation, Activity, activity_id, year, "Hoạt động đã được xóa.")
    year = activity.plan.year
    activity_delete(actor=request.user, activity=activity)
    messages.success(request, "Đã xóa hoạt động.")
    return _back(organisation, year)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def target_edit(
    request, organisation_id: int, activity_id: int | None = None, target_id: int | None = None
):
    organisation, _ = _org_plan(request, organisation_id, write=True)
    target = None
    if target_id is not None:
        target = get_object_or_404(
            Target.objects.select_related("activity__plan"),
            pk=target_id,
            activity__plan__organisation=organisation,
        )
        activity = target.activity
    else:
        activity = get_object_or_404(
            Activity.objects.select_related("plan"), pk=activity_id, plan__organisation=organisation
        )
    initial = {"client_key": uuid.uuid4()}
    if target is not None:
        initial = {
            "indicator": target.indicator,
            "value": f"{target.value:,}".replace(",", "."),
            "unit": target.unit,
            "source": target.source,
        }
    form = TargetForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if target is None:
                target_add(actor=request.user, activity=activity, **form.cleaned_data)
            else:
                form.cleaned_data.pop("client_key")
                target_update(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            value_error = exc.code in {"invalid", "negative", "too_large"}
            form.add_error("value" if value_error else None, exc)
        else:
            messages.success(request, "Đã lưu chỉ tiêu." if target else "Đã thêm chỉ tiêu.")
            return _back(organisation, activity.plan.year)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": "Sửa chỉ tiêu" if target else "Thêm chỉ tiêu",
            "subtitle": activity.title,
            "year": activity.plan.year,
            "back": organisation,
        },
    )


@require_POST
@role_required(*PLAN_READERS)
def target_remove(request, organisation_id: int, target_id: int):
    organisation, year = _org_plan(request, organisation_id, write=True)
    target = (
        Target.objects.select_related("activity__plan")
        .filter(pk=target_id, activity__plan__organisation=organisation)
        .first()
    )
    if target is None:
        return _gone(request, organisation, Target, target_id, year, "Chỉ tiêu đã được xóa.")
    year = target.activity.plan.year
    target_delete(actor=request.user, target=target)
    messages.success(request, "Đã xóa chỉ tiêu.")
    return _back(organisation, year)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def budget_line_edit(request, organisation_id: int, line_id: int | None = None):
    organisation, year = _org_plan(request, organisation_id, write=True)
    line = None
    if line_id is not None:
        line = get_object_or_404(
            BudgetLine.objects.select_related("plan"), pk=line_id, plan__organisation=organisation
        )
        year = line.plan.year
    plan = line.plan if line else _existing_plan(organisation, year)
    initial = {"client_key": uuid.uuid4()}
    if line is not None:
        initial = {
            "source": line.source,
            "description": line.description,
            "planned": f"{line.planned:,}".replace(",", "."),
            "activity": line.activity_id,
        }
    form = BudgetLineForm(
        posted(request),
        initial=initial,
        activities=plan.activities.all() if plan else Activity.objects.none(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan or org_plan_ensure(actor=request.user, organisation=organisation, year=year)
            budget_line_save(actor=request.user, plan=plan, line=line, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(
                "planned" if exc.code in {"invalid", "negative", "too_large"} else None, exc
            )
        else:
            messages.success(request, "Đã lưu dòng kinh phí.")
            return _back(organisation, year)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": "Sửa dòng kinh phí" if line else f"Thêm dòng kinh phí năm {year}",
            "subtitle": organisation.name,
            "year": year,
            "back": organisation,
            "delete_line": line,
        },
    )


def _gone(request, organisation: Organisation, model, pk: int, year: int, message: str):
    """A second click on a delete button: the row is gone, say so instead of failing. A row
    that was never this commune's stays a 404."""
    if not was_deleted(commune_id=organisation.commune_id, model=model, pk=pk):
        raise Http404
    messages.info(request, message)
    return _back(organisation, year)


@require_POST
@role_required(*PLAN_READERS)
def budget_line_remove(request, organisation_id: int, line_id: int):
    organisation, year = _org_plan(request, organisation_id, write=True)
    line = (
        BudgetLine.objects.select_related("plan")
        .filter(pk=line_id, plan__organisation=organisation)
        .first()
    )
    if line is None:
        return _gone(request, organisation, BudgetLine, line_id, year, "Dòng kinh phí đã được xóa.")
    try:
        budget_line_delete(actor=request.user, line=line)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Đã xóa dòng kinh phí “{line.description}”.")
    return _back(organisation, line.plan.year)


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def expense_remove(request, organisation_id: int, expense_id: int):
    organisation, year = _org_plan(request, organisation_id, write=True)
    expense = (
        Expense.objects.select_related("line__plan")
        .filter(pk=expense_id, line__plan__organisation=organisation)
        .first()
    )
    if expense is None:
        return _gone(request, organisation, Expense, expense_id, year, "Khoản chi đã được xóa.")
    year = expense.line.plan.year
    form = ExpenseDeleteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            expense_delete(actor=request.user, expense=expense, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.success(
                request,
                f"Đã xóa khoản chi {format_vnd(expense.amount)}; "
                "nếu cần, hãy ghi lại đúng số tiền.",
            )
            return _back(organisation, year)
    return render(
        request,
        "planning/expense_delete.html",
        {"form": form, "expense": expense, "organisation": organisation, "year": year},
    )


@require_http_methods(["GET", "POST"])
@role_required(*PLAN_READERS)
def expense_create(request, organisation_id: int):
    organisation, year = _org_plan(request, organisation_id, write=True)
    plan = _existing_plan(organisation, year)
    lines = list(plan.budget_lines.all()) if plan else []
    form = ExpenseForm(
        posted(request),
        initial={"client_key": uuid.uuid4(), "spent_on": timezone.localdate()},
        lines=lines,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                raise ValidationError(
                    "Kế hoạch năm này chưa có dòng kinh phí nào.", code="unknown_line"
                )
            expense_record(
                actor=request.user,
                plan=plan,
                line_id=data["line"],
                amount=data["amount"],
                spent_on=data["spent_on"],
                note=data["note"],
                client_key=data["client_key"],
            )
        except ValidationError as exc:
            field = {"unknown_line": "line", "future": "spent_on", "before_plan": "spent_on"}
            field = field.get(exc.code, "amount")
            form.add_error(field, exc)
        else:
            messages.success(request, "Đã ghi khoản chi.")
            return _back(organisation, year)
    return render(
        request,
        "planning/form.html",
        {
            "form": form,
            "title": f"Ghi khoản đã chi năm {year}",
            "subtitle": organisation.name,
            "year": year,
            "back": organisation,
        },
    )


# -- Dashboards ----------------------------------------------------------------------------


def _month_labels(months: list[int]) -> list[str]:
    return [f"T{m}" for m in months]


def _dashboard_charts(figures: dict) -> dict:
    labels = _month_labels(figures["months"])
    trends = figures["trends"]
    names = dict(TREND_SERIES)
    return {
        "trend_rows": [
            (label, [trends[key][i] for key, _ in TREND_SERIES]) for i, label in enumerate(labels)
        ],
        "trend_totals": [figures["totals"][key] for key, _ in TREND_SERIES],
        "activity_chart": charts.line_chart(
            [(names[k], trends[k]) for k in ("sessions", "broadcasts", "scam_reports")],
            labels=labels,
            title="Buổi hướng dẫn, lượt phát thanh, tin báo lừa đảo theo tháng",
        ),
        "learning_chart": charts.line_chart(
            [(names[k], trends[k]) for k in ("participants", "completions", "ticks")],
            labels=labels,
            title="Lượt người dự, lượt học xong bài, kỹ năng được ghi nhận theo tháng",
        ),
        "budget_chart": charts.bar_chart(
            [(f"{b['label']}: đã chi / dự toán", b["percent"]) for b in figures["budget"]],
            title="Tỷ lệ kinh phí đã chi so với dự toán, theo nguồn",
            unit=" %",
            max_value=100,
        ),
    }


@require_http_methods(["GET", "POST"])
@role_required(*DASHBOARD_VIEWERS)
def dashboard(request):
    commune = request.user.commune
    year = year_from(request.GET.get("nam") or request.POST.get("nam"))
    if request.method == "POST":  # "Tính lại ngay"
        commune_dashboard(commune, year, recount=True)
        response = redirect("planning:dashboard")
        response["Location"] += f"?nam={year}"
        return response
    snapshot = commune_dashboard(commune, year)
    # Money is counted live (a few small queries): a leader checking an expense just recorded
    # must see it, not the figures stored up to ten minutes ago.
    budget = commune_budget(commune, year)
    money = {r.id: r for r in budget.by_organisation}
    figures = {
        **snapshot.figures,
        "budget": budget.sources,
        "budget_planned": budget.total.planned,
        "budget_spent": budget.total.spent,
        "organisations": [
            {**o, "planned": money[o["id"]].planned, "spent": money[o["id"]].spent}
            if o["id"] in money
            else o
            for o in snapshot.figures["organisations"]
        ],
    }
    target = next((t for t in figures["targets"] if t["year"] >= year), None)
    context = {
        "f": figures,
        "computed_at": snapshot.computed_at,
        "year": year,
        "years": list(range(year - 2, timezone.localdate().year + 1)),
        "target": target,
        "series": TREND_SERIES,
        "month_labels": _month_labels(figures["months"]),
        "coverage_chart": charts.bar_chart(
            [(h["name"], h["reached_percent"]) for h in figures["hamlets"]],
            title="Tỷ lệ người dân đã được tiếp cận, theo xóm",
            unit=" %",
            max_value=100,
        ),
        "target_chart": charts.bar_chart(
            [(s["label"], s["percent"]) for s in figures["skills"]],
            title="Tỷ lệ người dân có từng kỹ năng",
            unit=" %",
            max_value=100,
            marker=target["percent"] if target else None,
            marker_label=f"Mục tiêu {target['percent']} %" if target else "",
        ),
        "org_chart": charts.bar_chart(
            [(o["name"], o["participants"]) for o in figures["organisations"][:10]],
            title="Lượt người dự các buổi do từng cơ quan, đoàn thể tổ chức",
        ),
        **_dashboard_charts(figures),
        "report_months": (months := recent_months(3)),
        "report_rows": completeness(commune, months),
        "budget": budget,
    }
    return render(request, "planning/dashboard.html", context)


@role_required(*DASHBOARD_VIEWERS)
def budget_page(request):
    """Planned against spent for the commune's year: by source, by organisation, each line."""
    year = year_from(request.GET.get("nam"))
    budget = commune_budget(request.user.commune, year)
    return render(
        request,
        "planning/budget.html",
        {
            "budget": budget,
            "year": year,
            "years": list(range(year - 2, timezone.localdate().year + 2)),
            "budget_chart": charts.bar_chart(
                [(f"{r.label}: đã chi / dự toán", r.percent) for r in budget.by_source],
                title="Tỷ lệ kinh phí đã chi so với dự toán, theo nguồn",
                unit=" %",
                max_value=max([100, *(r.percent for r in budget.by_source)]),
            ),
        },
    )


@role_required(*DASHBOARD_VIEWERS)
def budget_excel(request):
    year = year_from(request.GET.get("nam"))
    commune = request.user.commune
    data = budget_workbook(
        commune_budget(commune, year), commune_expenses(commune, year), commune_name=commune.name
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kinh-phi-{year}.xlsx"'
    return response


def _province_context(request) -> dict:
    year = year_from(request.GET.get("nam"))
    communes = communes_for_user(request.user)
    figures = province_figures(communes, year)
    rows = [r for r in figures["rows"] if not r["missing"]]
    ranked = sorted(rows, key=lambda r: -r["public_service_percent"])
    if len(ranked) > 20:
        ranked = ranked[:10] + ranked[-10:]
    report_month = recent_months(1)[0]
    reports = completeness_by_commune([r["id"] for r in figures["rows"]], report_month)
    for row in figures["rows"]:
        row["reports"] = reports[row["id"]]
    return {
        "f": figures,
        "year": year,
        "ranked": ranked,
        "communes_shown": len(ranked),
        "report_month": report_month,
    }


@role_required(Role.PROVINCE)
def province_dashboard(request):
    context = _province_context(request)
    figures = context["f"]
    due = [item for item in sorted(DEFAULT_TARGETS.items()) if item[0] >= context["year"]]
    national = due[0] if due else max(DEFAULT_TARGETS.items())
    context.update(
        {
            "years": list(range(context["year"] - 2, timezone.localdate().year + 1)),
            "series": TREND_SERIES,
            "month_labels": _month_labels(figures["months"]),
            "commune_chart": charts.bar_chart(
                [(r["name"], r["public_service_percent"]) for r in context["ranked"]],
                title="Tỷ lệ người trong độ tuổi lao động đã tự làm dịch vụ công trực tuyến",
                unit=" %",
                max_value=100,
                marker=national[1],
                marker_label=f"Đề án 146: {national[1]} % ({national[0]})",
            ),
            **_dashboard_charts(figures),
        }
    )
    return render(request, "planning/province.html", context)


@role_required(Role.PROVINCE)
def province_excel(request):
    context = _province_context(request)
    data = province_workbook(
        context["f"],
        province_name=_province_name(request.user),
        report_month=context["report_month"],
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="hoc-vu-so-toan-tinh-{context["year"]}.xlsx"'
    )
    return response


def _province_name(user) -> str:
    return province_name(user.province_code) if user.province_code else ""
