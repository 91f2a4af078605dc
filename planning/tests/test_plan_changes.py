"""A plan for a new year (copied or empty), deleting activities and budget lines, and correcting
an expense: each through a service, audited, and refused where money would silently change."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEntry
from planning.models import Activity, BudgetLine, Expense, OrgPlan, Target
from planning.services import (
    budget_line_delete,
    expense_delete,
    expense_record,
    org_plan_start,
    target_add,
)

pytestmark = pytest.mark.django_db


def _url(cast, tail: str = "") -> str:
    return f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/{tail}"


@pytest.fixture
def spent(cast, plan):
    return expense_record(
        actor=cast.officer,
        plan=plan,
        line_id=plan.budget_lines.get().pk,
        amount="1.250.000",
        spent_on=timezone.localdate(),
        note="Chứng từ 12",
    )


def test_next_years_plan_copies_activities_targets_and_lines_but_no_money_spent(cast, plan, spent):
    activity = plan.activities.get()
    target_add(
        actor=cast.officer, activity=activity, indicator="Người dự", value=200, source="sessions"
    )
    new, created = org_plan_start(
        actor=cast.officer, organisation=cast.organisation, year=plan.year + 1, copy_from=plan
    )
    assert created
    copied = new.activities.get()
    assert copied.title == activity.title
    assert copied.starts_on == activity.starts_on.replace(year=plan.year + 1)
    assert list(copied.targets.values_list("indicator", "value", "source")) == [
        ("Người dự", 200, "sessions")
    ]
    line = new.budget_lines.get()
    assert (line.description, line.planned, line.activity) == (
        "Tài liệu cho 6 buổi",
        3_600_000,
        copied,
    )
    assert not Expense.objects.filter(line__plan=new).exists()
    entry = AuditEntry.objects.get(target_type="kế hoạch chi tiết", target_id=str(new.pk))
    assert entry.after == {
        "year": plan.year + 1,
        "copied_from": plan.year,
        "activities": 1,
        "targets": 1,
        "budget_lines": 1,
    }


def test_starting_a_plan_twice_keeps_the_first(cast, plan):
    new, created = org_plan_start(
        actor=cast.officer, organisation=cast.organisation, year=plan.year + 1, copy_from=plan
    )
    again, created_again = org_plan_start(
        actor=cast.officer, organisation=cast.organisation, year=plan.year + 1, copy_from=plan
    )
    assert created and not created_again and again.pk == new.pk
    assert Activity.objects.filter(plan=new).count() == 1


def test_a_plan_cannot_be_copied_from_another_organisation(cast, plan):
    with pytest.raises(ValidationError, match="chính đơn vị"):
        org_plan_start(
            actor=cast.coordinator,
            organisation=cast.other_organisation,
            year=plan.year + 1,
            copy_from=plan,
        )
    assert not OrgPlan.objects.filter(organisation=cast.other_organisation).exists()


def test_copying_moves_29_february_to_the_28th(cast):
    old, _ = org_plan_start(actor=cast.officer, organisation=cast.organisation, year=2024)
    Activity.objects.create(
        commune=cast.commune,
        plan=old,
        title="Ngày hội",
        owner="Đoàn",
        starts_on=dt.date(2024, 2, 29),
        ends_on=dt.date(2024, 2, 29),
    )
    new, _ = org_plan_start(
        actor=cast.officer, organisation=cast.organisation, year=2025, copy_from=old
    )
    assert new.activities.get().starts_on == dt.date(2025, 2, 28)


def test_the_officer_starts_next_years_plan_from_the_page(client, cast, plan):
    client.force_login(cast.officer)
    year = plan.year + 1
    page = client.get(_url(cast), {"nam": year})
    assert "Lập kế hoạch năm" in page.content.decode()
    assert f"Kế hoạch năm {plan.year}" in page.content.decode()
    for _ in range(2):  # a double submit
        response = client.post(_url(cast, "lap/"), {"nam": year, "copy": "on"}, follow=True)
    assert response.status_code == 200
    assert OrgPlan.objects.filter(organisation=cast.organisation, year=year).count() == 1
    assert "Hướng dẫn bán nông sản qua mạng" in response.content.decode()
    assert Activity.objects.filter(plan__year=year).count() == 1


def test_an_empty_plan_for_a_new_year_copies_nothing(client, cast, plan):
    client.force_login(cast.officer)
    client.post(_url(cast, "lap/"), {"nam": plan.year + 1})
    new = OrgPlan.objects.get(organisation=cast.organisation, year=plan.year + 1)
    assert not new.activities.exists() and not new.budget_lines.exists()


def test_a_leader_cannot_start_a_plan(client, cast, plan):
    client.force_login(cast.leader)
    assert client.post(_url(cast, "lap/"), {"nam": plan.year + 1}).status_code == 403
    assert not OrgPlan.objects.filter(year=plan.year + 1).exists()


def test_a_budget_line_with_money_spent_on_it_is_not_deleted(client, cast, plan, spent):
    line = plan.budget_lines.get()
    with pytest.raises(ValidationError, match=r"đã ghi 1 khoản chi, tổng 1\.250\.000 đ"):
        budget_line_delete(actor=cast.officer, line=line)
    client.force_login(cast.officer)
    response = client.post(_url(cast, f"kinh-phi/{line.pk}/xoa/"), follow=True)
    assert "Không xóa được dòng “Tài liệu cho 6 buổi”" in response.content.decode()
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_an_unspent_budget_line_is_deleted_once_and_audited(client, cast, plan):
    line = plan.budget_lines.get()
    client.force_login(cast.officer)
    first = client.post(_url(cast, f"kinh-phi/{line.pk}/xoa/"), follow=True)
    assert "Đã xóa dòng kinh phí" in first.content.decode()
    second = client.post(_url(cast, f"kinh-phi/{line.pk}/xoa/"), follow=True)
    assert second.status_code == 200 and "Dòng kinh phí đã được xóa." in second.content.decode()
    assert not BudgetLine.objects.exists()
    entry = AuditEntry.objects.get(target_type="dòng kinh phí", action="delete")
    assert entry.before["planned"] == 3_600_000


def test_deleting_an_activity_keeps_its_budget_line_and_records_its_targets(client, cast, plan):
    activity = plan.activities.get()
    target_add(actor=cast.officer, activity=activity, indicator="Người", value=10, unit="người")
    client.force_login(cast.officer)
    client.post(_url(cast, f"hoat-dong/{activity.pk}/xoa/"))
    assert not Activity.objects.exists() and not Target.objects.exists()
    assert BudgetLine.objects.get().activity is None
    entry = AuditEntry.objects.get(target_type="hoạt động", action="delete")
    assert entry.before["targets"] == ["Người: 10 người"]


def test_a_wrong_expense_is_deleted_with_its_reason_in_the_audit_log(client, cast, plan, spent):
    client.force_login(cast.officer)
    url = _url(cast, f"kinh-phi/chi/{spent.pk}/xoa/")
    page = client.get(url)
    assert "1.250.000 đ" in page.content.decode()
    short = client.post(url, {"reason": "sai"})
    assert "Hãy ghi rõ lý do xóa" in short.content.decode()
    empty = client.post(url, {"reason": "  "})
    assert "Hãy ghi lý do xóa khoản chi." in empty.content.decode()
    assert Expense.objects.exists()
    response = client.post(url, {"reason": "Ghi nhầm số tiền, đúng là 1.200.000"}, follow=True)
    assert "Đã xóa khoản chi 1.250.000 đ" in response.content.decode()
    assert not Expense.objects.exists()
    entry = AuditEntry.objects.get(target_type="khoản đã chi", action="delete")
    assert entry.actor == cast.officer
    assert entry.before["amount"] == 1_250_000
    assert entry.after == {"reason": "Ghi nhầm số tiền, đúng là 1.200.000"}
    again = client.post(url, {"reason": "Ghi nhầm số tiền"}, follow=True)
    assert again.status_code == 200 and "Khoản chi đã được xóa." in again.content.decode()


def test_expense_delete_needs_a_reason(cast, spent):
    with pytest.raises(ValidationError):
        expense_delete(actor=cast.officer, expense=spent, reason="")
    assert Expense.objects.exists()


def test_expense_and_line_deletes_are_scoped(client, cast, plan, spent):
    other = f"/can-bo/ke-hoach/to-chuc/{cast.other_organisation.pk}/"
    line = plan.budget_lines.get()
    urls = [
        ("post", _url(cast, f"kinh-phi/{line.pk}/xoa/")),
        ("get", _url(cast, f"kinh-phi/chi/{spent.pk}/xoa/")),
        ("post", _url(cast, f"kinh-phi/chi/{spent.pk}/xoa/")),
        ("post", _url(cast, "lap/")),
    ]
    for user in (cast.admin2, cast.coordinator2):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url, {"reason": "Xóa thử"}).status_code == 404, url
    for user in (cast.leader, cast.volunteer, cast.resident.user, cast.province):
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url, {"reason": "Xóa thử"}).status_code == 403, url
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    # The officer of another organisation: that plan is not theirs to see.
    client.force_login(cast.officer)
    assert client.post(f"{other}kinh-phi/{line.pk}/xoa/").status_code == 404
    assert (
        client.post(f"{other}kinh-phi/chi/{spent.pk}/xoa/", {"reason": "x" * 9}).status_code == 404
    )
    assert Expense.objects.exists() and BudgetLine.objects.exists()


def test_a_forged_target_source_is_refused(client, cast, plan):
    activity = plan.activities.get()
    client.force_login(cast.officer)
    url = _url(cast, f"hoat-dong/{activity.pk}/chi-tieu/")
    response = client.post(url, {"indicator": "Bản tin", "value": "10", "source": "broadcasts"})
    assert "Hãy chọn một cách theo dõi trong danh sách." in response.content.decode()
    assert not Target.objects.exists()
    with pytest.raises(ValidationError, match="không đếm được"):
        target_add(
            actor=cast.officer, activity=activity, indicator="X", value=1, source="broadcasts"
        )


def test_a_double_submitted_target_is_made_once(client, cast, plan):
    activity = plan.activities.get()
    client.force_login(cast.officer)
    url = _url(cast, f"hoat-dong/{activity.pk}/chi-tieu/")
    key = str(uuid.uuid4())
    for _ in range(2):
        client.post(url, {"indicator": "Hội viên", "value": "120", "client_key": key})
    assert Target.objects.count() == 1


def test_a_target_is_corrected_in_place_and_the_change_audited(client, cast, plan):
    activity = plan.activities.get()
    target = target_add(actor=cast.officer, activity=activity, indicator="Người", value=10)
    client.force_login(cast.officer)
    page = client.get(_url(cast, ""))
    edit_url = _url(cast, f"chi-tieu/{target.pk}/sua/")
    assert edit_url in page.content.decode()  # the plan page links to it
    form = client.get(edit_url).content.decode()
    assert 'value="Người"' in form and 'value="10"' in form
    bad = client.post(edit_url, {"indicator": "Người", "value": "mười"})
    assert "Giá trị mục tiêu phải là số nguyên" in bad.content.decode()
    assert Target.objects.get().value == 10  # nothing half-written
    response = client.post(
        edit_url, {"indicator": "Người được hướng dẫn", "value": "1.200", "unit": "người"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.indicator, target.value, target.unit) == ("Người được hướng dẫn", 1200, "người")
    assert Target.objects.count() == 1
    entry = AuditEntry.objects.get(action="update", target_id=str(target.pk))
    assert entry.before["value"] == 10 and entry.after["value"] == 1200
