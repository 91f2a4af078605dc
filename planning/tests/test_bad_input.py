"""Bad input on every planning form: a clear Vietnamese message on the page, nothing written,
never a 500. Forged ids of another organisation or commune are refused the same way."""

import uuid

import pytest
from django.utils import timezone

from planning.models import Activity, BudgetLine, Expense, OrgPlan, PlanItem, Target
from planning.services import (
    activity_save,
    budget_line_save,
    commune_plan_save,
    org_plan_ensure,
    plan_item_save,
)

pytestmark = pytest.mark.django_db
HUGE = "9" * 25  # beyond any integer column


def _rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (OrgPlan, Activity, Target, BudgetLine, Expense))


@pytest.fixture
def forged(cast, plan):
    """An activity and a line of the other organisation, a plan item of the other commune."""
    other = org_plan_ensure(
        actor=cast.coordinator, organisation=cast.other_organisation, year=plan.year
    )
    activity = plan.activities.get()
    commune2_plan = commune_plan_save(actor=cast.coordinator2, commune=cast.commune2, title="KH")
    return {
        "activity": activity_save(
            actor=cast.coordinator,
            plan=other,
            title="Lớp học",
            owner="Hội",
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
        ).pk,
        "line": budget_line_save(
            actor=cast.coordinator, plan=other, source="social", description="Quà", planned=5
        ).pk,
        "item": plan_item_save(
            actor=cast.coordinator2, plan=commune2_plan, section="content", body="Ý"
        ).pk,
    }


def _cases(plan, forged):
    y = plan.year
    line = plan.budget_lines.get().pk
    activity = plan.activities.get().pk
    new = {"title": "Lớp", "owner": "Hội", "nam": y}
    money = {"source": "commune", "description": "Quà", "nam": y}
    spend = {"line": line, "spent_on": timezone.localdate().strftime("%d/%m/%Y"), "nam": y}
    target = f"hoat-dong/{activity}/chi-tieu/"
    return [
        # activities: dates
        ("hoat-dong/moi/", new | {"starts_on": "abc", "ends_on": f"01/02/{y}"}, "ví dụ 25/03"),
        ("hoat-dong/moi/", new | {"starts_on": f"31/02/{y}", "ends_on": f"01/03/{y}"}, "ví dụ"),
        (
            "hoat-dong/moi/",
            new | {"starts_on": f"05/02/{y}", "ends_on": f"01/02/{y}"},
            "Ngày kết thúc không được trước ngày bắt đầu.",
        ),
        (
            "hoat-dong/moi/",
            new | {"starts_on": "05/02/0001", "ends_on": f"01/02/{y}"},
            f"phải bắt đầu trong năm {y}",
        ),
        (
            "hoat-dong/moi/",
            new | {"starts_on": f"05/02/{y}", "ends_on": "01/02/9999"},
            f"kết thúc chậm nhất ngày 31/12/{y + 1}",
        ),
        (
            "hoat-dong/moi/",
            new | {"starts_on": f"05/02/{y}", "ends_on": f"01/03/{y}", "plan_item": forged["item"]},
            "Mục này không thuộc kế hoạch của xã.",
        ),
        (
            "hoat-dong/moi/",
            new | {"title": "T" * 400, "starts_on": f"05/02/{y}", "ends_on": f"01/03/{y}"},
            "tối đa 300",
        ),
        # targets
        (target, {"indicator": "Hội viên", "value": "hai trăm"}, "phải là số nguyên"),
        (target, {"indicator": "Hội viên", "value": "-3"}, "không được âm"),
        (target, {"indicator": "Hội viên", "value": "9999999999"}, "quá lớn"),
        (target, {"indicator": "Hội viên", "value": HUGE[:15]}, "quá lớn"),
        (target, {"indicator": "", "value": "5"}, "Hãy nhập tên chỉ tiêu."),
        # budget lines
        ("kinh-phi/moi/", money | {"planned": "năm triệu"}, "Số tiền phải là số đồng"),
        ("kinh-phi/moi/", money | {"planned": "-5.000"}, "Số tiền không được âm."),
        ("kinh-phi/moi/", money | {"planned": HUGE}, "Số tiền quá lớn"),
        ("kinh-phi/moi/", money | {"planned": "1,5"}, "Số tiền phải là số đồng"),
        (
            "kinh-phi/moi/",
            money | {"planned": "5", "source": "bank"},
            "Hãy chọn nguồn kinh phí trong danh sách.",
        ),
        (
            "kinh-phi/moi/",
            money | {"planned": "5", "activity": forged["activity"]},
            "Hoạt động này không thuộc kế hoạch này.",
        ),
        # expenses
        ("kinh-phi/chi/", spend | {"amount": "abc"}, "Số tiền phải là số đồng"),
        ("kinh-phi/chi/", spend | {"amount": "-100"}, "Số tiền không được âm."),
        ("kinh-phi/chi/", spend | {"amount": "0"}, "lớn hơn 0"),
        ("kinh-phi/chi/", spend | {"amount": HUGE}, "Số tiền quá lớn"),
        (
            "kinh-phi/chi/",
            spend | {"amount": "100", "line": forged["line"]},
            "Không có dòng kinh phí này trong kế hoạch.",
        ),
        (
            "kinh-phi/chi/",
            spend | {"amount": "100", "line": HUGE},
            "Không có dòng kinh phí này trong kế hoạch.",
        ),
        ("kinh-phi/chi/", spend | {"amount": "100", "spent_on": "01/02/2099"}, "sau hôm nay"),
        (
            "kinh-phi/chi/",
            spend | {"amount": "100", "spent_on": f"01/02/{y - 1}"},
            f"Ngày chi phải từ 01/01/{y}",
        ),
        ("", {"summary": "x" * 5000, "nam": y}, "Mục tiêu chung dài quá 4.000 ký tự."),
    ]


def test_every_bad_input_gets_a_clear_message_and_writes_nothing(client, cast, plan, forged):
    client.force_login(cast.officer)
    base = f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/"
    before = _rows()
    failures = []
    for tail, data, message in _cases(plan, forged):
        response = client.post(base + tail, data)
        html = response.content.decode()
        if response.status_code != 200 or message not in html:
            failures.append(f"{tail} {data}: {response.status_code}, no “{message}”")
    assert not failures, "\n".join(failures)
    assert _rows() == before
    assert plan.summary == OrgPlan.objects.get(pk=plan.pk).summary


def test_bad_input_on_the_commune_plan_forms(client, cast, forged):
    client.force_login(cast.coordinator)
    commune_plan_save(actor=cast.coordinator, commune=cast.commune, title="Kế hoạch")
    for url, data, message in [
        ("/can-bo/ke-hoach/sua/", {"title": "KH", "issued_on": "32/13/2025"}, "ví dụ 25/03"),
        ("/can-bo/ke-hoach/sua/", {"title": "KH", "preamble": "x" * 4001}, "dài quá 4.000"),
        ("/can-bo/ke-hoach/sua/", {"title": ""}, "Hãy nhập tên kế hoạch."),
        (
            "/can-bo/ke-hoach/muc/moi/",
            {"section": "content", "position": "abc", "body": "x"},
            "Thứ tự phải là số",
        ),
        (
            "/can-bo/ke-hoach/muc/moi/",
            {"section": "content", "position": HUGE, "body": "x"},
            "Thứ tự phải từ 1 đến 99.",
        ),
        (
            "/can-bo/ke-hoach/muc/moi/",
            {"section": "secret", "position": "1", "body": "x"},
            "Hãy chọn phần của kế hoạch trong danh sách.",
        ),
        (
            "/can-bo/ke-hoach/muc/moi/",
            {"section": "content", "position": "1", "body": "x", "organisation": 10**9},
            "Cơ quan này không thuộc xã của bạn.",
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 200 and message in response.content.decode(), (url, data)
    assert PlanItem.objects.filter(commune=cast.commune).count() == 0
    # An item of the other commune is not found, to edit or to delete.
    assert client.post(f"/can-bo/ke-hoach/muc/{forged['item']}/sua/", {}).status_code == 404
    assert client.post(f"/can-bo/ke-hoach/muc/{forged['item']}/xoa/").status_code == 404
    assert PlanItem.objects.filter(pk=forged["item"]).exists()


def test_a_mangled_double_submit_key_does_not_block_the_form(client, cast, plan):
    client.force_login(cast.officer)
    url = f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/hoat-dong/moi/"
    y = plan.year
    data = {"title": "Lớp", "owner": "Hội", "starts_on": f"05/02/{y}", "ends_on": f"01/03/{y}"}
    response = client.post(url, data | {"client_key": "not-a-key", "nam": y})
    assert response.status_code == 302
    assert Activity.objects.filter(title="Lớp").count() == 1


def test_a_forged_year_does_not_start_another_years_plan(client, cast, plan):
    client.force_login(cast.officer)
    url = f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/lap/"
    response = client.post(url, {"nam": "1999"}, follow=True)
    assert "Năm kế hoạch không hợp lệ." in response.content.decode()
    assert OrgPlan.objects.count() == 1


def test_double_submits_are_counted_once(client, cast, plan):
    client.force_login(cast.officer)
    base = f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/"
    activity = plan.activities.get()
    today = timezone.localdate().strftime("%d/%m/%Y")
    line = plan.budget_lines.get().pk
    expense = {"line": line, "amount": "250.000", "spent_on": today, "nam": plan.year}
    money = {"source": "social", "description": "Quà", "planned": "1.000.000", "nam": plan.year}
    for url, data in [
        ("kinh-phi/chi/", expense),
        ("kinh-phi/moi/", money),
        (f"hoat-dong/{activity.pk}/chi-tieu/", {"indicator": "Hộ", "value": "30"}),
    ]:
        key = str(uuid.uuid4())
        for _ in range(2):
            assert client.post(base + url, data | {"client_key": key}).status_code == 302
    assert Expense.objects.get().amount == 250_000
    assert BudgetLine.objects.filter(description="Quà").count() == 1
    assert Target.objects.count() == 1
    # A second click on a delete button finds the row gone and says so.
    target = Target.objects.get()
    for _ in range(2):
        response = client.post(base + f"chi-tieu/{target.pk}/xoa/", follow=True)
        assert response.status_code == 200
    assert "Chỉ tiêu đã được xóa." in response.content.decode()
    for _ in range(2):
        response = client.post(base + f"hoat-dong/{activity.pk}/xoa/", follow=True)
    assert "Hoạt động đã được xóa." in response.content.decode()


def test_deleting_a_plan_item_twice_says_it_is_gone(client, cast):
    plan = commune_plan_save(actor=cast.coordinator, commune=cast.commune, title="Kế hoạch")
    item = plan_item_save(actor=cast.coordinator, plan=plan, section="content", body="Ý")
    client.force_login(cast.coordinator)
    for _ in range(2):
        response = client.post(f"/can-bo/ke-hoach/muc/{item.pk}/xoa/", follow=True)
        assert response.status_code == 200
    assert "Mục này đã được xóa." in response.content.decode()
    assert not PlanItem.objects.exists()
