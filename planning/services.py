"""Writes to plans and budgets: validated, in one transaction, audited.

Permission is checked by the views (planning.access); these functions check that everything
they are given belongs together (same commune, same plan) and that the values make sense.
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_record, changes
from places.models import Commune, Organisation
from planning.models import (
    Activity,
    BudgetLine,
    CommunePlan,
    Expense,
    OrgPlan,
    PlanItem,
    Source,
    Target,
)
from planning.money import format_vnd, parse_vnd
from planning.progress import measurable_sources

A = AuditEntry.Action
PLAN_FIELDS = ["number", "issued_on", "title", "preamble", "signer_title", "signer_name"]
ITEM_FIELDS = ["section", "position", "heading", "body", "organisation_id"]
ACTIVITY_FIELDS = ["title", "owner", "starts_on", "ends_on", "plan_item_id"]
TARGET_FIELDS = ["indicator", "value", "unit", "source"]
LINE_FIELDS = ["source", "description", "planned", "activity_id"]
MIN_YEAR, MAX_YEAR = 2020, 2035


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _snapshot(obj, fields: Iterable[str]) -> dict:
    return {f: _json(getattr(obj, f)) for f in fields}


def _update(actor, obj, values: dict, fields: list[str], also: tuple = ()):
    """Set `values` on `obj`, save just those columns (and `also`), audit what changed."""
    before = _snapshot(obj, fields)
    for key, value in values.items():
        setattr(obj, key, value)
    obj.save(update_fields=[*values, *also])
    old, new = changes(before, _snapshot(obj, fields))
    if new:
        audit_record(actor=actor, action=A.UPDATE, target=obj, before=old, after=new)
    return obj


def _clean_text(value: str, *, label: str, required: bool = True, max_length: int = 300) -> str:
    value = " ".join((value or "").replace("\x00", "").split())
    if required and not value:
        raise ValidationError(f"Hãy nhập {label}.", code="required")
    if len(value) > max_length:
        raise ValidationError(f"{label.capitalize()} dài quá {max_length} ký tự.", code="long")
    return value


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"Năm kế hoạch phải từ {MIN_YEAR} đến {MAX_YEAR}.", code="year")


# -- The commune plan ----------------------------------------------------------------------


@transaction.atomic
def commune_plan_save(
    *,
    actor: User | None,
    commune: Commune,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    preamble: str = "",
    signer_title: str = "",
    signer_name: str = "",
) -> CommunePlan:
    values = {
        "title": _clean_text(title, label="tên kế hoạch"),
        "number": _clean_text(number, label="số kế hoạch", required=False, max_length=40),
        "issued_on": issued_on,
        "preamble": (preamble or "").replace("\x00", "").strip(),
        "signer_title": _clean_text(
            signer_title, label="chức vụ người ký", required=False, max_length=100
        ),
        "signer_name": _clean_text(signer_name, label="người ký", required=False, max_length=100),
    }
    plan = CommunePlan.objects.select_for_update().filter(commune=commune).first()
    if plan is None:
        plan = CommunePlan.objects.create(commune=commune, **values)
        audit_record(actor=actor, action=A.CREATE, target=plan, after=_snapshot(plan, PLAN_FIELDS))
        return plan
    return _update(actor, plan, values, PLAN_FIELDS, also=("updated_at",))


@transaction.atomic
def plan_item_save(
    *,
    actor: User | None,
    plan: CommunePlan,
    section: str,
    body: str,
    heading: str = "",
    position: int = 1,
    organisation: Organisation | None = None,
    item: PlanItem | None = None,
) -> PlanItem:
    if section not in PlanItem.Section.values:
        raise ValidationError("Hãy chọn phần của kế hoạch.", code="section")
    if organisation is not None and organisation.commune_id != plan.commune_id:
        raise ValidationError("Cơ quan này không thuộc xã của bạn.", code="organisation")
    body = "\n".join(line.rstrip() for line in (body or "").replace("\x00", "").splitlines())
    if not body.strip():
        raise ValidationError("Hãy nhập ít nhất một ý.", code="required")
    values = {
        "section": section,
        "position": max(1, min(int(position), 99)),
        "heading": _clean_text(heading, label="tiêu đề", required=False),
        "body": body.strip(),
        "organisation": organisation,
    }
    if item is None:
        item = PlanItem.objects.create(commune_id=plan.commune_id, plan=plan, **values)
        audit_record(actor=actor, action=A.CREATE, target=item, after=_snapshot(item, ITEM_FIELDS))
        return item
    if item.plan_id != plan.pk:
        raise ValueError("item of another plan")
    return _update(actor, item, values, ITEM_FIELDS)


@transaction.atomic
def plan_item_delete(*, actor: User | None, item: PlanItem) -> None:
    audit_record(actor=actor, action=A.DELETE, target=item, before=_snapshot(item, ITEM_FIELDS))
    item.delete()


# -- Detailed plans ------------------------------------------------------------------------


def org_plan_ensure(*, actor: User | None, organisation: Organisation, year: int) -> OrgPlan:
    """The organisation's plan for the year, created (and audited) the first time."""
    _check_year(year)
    plan = OrgPlan.objects.filter(organisation=organisation, year=year).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            plan = OrgPlan.objects.create(
                commune_id=organisation.commune_id, organisation=organisation, year=year
            )
            audit_record(actor=actor, action=A.CREATE, target=plan, after={"year": year})
    except IntegrityError:  # a double submit created it meanwhile
        plan = OrgPlan.objects.get(organisation=organisation, year=year)
    return plan


@transaction.atomic
def org_plan_update(*, actor: User | None, plan: OrgPlan, summary: str) -> OrgPlan:
    summary = (summary or "").replace("\x00", "").strip()
    if summary != plan.summary:
        old = {"summary": plan.summary}
        plan.summary = summary
        plan.save(update_fields=["summary", "updated_at"])
        audit_record(
            actor=actor, action=A.UPDATE, target=plan, before=old, after={"summary": summary}
        )
    return plan


@transaction.atomic
def activity_save(
    *,
    actor: User | None,
    plan: OrgPlan,
    title: str,
    owner: str,
    starts_on: dt.date,
    ends_on: dt.date,
    plan_item: PlanItem | None = None,
    activity: Activity | None = None,
    client_key: uuid.UUID | None = None,
) -> Activity:
    """Create (or, given `activity`, update) an activity. A repeated client_key on create (a
    double submit) returns the activity made the first time."""
    if activity is None and client_key is not None:
        existing = Activity.objects.filter(client_key=client_key, plan=plan).first()
        if existing is not None:
            return existing
    if starts_on is None or ends_on is None:
        raise ValidationError("Hãy nhập ngày bắt đầu và ngày kết thúc.", code="required")
    if ends_on < starts_on:
        raise ValidationError(
            "Ngày kết thúc không được trước ngày bắt đầu.", code="ends_before_start"
        )
    if starts_on.year != plan.year:
        raise ValidationError(
            f"Hoạt động của kế hoạch năm {plan.year} phải bắt đầu trong năm {plan.year}.",
            code="starts_outside_year",
        )
    if ends_on.year > plan.year + 1:
        raise ValidationError(
            f"Hoạt động phải kết thúc chậm nhất ngày 31/12/{plan.year + 1}.",
            code="ends_too_late",
        )
    if plan_item is not None and plan_item.commune_id != plan.commune_id:
        raise ValidationError("Mục này không thuộc kế hoạch của xã.", code="plan_item")
    values = {
        "title": _clean_text(title, label="tên hoạt động"),
        "owner": _clean_text(owner, label="người, bộ phận phụ trách", max_length=150),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "plan_item": plan_item,
    }
    if activity is None:
        try:
            with transaction.atomic():
                activity = Activity.objects.create(
                    commune_id=plan.commune_id, plan=plan, client_key=client_key, **values
                )
        except IntegrityError:  # the same submit, arriving twice at once
            return Activity.objects.get(client_key=client_key)
        audit_record(
            actor=actor,
            action=A.CREATE,
            target=activity,
            after=_snapshot(activity, ACTIVITY_FIELDS),
        )
        return activity
    if activity.plan_id != plan.pk:
        raise ValueError("activity of another plan")
    return _update(actor, activity, values, ACTIVITY_FIELDS)


@transaction.atomic
def activity_delete(*, actor: User | None, activity: Activity) -> None:
    """Delete an activity with its targets. Its budget lines, and any money spent on them,
    stay in the plan as lines for the whole plan."""
    before = _snapshot(activity, ACTIVITY_FIELDS)
    before["targets"] = [str(t) for t in activity.targets.all()]
    audit_record(actor=actor, action=A.DELETE, target=activity, before=before)
    activity.delete()


def parse_target_value(text: str | int) -> int:
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).strip().replace(".", "").replace(" ", "")
        if not cleaned.lstrip("-").isdigit():
            raise ValidationError("Giá trị mục tiêu phải là số nguyên, ví dụ 200.", code="invalid")
        value = int(cleaned)
    if value < 0:
        raise ValidationError("Giá trị mục tiêu không được âm.", code="negative")
    if value > 10**9:
        raise ValidationError("Giá trị mục tiêu quá lớn, hãy kiểm tra lại.", code="too_large")
    return value


def target_add(
    *,
    actor: User | None,
    activity: Activity,
    indicator: str,
    value: str | int,
    unit: str = "",
    source: str = "",
    client_key: uuid.UUID | None = None,
) -> Target:
    """Add a target to an activity; `source` names the platform figure that measures it (see
    planning.progress), blank when the organisation reports it itself. A repeated client_key
    (a double submit) returns the target made the first time."""
    if client_key is not None:
        existing = Target.objects.filter(client_key=client_key, activity=activity).first()
        if existing is not None:
            return existing
    values = _target_values(indicator, value, unit, source)
    try:
        with transaction.atomic():
            target = Target.objects.create(
                commune_id=activity.commune_id, activity=activity, client_key=client_key, **values
            )
            audit_record(actor=actor, action=A.CREATE, target=target, after=values)
    except IntegrityError:  # the same submit, arriving twice at once
        return Target.objects.get(client_key=client_key)
    return target


def _target_values(indicator: str, value: str | int, unit: str, source: str) -> dict:
    source = source or ""
    if source and source not in dict(measurable_sources()):
        raise ValidationError(
            "Số liệu này nền tảng không đếm được cho từng cơ quan; hãy để “Đơn vị tự báo cáo”.",
            code="source",
        )
    return {
        "indicator": _clean_text(indicator, label="tên chỉ tiêu", max_length=200),
        "value": parse_target_value(value),
        "unit": _clean_text(unit, label="đơn vị tính", required=False, max_length=30),
        "source": source,
    }


@transaction.atomic
def target_update(
    *,
    actor: User | None,
    target: Target,
    indicator: str,
    value: str | int,
    unit: str = "",
    source: str = "",
) -> Target:
    """Correct a target's name, value, unit or what measures it; the change is audited."""
    values = _target_values(indicator, value, unit, source)
    return _update(actor, target, values, TARGET_FIELDS)


@transaction.atomic
def target_delete(*, actor: User | None, target: Target) -> None:
    audit_record(
        actor=actor, action=A.DELETE, target=target, before=_snapshot(target, TARGET_FIELDS)
    )
    target.delete()


# -- Budget --------------------------------------------------------------------------------


@transaction.atomic
def budget_line_save(
    *,
    actor: User | None,
    plan: OrgPlan,
    source: str,
    description: str,
    planned: str | int,
    activity: Activity | None = None,
    line: BudgetLine | None = None,
    client_key: uuid.UUID | None = None,
) -> BudgetLine:
    """Create (or, given `line`, update) a budget line; a repeated client_key returns the first."""
    if line is None and client_key is not None:
        existing = BudgetLine.objects.filter(client_key=client_key, plan=plan).first()
        if existing is not None:
            return existing
    if source not in Source.values:
        raise ValidationError(
            "Hãy chọn nguồn kinh phí: ngân sách xã, kinh phí chương trình hoặc xã hội hóa.",
            code="source",
        )
    if activity is not None and activity.plan_id != plan.pk:
        raise ValidationError("Hoạt động này không thuộc kế hoạch này.", code="activity")
    values = {
        "source": source,
        "description": _clean_text(description, label="nội dung chi"),
        "planned": parse_vnd(planned),
        "activity": activity,
    }
    if line is None:
        try:
            with transaction.atomic():
                line = BudgetLine.objects.create(
                    commune_id=plan.commune_id, plan=plan, client_key=client_key, **values
                )
        except IntegrityError:  # the same submit, arriving twice at once
            return BudgetLine.objects.get(client_key=client_key)
        audit_record(actor=actor, action=A.CREATE, target=line, after=_snapshot(line, LINE_FIELDS))
        return line
    if line.plan_id != plan.pk:
        raise ValueError("line of another plan")
    return _update(actor, line, values, LINE_FIELDS)


def expense_record(
    *,
    actor: User | None,
    plan: OrgPlan,
    line_id: int | str | None,
    amount: str | int,
    spent_on: dt.date,
    note: str = "",
    client_key: uuid.UUID | None = None,
) -> Expense:
    """Record money spent on one of the plan's budget lines. A repeated client_key (a double
    submit) returns the first expense instead of counting the money twice."""
    if client_key is not None:
        existing = Expense.objects.filter(client_key=client_key, line__plan=plan).first()
        if existing is not None:
            return existing
    try:
        line = plan.budget_lines.get(pk=int(line_id))
    except (BudgetLine.DoesNotExist, TypeError, ValueError):
        raise ValidationError(
            "Không có dòng kinh phí này trong kế hoạch. Hãy chọn một dòng trong danh sách.",
            code="unknown_line",
        ) from None
    value = parse_vnd(amount)
    if value == 0:
        raise ValidationError("Số tiền đã chi phải lớn hơn 0.", code="zero")
    if spent_on is None:
        raise ValidationError("Hãy nhập ngày chi.", code="required")
    if spent_on > timezone.localdate():
        raise ValidationError("Ngày chi không được sau hôm nay.", code="future")
    if spent_on.year < plan.year:
        raise ValidationError(
            f"Ngày chi phải từ 01/01/{plan.year}: đây là kế hoạch năm {plan.year}.",
            code="before_plan",
        )
    try:
        with transaction.atomic():
            expense = Expense.objects.create(
                commune_id=plan.commune_id,
                line=line,
                amount=value,
                spent_on=spent_on,
                note=_clean_text(note, label="ghi chú", required=False),
                recorded_by=actor,
                client_key=client_key,
            )
            audit_record(
                actor=actor,
                action=A.CREATE,
                target=expense,
                after={"line": line.description, "amount": value, "spent_on": spent_on.isoformat()},
            )
    except IntegrityError:
        return Expense.objects.get(client_key=client_key)
    return expense


@transaction.atomic
def budget_line_delete(*, actor: User | None, line: BudgetLine) -> None:
    """Delete a budget line on which nothing was spent. Money spent stays on record: a line
    with expenses is refused (delete the wrong expenses first, each with its reason)."""
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    spent = line.expenses.aggregate(total=Sum("amount"), n=Count("id"))
    if spent["n"]:
        raise ValidationError(
            f"Không xóa được dòng “{line.description}”: đã ghi {spent['n']} khoản chi, "
            f"tổng {format_vnd(spent['total'])}. Nếu khoản chi ghi nhầm, hãy xóa khoản chi đó "
            "(kèm lý do) trước.",
            code="has_expenses",
        )
    audit_record(actor=actor, action=A.DELETE, target=line, before=_snapshot(line, LINE_FIELDS))
    line.delete()


EXPENSE_REASON_MIN = 5


@transaction.atomic
def expense_delete(*, actor: User | None, expense: Expense, reason: str) -> None:
    """Remove a wrongly recorded expense. Amounts are never edited in place: a mistake is
    deleted with its reason (kept in the audit log with the amount) and recorded again."""
    reason = _clean_text(reason, label="lý do xóa")
    if len(reason) < EXPENSE_REASON_MIN:
        raise ValidationError(
            "Hãy ghi rõ lý do xóa, ví dụ “Ghi nhầm số tiền, đúng là 1.200.000”.", code="short"
        )
    expense = Expense.objects.select_for_update().select_related("line").get(pk=expense.pk)
    audit_record(
        actor=actor,
        action=A.DELETE,
        target=expense,
        before={
            "line": expense.line.description,
            "amount": expense.amount,
            "spent_on": expense.spent_on.isoformat(),
            "note": expense.note,
        },
        after={"reason": reason},
    )
    expense.delete()


def was_deleted(*, commune_id: int, model, pk: int) -> bool:
    """Did an official of this commune delete this row? (A repeated delete is then not an
    error: the second click of a double submit finds the row already gone.)"""
    return AuditEntry.objects.filter(
        commune_id=commune_id,
        action=A.DELETE,
        target_type=model._meta.verbose_name,
        target_id=str(pk),
    ).exists()


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def org_plan_start(
    *, actor: User | None, organisation: Organisation, year: int, copy_from: OrgPlan | None = None
) -> tuple[OrgPlan, bool]:
    """Start the organisation's plan for `year`, optionally as a copy of an earlier plan: its
    general aim, activities (dates moved to the new year), their targets and its budget lines
    with their planned amounts. Nothing spent is copied. Returns (plan, created); a plan that
    already exists (a double submit) is returned untouched."""
    _check_year(year)
    if copy_from is not None and (
        copy_from.organisation_id != organisation.pk or copy_from.year >= year
    ):
        raise ValidationError("Chỉ chép được kế hoạch của năm trước của chính đơn vị.", code="copy")
    if OrgPlan.objects.filter(organisation=organisation, year=year).exists():
        return OrgPlan.objects.get(organisation=organisation, year=year), False
    try:
        with transaction.atomic():
            plan = OrgPlan.objects.create(
                commune_id=organisation.commune_id,
                organisation=organisation,
                year=year,
                summary=copy_from.summary if copy_from else "",
            )
            counts = _copy_plan(actor, copy_from, plan) if copy_from else {}
            after = {"year": year}
            if copy_from:
                after |= {"copied_from": copy_from.year, **counts}
            audit_record(actor=actor, action=A.CREATE, target=plan, after=after)
    except IntegrityError:  # the same submit, arriving twice at once
        return OrgPlan.objects.get(organisation=organisation, year=year), False
    return plan, True


def _copy_plan(actor: User | None, old: OrgPlan, new: OrgPlan) -> dict:
    shift = new.year - old.year
    activities = {}
    targets = lines = 0
    for activity in old.activities.prefetch_related("targets"):
        copy = Activity.objects.create(
            commune_id=new.commune_id,
            plan=new,
            title=activity.title,
            owner=activity.owner,
            starts_on=_shift_year(activity.starts_on, shift),
            ends_on=_shift_year(activity.ends_on, shift),
            plan_item_id=activity.plan_item_id,
        )
        activities[activity.pk] = copy
        audit_record(
            actor=actor, action=A.CREATE, target=copy, after=_snapshot(copy, ACTIVITY_FIELDS)
        )
        for target in activity.targets.all():
            Target.objects.create(
                commune_id=new.commune_id,
                activity=copy,
                indicator=target.indicator,
                value=target.value,
                unit=target.unit,
                source=target.source,
            )
            targets += 1
    for line in old.budget_lines.all():
        copy = BudgetLine.objects.create(
            commune_id=new.commune_id,
            plan=new,
            activity=activities.get(line.activity_id),
            source=line.source,
            description=line.description,
            planned=line.planned,
        )
        audit_record(actor=actor, action=A.CREATE, target=copy, after=_snapshot(copy, LINE_FIELDS))
        lines += 1
    return {"activities": len(activities), "targets": targets, "budget_lines": lines}
