import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from accounts.models import AuditEntry
from planning.models import Activity, BudgetLine, CommunePlan, Expense, PlanItem, Target
from planning.services import (
    activity_save,
    budget_line_save,
    commune_plan_save,
    expense_record,
    org_plan_ensure,
    plan_item_save,
    target_add,
)

pytestmark = pytest.mark.django_db


def test_the_commune_plan_is_saved_once_per_commune_and_each_change_is_audited(cast):
    plan = commune_plan_save(actor=cast.coordinator, commune=cast.commune, title="Kế hoạch 2025")
    again = commune_plan_save(
        actor=cast.coordinator, commune=cast.commune, title="Kế hoạch 2025", number="85/KH-UBND"
    )
    assert again.pk == plan.pk and CommunePlan.objects.count() == 1
    entry = AuditEntry.objects.filter(target_id=str(plan.pk), action="update").get()
    assert entry.after == {"number": "85/KH-UBND"}


def test_plan_items_keep_their_points_and_assigned_body(cast):
    plan = commune_plan_save(actor=cast.coordinator, commune=cast.commune, title="Kế hoạch")
    item = plan_item_save(
        actor=cast.coordinator,
        plan=plan,
        section=PlanItem.Section.ASSIGNMENT,
        heading="Hội Nông dân",
        body="- Hướng dẫn bán hàng qua mạng\n\n- Lập tổ công nghệ số",
        organisation=cast.organisation,
    )
    assert item.points == ["Hướng dẫn bán hàng qua mạng", "Lập tổ công nghệ số"]
    with pytest.raises(ValidationError, match="không thuộc xã"):
        plan_item_save(
            actor=cast.coordinator,
            plan=plan,
            section=PlanItem.Section.ASSIGNMENT,
            body="x",
            organisation=cast.organisation2,
        )


def test_an_activity_cannot_end_before_it_starts(cast, plan):
    with pytest.raises(ValidationError) as exc:
        activity_save(
            actor=cast.officer,
            plan=plan,
            title="Ngày hội",
            owner="Đoàn",
            starts_on=dt.date(2026, 9, 10),
            ends_on=dt.date(2026, 9, 1),
        )
    assert exc.value.messages == ["Ngày kết thúc không được trước ngày bắt đầu."]
    assert Activity.objects.count() == 1


def test_targets_need_a_whole_non_negative_number(cast, plan):
    activity = plan.activities.get()
    target_add(actor=cast.officer, activity=activity, indicator="Hội viên", value="1.200")
    assert Target.objects.get().value == 1200
    for bad, message in [("-5", "không được âm"), ("hai trăm", "số nguyên")]:
        with pytest.raises(ValidationError, match=message):
            target_add(actor=cast.officer, activity=activity, indicator="Hộ", value=bad)
    assert Target.objects.count() == 1


def test_budget_lines_refuse_negative_amounts_and_text(cast, plan):
    for bad, message in [("-1.000.000", "Số tiền không được âm."), ("năm triệu", "phải là số")]:
        with pytest.raises(ValidationError, match=message):
            budget_line_save(
                actor=cast.officer, plan=plan, source="social", description="Quà", planned=bad
            )
    with pytest.raises(ValidationError, match="nguồn kinh phí"):
        budget_line_save(
            actor=cast.officer, plan=plan, source="bank", description="Quà", planned="1.000"
        )
    assert BudgetLine.objects.count() == 1


def test_a_budget_line_cannot_belong_to_another_plans_activity(cast, plan):
    other = org_plan_ensure(actor=cast.coordinator, organisation=cast.other_organisation, year=2026)
    with pytest.raises(ValidationError, match="không thuộc kế hoạch"):
        budget_line_save(
            actor=cast.officer,
            plan=other,
            source="commune",
            description="Tài liệu",
            planned="100.000",
            activity=plan.activities.get(),
        )


def test_spending_is_recorded_on_a_line_of_the_plan_once_per_submit(cast, plan):
    line = plan.budget_lines.get()
    key = uuid.uuid4()
    today = timezone.localdate()
    for _ in range(2):  # a double submit
        expense_record(
            actor=cast.officer,
            plan=plan,
            line_id=line.pk,
            amount="1.200.000",
            spent_on=today,
            client_key=key,
        )
    assert Expense.objects.aggregate(t=Sum("amount"))["t"] == 1_200_000
    assert AuditEntry.objects.filter(target_type="khoản đã chi").count() == 1


def test_spending_on_an_unknown_line_is_refused(cast, plan):
    other = org_plan_ensure(actor=cast.coordinator, organisation=cast.other_organisation, year=2026)
    foreign = budget_line_save(
        actor=cast.coordinator, plan=other, source="commune", description="X", planned=1000
    )
    today = timezone.localdate()
    for line_id in [foreign.pk, 999_999, "abc", None]:
        with pytest.raises(ValidationError) as exc:
            expense_record(
                actor=cast.officer, plan=plan, line_id=line_id, amount="1000", spent_on=today
            )
        assert "Không có dòng kinh phí này" in exc.value.messages[0]
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    ("amount", "days", "message"),
    [
        ("-1000", 0, "không được âm"),
        ("mười nghìn", 0, "phải là số"),
        ("0", 0, "lớn hơn 0"),
        ("1000", -1, "sau hôm nay"),
    ],
)
def test_bad_spending_is_refused(cast, plan, amount, days, message):
    with pytest.raises(ValidationError, match=message):
        expense_record(
            actor=cast.officer,
            plan=plan,
            line_id=plan.budget_lines.get().pk,
            amount=amount,
            spent_on=timezone.localdate() - dt.timedelta(days=days),
        )
    assert not Expense.objects.exists()


def test_every_write_is_in_the_audit_log(cast, plan):
    kinds = set(AuditEntry.objects.filter(actor=cast.officer).values_list("target_type", flat=True))
    assert {"kế hoạch chi tiết", "hoạt động", "dòng kinh phí"} <= kinds
