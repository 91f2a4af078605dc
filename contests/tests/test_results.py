"""Results: prize lists per round (and their Excel), collective rankings, daily participation."""

from datetime import timedelta
from io import BytesIO

from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.services import resident_register
from contests.models import Attempt
from contests.selectors import ANONYMOUS_NAME, daily_participation, round_prize_list, round_units
from contests.services import attempt_start, attempt_submit, registration_record


def person(cast, name, phone, hamlet=None):
    return resident_register(
        actor=None,
        hamlet=hamlet or cast.hamlet,
        full_name=name,
        birth_year=1980,
        sex="nam",
        phone=phone,
        pin="2468",
        consents=["contest"],
    )


def graded(resident, round_, *, score, prediction=None, seconds=100, organisation=None, day=0):
    if organisation is not None:
        registration_record(
            contest=round_.contest,
            resident=resident,
            full_name=resident.full_name,
            organisation=organisation,
        )
    attempt = attempt_start(resident=resident, round_=round_)
    attempt_submit(attempt=attempt, submit_key=attempt.submit_key, prediction=prediction)
    Attempt.objects.filter(pk=attempt.pk).update(
        score=score,
        all_correct=score == 5,
        duration_seconds=seconds,
        submitted_at=timezone.now() - timedelta(days=day),
    )
    return attempt


def close(round_):
    round_.closes_at = timezone.now() - timedelta(seconds=1)
    round_.save(update_fields=["closes_at"])


def test_the_prize_list_follows_score_then_prediction_then_time(cast, round_):
    round_.prizes = [{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 2}]
    round_.save(update_fields=["prizes"])
    a = person(cast, "Người A", "0913000001")
    b = person(cast, "Người B", "0913000002")
    c = person(cast, "Người C", "0913000003")
    d = person(cast, "Người D", "0913000004")
    graded(a, round_, score=5, prediction=9, seconds=50)  # 2 all-correct; off by 7, fastest
    graded(b, round_, score=5, prediction=2, seconds=300)  # exact, slow
    graded(c, round_, score=4, prediction=2, seconds=10)
    graded(d, round_, score=5, prediction=2, seconds=200)  # exact, faster than B
    close(round_)
    winners = round_prize_list(round_)
    assert [(w["prize"], w["name"]) for w in winners] == [
        ("Giải Nhất", "Người D"),
        ("Giải Nhì", "Người B"),
        ("Giải Nhì", "Người A"),
    ]
    organiser = Client()
    organiser.force_login(cast.coordinator)
    page = organiser.get(f"/can-bo/cuoc-thi/dot/{round_.pk}/ket-qua/").content.decode()
    assert page.index("Người D") < page.index("Người B") < page.index("Người A")
    assert "Người C" not in page.split("Giải tập thể")[0]
    excel = organiser.get(f"/can-bo/cuoc-thi/dot/{round_.pk}/ket-qua.xlsx")
    assert excel["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(excel.content))["Danh sách giải"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[0], r[2], r[6]) for r in rows] == [
        ("Giải Nhất", "Người D", 5),
        ("Giải Nhì", "Người B", 5),
        ("Giải Nhì", "Người A", 5),
    ]


def test_fewer_participants_than_prizes_fill_what_they_can(cast, round_):
    round_.prizes = [{"name": "Giải Nhất", "count": 1}, {"name": "Giải Khuyến khích", "count": 5}]
    round_.save(update_fields=["prizes"])
    graded(person(cast, "Người A", "0913000001"), round_, score=3)
    assert [w["prize"] for w in round_prize_list(round_)] == ["Giải Nhất"]


def test_hamlets_and_organisations_rank_by_participation_and_by_results(cast, round_):
    org, other_org = cast.organisation, cast.other_organisation
    for i in range(3):  # Ngọc Lâm: many people, weaker results
        graded(person(cast, f"Ngọc Lâm {i}", f"091300001{i}"), round_, score=2, organisation=org)
    graded(
        person(cast, "Yên Mỹ A", "0913000020", cast.other_hamlet),
        round_,
        score=5,
        organisation=other_org,
    )
    hamlets = round_units(round_, "hamlet")
    assert [h["name"] for h in hamlets["participation"]] == ["Xóm Ngọc Lâm", "Xóm Yên Mỹ"]
    assert [h["name"] for h in hamlets["results"]] == ["Xóm Yên Mỹ", "Xóm Ngọc Lâm"]
    orgs = round_units(round_, "organisation")
    assert [(o["name"], o["participants"]) for o in orgs["participation"]] == [
        (org.name, 3),
        (other_org.name, 1),
    ]
    assert orgs["results"][0]["name"] == other_org.name
    page = Client()
    page.force_login(cast.coordinator)
    body = page.get(f"/cuoc-thi/dot/{round_.pk}/xep-hang/").content.decode()
    assert "Cơ quan, đoàn thể — kết quả tốt nhất" in body and other_org.name in body
    assert body.count(ANONYMOUS_NAME) == 4  # no one agreed to show their name


def test_daily_participation_per_hamlet(cast, round_):
    graded(person(cast, "Hôm nay A", "0913000001"), round_, score=1, day=0)
    graded(person(cast, "Hôm nay B", "0913000002", cast.other_hamlet), round_, score=1, day=0)
    graded(person(cast, "Hôm qua", "0913000003"), round_, score=1, day=1)
    table = daily_participation(round_, "hamlet")
    today = timezone.localdate()
    assert table["days"] == [today - timedelta(days=1), today]
    assert table["rows"] == [("Xóm Ngọc Lâm", [1, 1], 2), ("Xóm Yên Mỹ", [0, 1], 1)]
    assert table["totals"] == [1, 2]
    organiser = Client()
    organiser.force_login(cast.coordinator)
    page = organiser.get(f"/can-bo/cuoc-thi/dot/{round_.pk}/ket-qua/").content.decode()
    assert "Số người dự thi mỗi ngày theo xóm" in page and today.strftime("%d/%m") in page


def test_results_pages_are_for_the_organisers_of_the_commune(cast, round_):
    for url in (
        f"/can-bo/cuoc-thi/dot/{round_.pk}/ket-qua/",
        f"/can-bo/cuoc-thi/dot/{round_.pk}/ket-qua.xlsx",
    ):
        assert Client().get(url).status_code == 302
        for who, status in (("admin2", 404), ("coordinator2", 404), ("volunteer", 403)):
            client = Client()
            client.force_login(cast.users()[who])
            assert client.get(url).status_code == status, (who, url)
        for who in ("officer", "leader", "resident"):
            client = Client()
            client.force_login(cast.users()[who])
            assert client.get(url).status_code == 403, (who, url)
