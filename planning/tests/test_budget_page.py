"""The leader's budget view and its Excel: planned against spent by source and organisation,
counted live, with a warning where spending goes over the plan."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from planning.dashboard import commune_dashboard
from planning.services import budget_line_save, expense_record, org_plan_ensure

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(cast, plan):
    """Hội Nông dân: 3.600.000 planned, 1.250.000 spent. Phụ nữ: 1.000.000 planned, 1.500.000
    spent (over). Bạch Hà: a line that must never show in Bạch Ngọc."""
    today = timezone.localdate()
    expense_record(
        actor=cast.officer,
        plan=plan,
        line_id=plan.budget_lines.get().pk,
        amount="1.250.000",
        spent_on=today,
    )
    women = org_plan_ensure(
        actor=cast.coordinator, organisation=cast.other_organisation, year=plan.year
    )
    line = budget_line_save(
        actor=cast.coordinator, plan=women, source="social", description="Quà", planned=1_000_000
    )
    expense_record(
        actor=cast.coordinator, plan=women, line_id=line.pk, amount=1_500_000, spent_on=today
    )
    other = org_plan_ensure(actor=cast.admin2, organisation=cast.organisation2, year=plan.year)
    far = budget_line_save(
        actor=cast.admin2, plan=other, source="commune", description="Xa", planned=9_999_000
    )
    expense_record(actor=cast.admin2, plan=other, line_id=far.pk, amount=7_777_000, spent_on=today)


def test_the_budget_page_shows_sources_organisations_and_overspending(client, cast, money):
    client.force_login(cast.leader)
    html = client.get("/can-bo/dieu-hanh/kinh-phi/").content.decode()
    html = re.sub(r"<[^>]+>", "", html)  # the text a reader sees
    assert "4.600.000 đ" in html  # planned in total
    assert "2.750.000 đ" in html  # spent in total
    assert "Chi vượt dự toán ở 1 dòng kinh phí" in html
    assert "Quà (Hội Liên hiệp Phụ nữ xã · Xã hội hóa): đã chi 1.500.000 đ" in html
    assert "vượt 500.000 đ" in html  # the overspent organisation
    assert "còn 2.350.000 đ" in html  # Hội Nông dân: 3.600.000 - 1.250.000
    assert "9.999.000" not in html and "7.777.000" not in html


def test_the_dashboard_shows_money_spent_a_moment_ago(client, cast, plan):
    commune_dashboard(cast.commune, plan.year)  # a snapshot stored before the expense
    expense_record(
        actor=cast.officer,
        plan=plan,
        line_id=plan.budget_lines.get().pk,
        amount="1.250.000",
        spent_on=timezone.localdate(),
    )
    client.force_login(cast.leader)
    html = client.get("/can-bo/dieu-hanh/").content.decode()
    assert "1.250.000 đ" in html
    assert "Xem từng dòng kinh phí" in html


def test_the_budget_excel_holds_every_figure(client, cast, money):
    client.force_login(cast.coordinator)
    response = client.get("/can-bo/dieu-hanh/kinh-phi.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sources = {
        row[0]: row[1:3] for row in book["Theo nguồn"].iter_rows(min_row=3, values_only=True)
    }
    assert sources["Ngân sách xã"] == (3_600_000, 1_250_000)
    assert sources["Xã hội hóa"] == (1_000_000, 1_500_000)
    assert sources["Cộng"] == (4_600_000, 2_750_000)
    orgs = {row[0]: row for row in book["Theo cơ quan"].iter_rows(min_row=2, values_only=True)}
    assert orgs["Hội Liên hiệp Phụ nữ xã"][1:] == (
        1_000_000,
        1_500_000,
        -500_000,
        "Chi vượt dự toán",
    )
    spent = list(book["Các khoản đã chi"].iter_rows(min_row=2, values_only=True))
    assert sorted(row[3] for row in spent) == [1_250_000, 1_500_000]  # not Bạch Hà's 7.777.000
    lines = [row[0] for row in book["Các dòng kinh phí"].iter_rows(min_row=2, values_only=True)]
    assert "Xa" not in lines
    assert book["Theo nguồn"]["B3"].number_format == "#,##0"


def test_a_leader_reads_the_plan_but_sees_no_buttons_to_change_money(client, cast, money, plan):
    client.force_login(cast.leader)
    html = client.get(f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/").content.decode()
    assert "1.250.000 đ" in html
    assert "/xoa/" not in html and "Ghi khoản đã chi" not in html


def test_the_commune_plan_links_the_budget_for_those_who_may_read_it(client, cast):
    client.force_login(cast.coordinator)
    assert "/can-bo/dieu-hanh/kinh-phi/" in client.get("/can-bo/ke-hoach/").content.decode()
    client.force_login(cast.officer)
    assert "/can-bo/dieu-hanh/kinh-phi/" not in client.get("/can-bo/ke-hoach/").content.decode()
