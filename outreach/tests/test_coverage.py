"""Coverage per hamlet and commune, targets, the not-yet-reached lists and assignments."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry, Resident, Role
from accounts.services import resident_register, staff_user_create
from learning.models import Attempt, Lesson
from outreach.models import Assignment, Attendance, Session, SkillTick, Team, TeamMember, Visit
from outreach.services import attendance_record, skill_tick_record

COVERAGE_URL = "/can-bo/bao-phu/"
TARGETS_URL = "/can-bo/bao-phu/muc-tieu/"
NOT_REACHED_URL = "/can-bo/chua-tiep-can/"
MY_WORK_URL = "/can-bo/viec-cua-toi/"
YEAR = timezone.localdate().year


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(hamlet, name: str, age: int, **flags) -> Resident:
    return resident_register(
        actor=None, hamlet=hamlet, full_name=name, birth_year=YEAR - age, sex="nam", **flags
    )


def make_session(hamlet) -> Session:
    return Session.objects.create(
        commune=hamlet.commune,
        hamlet=hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm",
        starts_at=timezone.now(),
    )


def attend(resident: Resident) -> Attendance:
    attendance, _ = attendance_record(
        session=make_session(resident.hamlet),
        resident=resident,
        method=Attendance.Method.LIST,
        actor=None,
        client_key=uuid.uuid4(),
    )
    return attendance


def tick(resident, skill, has_skill=True, source=SkillTick.Source.VERIFIED, ago_minutes=0):
    t = skill_tick_record(
        resident=resident,
        skill=skill,
        source=source,
        actor=None,
        client_key=uuid.uuid4(),
        has_skill=has_skill,
    )
    if ago_minutes:
        SkillTick.objects.filter(pk=t.pk).update(
            recorded_at=timezone.now() - timedelta(minutes=ago_minutes)
        )
    return t


def visit(resident, volunteer=None) -> Visit:
    return Visit.objects.create(
        commune=resident.commune,
        resident=resident,
        volunteer=volunteer,
        done="Hướng dẫn cài Zalo",
        client_key=uuid.uuid4(),
    )


def pass_lesson(resident) -> Attempt:
    lesson, _ = Lesson.objects.get_or_create(
        commune=resident.commune,
        slug="cai-zalo",
        defaults={
            "title": "Cài Zalo",
            "topic": "zalo",
            "goal": "lien-lac",
            "domain": "giao-tiep",
            "level": "co-ban",
            "minutes": 5,
            "summary": "",
            "why": "",
            "practice": "",
            "body": "",
        },
    )
    return Attempt.objects.create(
        commune=resident.commune,
        lesson=lesson,
        resident=resident,
        answers={},
        correct=2,
        total=2,
        passed=True,
        client_key=uuid.uuid4(),
    )


def make_leader(cast, user=None, position=TeamMember.Position.LEADER, left_on=None):
    user = user or cast.volunteer
    team, _ = Team.objects.get_or_create(
        commune=cast.commune, hamlet=user.hamlet, defaults={"name": "Tổ CNSCĐ xóm Ngọc Lâm"}
    )
    return TeamMember.objects.create(
        commune=cast.commune,
        team=team,
        full_name=user.full_name,
        user=user,
        position=position,
        body=TeamMember.Body.YOUTH,
        left_on=left_on,
    )


@pytest.fixture
def village(cast):
    """A small known commune: 4 residents in each of the two hamlets, 6 of them reached.

    Ngọc Lâm: Lành (70, attended), Một (30, verified public service), Hai (40, public service
    ticked then unticked), Cụ Ba (75, nothing).
    Yên Mỹ: Bình (70, visited), Bốn (25, self-declared public service and Zalo), Năm (45,
    disability, passed a lesson), Sáu (35, poor household, nothing).
    """
    people = {
        "mot": person(cast.hamlet, "Phạm Văn Một", 30),
        "hai": person(cast.hamlet, "Phạm Văn Hai", 40),
        "ba": person(cast.hamlet, "Phạm Văn Ba", 75),
        "bon": person(cast.other_hamlet, "Lê Văn Bốn", 25),
        "nam": person(cast.other_hamlet, "Lê Văn Năm", 45, has_disability=True),
        "sau": person(cast.other_hamlet, "Lê Văn Sáu", 35, is_poor_household=True),
    }
    attend(cast.resident)
    tick(people["mot"], "public_service")
    tick(people["hai"], "public_service", ago_minutes=60)
    tick(people["hai"], "public_service", has_skill=False)
    visit(cast.neighbour)
    tick(people["bon"], "public_service", source=SkillTick.Source.SELF)
    tick(people["bon"], "zalo", source=SkillTick.Source.SELF)
    pass_lesson(people["nam"])
    # The other commune's data never shows.
    tick(cast.resident2, "public_service")
    attend(cast.resident2)
    return people


# -- Coverage ----------------------------------------------------------------------------------


def test_coverage_counts_residents_reached_and_skills_per_hamlet_and_commune(cast, village):
    response = logged_in(cast.coordinator).get(COVERAGE_URL)
    assert response.status_code == 200
    coverage = response.context["coverage"]
    rows = {r.name: r for r in coverage.rows}
    ngoc_lam, yen_my, total = rows["Xóm Ngọc Lâm"], rows["Xóm Yên Mỹ"], coverage.total

    assert (ngoc_lam.residents, ngoc_lam.reached, ngoc_lam.working_age) == (4, 3, 2)
    assert ngoc_lam.with_skill["public_service"] == 1  # Hai's latest tick says no
    assert ngoc_lam.target_percent == 50.0
    assert (yen_my.residents, yen_my.reached, yen_my.working_age) == (4, 3, 3)
    assert yen_my.with_skill["public_service"] == 1
    assert yen_my.target_percent == 33.3
    assert (total.residents, total.reached, total.not_reached) == (8, 6, 2)
    assert total.reached_percent == 75.0
    assert total.working_age == 5
    assert total.with_skill == {
        **dict.fromkeys(total.with_skill, 0),
        "public_service": 2,
        "zalo": 1,
    }
    assert total.target_percent == 40.0
    assert "đã tiếp cận (75 %)" in response.content.decode()


def test_coverage_targets_default_to_70_and_90_percent_with_what_is_still_missing(cast, village):
    coverage = logged_in(cast.leader).get(COVERAGE_URL).context["coverage"]
    assert [(t.year, t.percent, t.is_default) for t in coverage.targets] == [
        (2025, 70, True),
        (2030, 90, True),
    ]
    t2025, t2030 = coverage.targets
    assert (t2025.count, t2025.of, t2025.actual, t2025.met) == (2, 5, 40.0, False)
    assert t2025.missing == 2  # 70 % of 5 people is 3.5, so 4 are needed
    assert t2030.missing == 3


def test_a_volunteer_sees_only_the_coverage_of_their_own_hamlet(cast, village):
    coverage = logged_in(cast.volunteer).get(COVERAGE_URL).context["coverage"]
    assert [r.name for r in coverage.rows] == ["Xóm Ngọc Lâm"]
    assert (coverage.total.residents, coverage.total.reached) == (4, 3)


def test_a_skill_detail_can_be_chosen_per_hamlet(cast, village):
    response = logged_in(cast.coordinator).get(COVERAGE_URL, {"xom": cast.other_hamlet.pk})
    assert response.context["detail"].name == "Xóm Yên Mỹ"
    assert response.context["detail"].with_skill["zalo"] == 1


@pytest.mark.parametrize("who", ["officer", "coordinator2_elsewhere", "resident"])
def test_coverage_is_closed_to_officers_and_residents(cast, village, who):
    user = {"officer": cast.officer, "resident": cast.resident.user}.get(who)
    if user is None:  # another commune's coordinator sees only their own commune
        coverage = logged_in(cast.coordinator2).get(COVERAGE_URL).context["coverage"]
        assert (coverage.total.residents, coverage.total.reached) == (1, 1)
        return
    assert logged_in(user).get(COVERAGE_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_login(cast):
    assert Client().get(COVERAGE_URL).status_code == 302


def test_a_coordinator_edits_a_target_and_the_other_default_stays(cast, village):
    client = logged_in(cast.coordinator)
    response = client.post(TARGETS_URL, {"skill": "public_service", "year": 2025, "percent": 75})
    assert response.status_code == 302
    targets = client.get(COVERAGE_URL).context["coverage"].targets
    assert [(t.year, t.percent, t.is_default) for t in targets] == [
        (2025, 75, False),
        (2030, 90, True),
    ]
    assert AuditEntry.objects.filter(actor=cast.coordinator, target_type="coverage target").exists()


def test_a_target_for_another_skill_is_measured_among_working_age_residents(cast, village):
    client = logged_in(cast.coordinator)
    client.post(TARGETS_URL, {"skill": "zalo", "year": 2026, "percent": 50})
    targets = client.get(COVERAGE_URL).context["coverage"].targets
    zalo = next(t for t in targets if t.skill == "zalo")
    assert (zalo.count, zalo.of, zalo.actual) == (1, 5, 20.0)


def test_targets_refuse_a_percent_over_100(cast):
    response = logged_in(cast.coordinator).post(
        TARGETS_URL, {"skill": "public_service", "year": 2025, "percent": 120}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["percent"]


@pytest.mark.parametrize("who", ["volunteer", "leader", "officer"])
def test_only_coordinators_and_admins_edit_targets(cast, who):
    user = getattr(cast, who)
    response = logged_in(user).post(
        TARGETS_URL, {"skill": "public_service", "year": 2025, "percent": 10}
    )
    assert response.status_code == 403


# -- Not yet reached ---------------------------------------------------------------------------


@pytest.fixture
def unreached(cast):
    """People of Ngọc Lâm nobody has reached yet, created in a scrambled order."""
    return {
        "plain": person(cast.hamlet, "Đỗ Văn Thường", 30),
        "poor": person(cast.hamlet, "Đỗ Thị Nghèo", 50, is_poor_household=True),
        "elder": person(cast.hamlet, "Đỗ Văn Cao", 65),
        "disabled": person(cast.hamlet, "Đỗ Văn Tật", 20, has_disability=True),
        "oldest": person(cast.hamlet, "Đỗ Thị Cụ", 90),
    }


def names_on_list(client, **params) -> list[str]:
    response = client.get(NOT_REACHED_URL, params)
    assert response.status_code == 200
    return [r.full_name for r in response.context["rows"]]


def test_the_not_reached_list_puts_the_elderly_then_disabled_then_poor_first(cast, unreached):
    names = names_on_list(logged_in(cast.volunteer))
    assert names == [
        "Đỗ Thị Cụ",
        "Nguyễn Thị Lành",  # born 1955, elderly
        "Đỗ Văn Cao",
        "Đỗ Văn Tật",
        "Đỗ Thị Nghèo",
        "Đỗ Văn Thường",
    ]


@pytest.mark.parametrize("how", ["attendance", "visit", "tick", "lesson"])
def test_a_resident_leaves_the_list_once_reached(cast, unreached, how):
    client = logged_in(cast.volunteer)
    elder = unreached["elder"]
    assert elder.full_name in names_on_list(client)
    {
        "attendance": attend,
        "visit": visit,
        "tick": lambda r: tick(r, "zalo"),
        "lesson": pass_lesson,
    }[how](elder)
    assert elder.full_name not in names_on_list(client)


def test_an_untick_still_counts_as_reached(cast, unreached):
    tick(unreached["plain"], "zalo", has_skill=False)
    assert "Đỗ Văn Thường" not in names_on_list(logged_in(cast.volunteer))


def test_the_list_is_scoped_to_the_volunteers_hamlet_and_filterable_for_coordinators(
    cast, unreached
):
    assert "Trần Văn Bình" not in names_on_list(logged_in(cast.volunteer))
    coordinator = logged_in(cast.coordinator)
    assert "Trần Văn Bình" in names_on_list(coordinator)
    assert names_on_list(coordinator, xom=cast.other_hamlet.pk) == ["Trần Văn Bình"]
    assert "Lê Thị Hoa" not in names_on_list(coordinator)  # the other commune


def test_the_list_is_paginated(cast):
    for i in range(35):
        person(cast.hamlet, f"Người Thứ {chr(65 + i % 26)}{i}", 30)
    client = logged_in(cast.volunteer)
    first = client.get(NOT_REACHED_URL)
    assert first.context["page"].paginator.count == 36
    assert len(first.context["rows"]) == 30
    assert len(client.get(NOT_REACHED_URL, {"trang": 2}).context["rows"]) == 6


def test_leaders_and_officers_do_not_see_named_lists(cast):
    assert logged_in(cast.leader).get(NOT_REACHED_URL).status_code == 403
    assert logged_in(cast.officer).get(NOT_REACHED_URL).status_code == 403


# -- Assignments -------------------------------------------------------------------------------


def assign_url(resident) -> str:
    return f"/can-bo/chua-tiep-can/{resident.pk}/giao/"


@pytest.fixture
def helper(cast):
    """A second volunteer of Ngọc Lâm."""
    return staff_user_create(
        username="tinhnguyen-b",
        password="x",
        full_name="Hồ Văn Giúp",
        role=Role.VOLUNTEER,
        commune=cast.commune,
        hamlet=cast.hamlet,
    )


def test_a_team_leader_assigns_a_resident_of_their_hamlet(cast, unreached, helper):
    make_leader(cast)
    client = logged_in(cast.volunteer)
    assert client.get(NOT_REACHED_URL).context["assigns"]
    response = client.post(assign_url(unreached["elder"]), {"volunteer": helper.pk})
    assert response.status_code == 302
    assignment = Assignment.objects.get(resident=unreached["elder"])
    assert (assignment.volunteer, assignment.assigned_by) == (helper, cast.volunteer)
    assert AuditEntry.objects.filter(
        actor=cast.volunteer, target_id=str(unreached["elder"].pk)
    ).exists()
    rows = {r.full_name: r for r in client.get(NOT_REACHED_URL).context["rows"]}
    assert rows["Đỗ Văn Cao"].assigned_to_name == "Hồ Văn Giúp"


def test_a_deputy_leader_may_assign_too(cast, unreached, helper):
    make_leader(cast, position=TeamMember.Position.DEPUTY)
    client = logged_in(cast.volunteer)
    assert client.post(assign_url(unreached["elder"]), {"volunteer": helper.pk}).status_code == 302


def test_a_plain_volunteer_may_not_assign(cast, unreached, helper):
    client = logged_in(cast.volunteer)
    assert not client.get(NOT_REACHED_URL).context["assigns"]
    response = client.post(assign_url(unreached["elder"]), {"volunteer": helper.pk})
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_a_leader_who_left_the_team_may_not_assign(cast, unreached, helper):
    make_leader(cast, left_on=timezone.localdate() - timedelta(days=1))
    response = logged_in(cast.volunteer).post(
        assign_url(unreached["elder"]), {"volunteer": helper.pk}
    )
    assert response.status_code == 403


def test_a_member_who_is_not_leader_may_not_assign(cast, unreached, helper):
    make_leader(cast, position=TeamMember.Position.MEMBER)
    response = logged_in(cast.volunteer).post(
        assign_url(unreached["elder"]), {"volunteer": helper.pk}
    )
    assert response.status_code == 403


def test_a_team_leader_cannot_reach_another_hamlet_or_commune(cast, helper):
    make_leader(cast)
    client = logged_in(cast.volunteer)
    assert client.post(assign_url(cast.neighbour), {"volunteer": helper.pk}).status_code == 404
    assert client.post(assign_url(cast.resident2), {"volunteer": helper.pk}).status_code == 404


def test_a_coordinator_assigns_and_another_communes_coordinator_gets_404(cast, unreached, helper):
    elder = unreached["elder"]
    other = logged_in(cast.coordinator2).post(assign_url(elder), {"volunteer": helper.pk})
    assert other.status_code == 404
    response = logged_in(cast.coordinator).post(assign_url(elder), {"volunteer": helper.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{NOT_REACHED_URL}?xom={cast.hamlet.pk}"
    assert Assignment.objects.get().volunteer == helper


def test_assigning_to_a_volunteer_of_another_hamlet_is_refused(cast, unreached):
    outsider = staff_user_create(
        username="tn-yenmy",
        password="x",
        full_name="Tình nguyện Yên Mỹ",
        role=Role.VOLUNTEER,
        commune=cast.commune,
        hamlet=cast.other_hamlet,
    )
    logged_in(cast.coordinator).post(assign_url(unreached["elder"]), {"volunteer": outsider.pk})
    assert not Assignment.objects.exists()


def test_a_resident_has_one_open_assignment_and_repeats_change_nothing(cast, unreached, helper):
    make_leader(cast)
    client = logged_in(cast.volunteer)
    elder = unreached["elder"]
    client.post(assign_url(elder), {"volunteer": helper.pk})
    client.post(assign_url(elder), {"volunteer": helper.pk})  # a replay
    response = client.post(assign_url(elder), {"volunteer": cast.volunteer.pk}, follow=True)
    assert "đã được giao cho Hồ Văn Giúp" in response.content.decode()
    assert Assignment.objects.filter(resident=elder).count() == 1


def test_the_assigned_volunteer_sees_the_job_and_a_visit_closes_it(cast, unreached, helper):
    make_leader(cast)
    elder = unreached["elder"]
    logged_in(cast.volunteer).post(assign_url(elder), {"volunteer": helper.pk})
    mine = logged_in(helper)
    page = mine.get(MY_WORK_URL)
    assert [a.resident for a in page.context["assignments"]] == [elder]
    assert "Việc được giao" in page.content.decode()

    key = str(uuid.uuid4())
    form = {
        "visited_on": timezone.localdate().isoformat(),
        "done": "Cài Zalo, gọi video cho con",
        "next_step": "Hướng dẫn quét mã QR",
        "client_key": key,
    }
    response = mine.post(f"/can-bo/tham-nha/{elder.pk}/", form)
    assert response.status_code == 302
    assert response["Location"] == MY_WORK_URL
    assert Assignment.objects.get(resident=elder).done_at is not None
    assert list(mine.get(MY_WORK_URL).context["assignments"]) == []
    assert elder.full_name not in names_on_list(mine)
    mine.post(f"/can-bo/tham-nha/{elder.pk}/", form)  # replayed from the outbox
    assert Visit.objects.filter(resident=elder).count() == 1


def test_a_visit_by_someone_else_leaves_the_assignment_open(cast, unreached, helper):
    make_leader(cast)
    elder = unreached["elder"]
    logged_in(cast.volunteer).post(assign_url(elder), {"volunteer": helper.pk})
    logged_in(cast.volunteer).post(
        f"/can-bo/tham-nha/{elder.pk}/",
        {
            "visited_on": timezone.localdate().isoformat(),
            "done": "Ghé thăm",
            "client_key": uuid.uuid4(),
        },
    )
    assert Assignment.objects.get(resident=elder).done_at is None


# -- Query counts ------------------------------------------------------------------------------


def grow(cast, start: int, stop: int) -> None:
    """More residents in each hamlet, some reached in every way."""
    for i in range(start, stop):
        for hamlet in (cast.hamlet, cast.other_hamlet):
            r = person(hamlet, f"Người Số {hamlet.pk}x{i}", 20 + 3 * i)
            [attend, visit, lambda r: tick(r, "qr"), pass_lesson, lambda r: None][i % 5](r)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [COVERAGE_URL, NOT_REACHED_URL, NOT_REACHED_URL + "?trang=2"])
def test_coverage_and_not_reached_pages_use_a_fixed_number_of_queries(cast, url):
    make_leader(cast)
    client = logged_in(cast.coordinator)
    grow(cast, 0, 5)
    small = queries(client, url)
    grow(cast, 5, 40)
    assert queries(client, url) == small
    assert 4 <= small <= 12
    assert queries(logged_in(cast.volunteer), url) <= 14
