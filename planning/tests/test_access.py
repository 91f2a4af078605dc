"""Object pages and POST actions outside the permission matrix: own commune only, own
organisation for officers, leaders read, anonymous visitors go to the login page."""

import datetime as dt

import pytest
from django.utils import timezone

from planning.models import Activity, BudgetLine, PlanItem, Target
from planning.services import commune_plan_save, plan_item_save, target_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cast, plan):
    commune_plan = commune_plan_save(actor=cast.coordinator, commune=cast.commune, title="KH")
    item = plan_item_save(actor=cast.coordinator, plan=commune_plan, section="content", body="Ý")
    activity = plan.activities.get()
    target = target_add(actor=cast.officer, activity=activity, indicator="Người", value=10)
    return {
        "item": item,
        "activity": activity,
        "target": target,
        "line": plan.budget_lines.get(),
        "org": cast.organisation.pk,
    }


def urls(o) -> list[tuple[str, str]]:
    org = o["org"]
    return [
        ("get", f"/can-bo/ke-hoach/muc/{o['item'].pk}/sua/"),
        ("post", f"/can-bo/ke-hoach/muc/{o['item'].pk}/xoa/"),
        ("get", f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/{o['activity'].pk}/sua/"),
        ("get", f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/{o['activity'].pk}/chi-tieu/"),
        ("get", f"/can-bo/ke-hoach/to-chuc/{org}/chi-tieu/{o['target'].pk}/sua/"),
        ("post", f"/can-bo/ke-hoach/to-chuc/{org}/chi-tieu/{o['target'].pk}/sua/"),
        ("post", f"/can-bo/ke-hoach/to-chuc/{org}/chi-tieu/{o['target'].pk}/xoa/"),
        ("get", f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/{o['line'].pk}/sua/"),
        ("post", f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/{o['activity'].pk}/xoa/"),
    ]


def test_anonymous_visitors_are_sent_to_login(client, objects):
    for method, url in urls(objects):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url


def test_another_commune_gets_404(client, cast, objects):
    for user in (cast.admin2, cast.coordinator2):
        client.force_login(user)
        for method, url in urls(objects):
            assert getattr(client, method)(url).status_code == 404, (user, url)
    assert PlanItem.objects.exists() and Target.objects.exists() and Activity.objects.exists()


def test_roles_without_plans_get_403(client, cast, objects):
    for user in (cast.volunteer, cast.resident.user, cast.province):
        client.force_login(user)
        for method, url in urls(objects):
            assert getattr(client, method)(url).status_code == 403, (user, url)


def test_a_leader_reads_but_cannot_change_an_organisation_plan(client, cast, objects):
    client.force_login(cast.leader)
    assert client.get(f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/").status_code == 200
    for method, url in urls(objects):
        assert getattr(client, method)(url).status_code == 403, url
    assert Activity.objects.exists() and Target.objects.exists()


def test_an_officer_cannot_touch_another_organisations_plan(client, cast, objects):
    client.force_login(cast.officer)
    other = cast.other_organisation.pk
    assert client.get(f"/can-bo/ke-hoach/to-chuc/{other}/").status_code == 404
    line = objects["line"].pk
    assert client.get(f"/can-bo/ke-hoach/to-chuc/{other}/kinh-phi/{line}/sua/").status_code == 404
    # The commune plan itself is the coordinator's.
    assert client.get(f"/can-bo/ke-hoach/muc/{objects['item'].pk}/sua/").status_code == 403


def test_an_officer_edits_their_own_plan_through_the_pages(client, cast, objects):
    client.force_login(cast.officer)
    org = cast.organisation.pk
    year = timezone.localdate().year
    response = client.post(
        f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/moi/",
        {
            "nam": year,
            "title": "Lớp thanh toán số",
            "owner": "Chi hội trưởng",
            "starts_on": f"01/04/{year}",
            "ends_on": f"30/04/{year}",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.filter(title="Lớp thanh toán số", plan__year=year).exists()
    response = client.post(
        f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/moi/",
        {"nam": year, "source": "social", "description": "Quà", "planned": "1.250.000"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(description="Quà")
    assert line.planned == 1_250_000
    page = client.get(f"/can-bo/ke-hoach/to-chuc/{org}/?nam={year}").content.decode()
    assert "1.250.000 đ" in page and "Lớp thanh toán số" in page


def test_bad_input_on_the_pages_is_refused_clearly(client, cast, objects):
    client.force_login(cast.officer)
    org = cast.organisation.pk
    year = timezone.localdate().year
    response = client.post(
        f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/moi/",
        {
            "nam": year,
            "title": "Ngày hội",
            "owner": "Đoàn",
            "starts_on": f"10/09/{year}",
            "ends_on": f"01/09/{year}",
        },
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    for amount, message in [("-5.000", "Số tiền không được âm."), ("năm trăm", "phải là số")]:
        response = client.post(
            f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/moi/",
            {"nam": year, "source": "commune", "description": "X", "planned": amount},
        )
        assert response.status_code == 200 and message in response.content.decode()
    response = client.post(
        f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/chi/",
        {"nam": year, "line": "999999", "amount": "1000", "spent_on": "01/01/" + str(year)},
    )
    assert "Không có dòng kinh phí này" in response.content.decode()
    assert Activity.objects.count() == 1 and BudgetLine.objects.count() == 1


def test_an_expense_double_submitted_counts_once(client, cast, objects):
    client.force_login(cast.officer)
    org = cast.organisation.pk
    year = timezone.localdate().year
    data = {
        "nam": year,
        "line": objects["line"].pk,
        "amount": "300.000",
        "spent_on": dt.date(year, 1, 15).strftime("%d/%m/%Y"),
        "client_key": "0b6c3f4e-1a2b-4c3d-8e9f-001122334455",
    }
    for _ in range(2):
        assert client.post(f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/chi/", data).status_code == 302
    assert objects["line"].expenses.count() == 1


def test_a_double_submitted_activity_or_budget_line_is_made_once(client, cast, objects):
    client.force_login(cast.officer)
    org = cast.organisation.pk
    year = timezone.localdate().year
    activity = {
        "nam": year,
        "title": "Lớp học Zalo",
        "owner": "Chi hội",
        "starts_on": f"01/05/{year}",
        "ends_on": f"31/05/{year}",
        "client_key": "6f1c2d3e-4b5a-4c6d-8e7f-112233445566",
    }
    line = {
        "nam": year,
        "source": "programme",
        "description": "Tài liệu",
        "planned": "500.000",
        "client_key": "7a1c2d3e-4b5a-4c6d-8e7f-112233445566",
    }
    for _ in range(2):
        client.post(f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/moi/", activity)
        client.post(f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/moi/", line)
    assert Activity.objects.filter(title="Lớp học Zalo").count() == 1
    assert BudgetLine.objects.filter(description="Tài liệu").count() == 1
