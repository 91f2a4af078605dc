"""The leader and province dashboards show what the database holds, for their scope only."""

import datetime as dt
import uuid
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from communications.models import ScamReport
from learning.models import Attempt, Certificate
from learning.selectors import learning_stats
from learning.services import lessons_load
from outreach.models import Attendance, Session, SkillTick
from planning.dashboard import commune_figures, dashboard_refresh, months_of
from planning.models import Expense
from planning.services import expense_record

pytestmark = pytest.mark.django_db


def _when(days_ago: int) -> dt.datetime:
    """A moment this year, `days_ago` days back but never before 2 January."""
    now = timezone.now()
    start = timezone.make_aware(dt.datetime(now.year, 1, 2, 9))
    return max(now - dt.timedelta(days=days_ago, hours=1), start)


@pytest.fixture
def activity(cast, plan):
    """Sessions, attendance, lessons, certificates, ticks and spending in both communes."""
    lessons_load(commune=cast.commune)
    lessons_load(commune=cast.commune2)
    lesson_a = cast.commune.lessons.first()
    lesson_b = cast.commune2.lessons.first()
    for commune, hamlet, resident, lesson in [
        (cast.commune, cast.hamlet, cast.resident, lesson_a),
        (cast.commune, cast.other_hamlet, cast.neighbour, lesson_a),
        (cast.commune2, cast.hamlet2, cast.resident2, lesson_b),
    ]:
        for days in (1, 45):
            session = Session.objects.create(
                commune=commune,
                hamlet=hamlet,
                kind=Session.Kind.CULTURAL_HOUSE,
                place="Nhà văn hóa",
                starts_at=_when(days),
                organiser=cast.organisation if commune == cast.commune else None,
                extra_participants=3,
            )
            Attendance.objects.create(
                commune=commune,
                session=session,
                resident=resident,
                method="list",
                client_key=uuid.uuid4(),
            )
        # Two passes of the same lesson count as one completion; a fail counts as none.
        for days, passed in [(40, False), (30, True), (2, True)]:
            Attempt.objects.create(
                commune=commune,
                lesson=lesson,
                resident=resident,
                answers={},
                correct=3 if passed else 1,
                total=3,
                passed=passed,
                client_key=uuid.uuid4(),
                created_at=_when(days),
            )
        Certificate.objects.create(
            commune=commune,
            resident=resident,
            topic=lesson.topic,
            code=uuid.uuid4().hex[:12],
            issued_at=_when(2),
        )
        SkillTick.objects.create(
            commune=commune,
            resident=resident,
            skill="public_service",
            source="verified",
            client_key=uuid.uuid4(),
            recorded_at=_when(3),
        )
        ScamReport.objects.create(
            commune=commune, channel="sms", content="Tin nhắn lạ", client_key=uuid.uuid4()
        )
    # A session planned for next week is not yet held.
    Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa",
        starts_at=timezone.now() + dt.timedelta(days=7),
    )
    expense_record(
        actor=cast.officer,
        plan=plan,
        line_id=plan.budget_lines.get().pk,
        amount="1.000.000",
        spent_on=_when(5).date(),
    )
    return cast


def test_leader_figures_equal_the_database(activity):
    cast = activity
    year = timezone.localdate().year
    f = commune_figures(cast.commune, year)
    held = Session.objects.filter(
        commune=cast.commune, starts_at__year=year, starts_at__lte=timezone.now()
    )
    assert f["totals"]["sessions"] == held.count() == 4
    participants = Attendance.objects.filter(session__in=held).count()
    participants += held.aggregate(s=Sum("extra_participants"))["s"]
    assert f["totals"]["participants"] == participants == 16
    stats = learning_stats(cast.commune)
    assert f["totals"]["completions"] == stats["completions"] == 2
    assert f["totals"]["certificates"] == stats["certificates"] == 2
    assert f["totals"]["ticks"] == SkillTick.objects.filter(commune=cast.commune).count() == 2
    assert f["totals"]["scam_reports"] == 2
    assert f["residents"] == 2 and f["reached"] == 2 and f["reached_percent"] == 100.0
    assert len(f["trends"]["sessions"]) == len(months_of(year))
    budget = {b["source"]: b for b in f["budget"]}
    assert budget["commune"]["planned"] == 3_600_000
    assert budget["commune"]["spent"] == Expense.objects.get().amount == 1_000_000
    assert f["budget_planned"] == 3_600_000 and f["budget_spent"] == 1_000_000
    orgs = {o["name"]: o for o in f["organisations"]}
    assert orgs["Hội Nông dân xã"]["sessions"] == 4 and orgs["Hội Nông dân xã"]["rank"] == 1
    assert orgs["Hội Nông dân xã"]["planned"] == 3_600_000


def test_the_leader_page_draws_charts_followed_by_their_numbers(client, activity):
    client.force_login(activity.leader)
    response = client.get("/can-bo/dieu-hanh/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 6
    for svg in page.split("<svg")[1:]:
        ElementTree.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")  # well-formed
    trends = page.split("Số liệu của hai biểu đồ trên")[1].split("</table>")[0]
    assert '<th scope="row">Cả năm</th><td>4</td><td>16</td><td>2</td><td>2</td>' in trends
    assert "3.600.000 đ" in page and "1.000.000 đ" in page
    assert "Xóm Ngọc Lâm" in page and "Xóm Hà Trung" not in page


def test_viewing_the_leader_page_stores_the_snapshot_the_province_reads(client, activity):
    client.force_login(activity.leader)
    client.get("/can-bo/dieu-hanh/")
    client.force_login(activity.province)
    page = client.get("/tinh/tong-hop/").content.decode()
    assert "Xã Bạch Ngọc" in page and "Xã Bạch Hà" in page  # Bạch Hà not yet counted
    assert "1/2</strong> xã, phường có số liệu" in page


def test_the_province_page_sums_every_commune_of_its_province_only(client, activity):
    cast = activity
    year = timezone.localdate().year
    dashboard_refresh([cast.commune, cast.commune2], year)
    client.force_login(cast.province)
    response = client.get("/tinh/tong-hop/")
    f = response.context["f"]
    assert [r["name"] for r in f["rows"]] == ["Xã Bạch Hà", "Xã Bạch Ngọc"]
    assert f["residents"] == 3 and f["totals"]["sessions"] == 6
    assert f["totals"]["completions"] == 3
    assert response.content.decode().count("<svg") == 4
    client.force_login(cast.province_other)
    other = client.get("/tinh/tong-hop/")
    assert "Xã Bạch Ngọc" not in other.content.decode()
    assert [r["name"] for r in other.context["f"]["rows"]] == ["Phường Thành Sen"]


def test_the_province_excel_holds_one_row_per_commune_and_the_totals(client, activity):
    cast = activity
    year = timezone.localdate().year
    dashboard_refresh([cast.commune, cast.commune2], year)
    client.force_login(cast.province)
    response = client.get("/tinh/tong-hop.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book["Các xã"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    header, *communes, total = rows
    assert header[0] == "Xã / phường" and header[6] == "Buổi hướng dẫn"
    assert [r[0] for r in communes] == ["Xã Bạch Hà", "Xã Bạch Ngọc"]
    ngoc = communes[1]
    assert ngoc[1] == 2 and ngoc[6] == 4 and ngoc[7] == 16
    assert ngoc[-3] == 3_600_000 and ngoc[-2] == 1_000_000
    assert total[0] == "Toàn tỉnh" and total[1] == 3 and total[6] == 6
    months = list(book["Theo tháng"].iter_rows(min_row=2, values_only=True))
    assert len(months) == len(months_of(year)) and sum(r[1] for r in months) == 6
    budget = {r[0]: r for r in book["Kinh phí"].iter_rows(min_row=2, values_only=True)}
    assert budget["Ngân sách xã"][1:3] == (3_600_000, 1_000_000)


def test_the_leader_dashboard_query_count_does_not_grow_with_the_data(
    client, activity, django_assert_max_num_queries
):
    client.force_login(activity.leader)
    with django_assert_max_num_queries(60):
        client.get("/can-bo/dieu-hanh/")


def test_the_nightly_command_fills_every_communes_snapshot(activity):
    from django.core.management import call_command

    from planning.models import DashboardSnapshot

    call_command("dashboard_refresh", "--province-code", str(activity.commune.province_code))
    stored = DashboardSnapshot.objects.values_list("commune__name", flat=True)
    assert sorted(stored) == ["Xã Bạch Hà", "Xã Bạch Ngọc"]
    ngoc = DashboardSnapshot.objects.get(commune=activity.commune).figures
    assert ngoc["totals"]["sessions"] == 4 and ngoc["budget_spent"] == 1_000_000


def test_the_leader_page_shows_stored_figures_until_a_recount(client, activity):
    cast = activity
    client.force_login(cast.leader)
    client.get("/can-bo/dieu-hanh/")
    Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa",
        starts_at=_when(0),
    )
    assert client.get("/can-bo/dieu-hanh/").context["f"]["totals"]["sessions"] == 4
    assert client.post("/can-bo/dieu-hanh/", {"nam": timezone.localdate().year}).status_code == 302
    assert client.get("/can-bo/dieu-hanh/").context["f"]["totals"]["sessions"] == 5


def test_old_figures_are_shown_at_once_and_counted_again_in_the_background(
    client, activity, settings
):
    from planning.models import DashboardSnapshot

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cast = activity
    client.force_login(cast.leader)
    client.get("/can-bo/dieu-hanh/")
    old = timezone.now() - dt.timedelta(hours=2)
    DashboardSnapshot.objects.update(computed_at=old)
    from django_tasks import default_task_backend

    default_task_backend.clear()
    for _ in range(2):  # a second view does not queue the count again
        response = client.get("/can-bo/dieu-hanh/")
        assert response.context["computed_at"] == old
    assert len(default_task_backend.results) == 1
    from planning.tasks import dashboard_recount

    dashboard_recount.call(cast.commune.pk, timezone.localdate().year)
    assert client.get("/can-bo/dieu-hanh/").context["computed_at"] > old


@pytest.mark.parametrize("year", ["2020", "2027", "abc", "99999"])
def test_any_year_in_the_address_gives_a_page(client, cast, year):
    client.force_login(cast.leader)
    assert client.get(f"/can-bo/dieu-hanh/?nam={year}").status_code == 200
    client.force_login(cast.province)
    assert client.get(f"/tinh/tong-hop/?nam={year}").status_code == 200
    assert client.get(f"/tinh/tong-hop.xlsx?nam={year}").status_code == 200
