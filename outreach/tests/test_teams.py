"""Tổ công nghệ số cộng đồng: who may write and read teams, members, and the indicator."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEntry, Resident
from lib.vntext import fold
from outreach.models import Team, TeamMember
from outreach.teams import member_add, member_leave, members_per_100, team_create

LIST = "/can-bo/to-cong-nghe-so/"
NEW = "/can-bo/to-cong-nghe-so/moi/"
INDICATOR = "Thành viên tổ trên 100 người dân"


def detail(team) -> str:
    return f"/can-bo/to-cong-nghe-so/{team.pk}/"


@pytest.fixture
def team(cast):
    return team_create(
        actor=cast.coordinator,
        commune=cast.commune,
        hamlet=cast.hamlet,
        decision_number="125/QĐ-UBND",
        decision_date=dt.date(2025, 3, 20),
    )


@pytest.fixture
def other_team(cast):
    return team_create(actor=cast.coordinator, commune=cast.commune, hamlet=cast.other_hamlet)


@pytest.fixture
def team2(cast):
    return team_create(actor=cast.coordinator2, commune=cast.commune2, hamlet=cast.hamlet2)


def add(team, actor, name="Nguyễn Văn An", position="member", **extra) -> TeamMember:
    extra.setdefault("joined_on", dt.date(2025, 4, 1))
    return member_add(
        actor=actor, team=team, full_name=name, position=position, body="youth", **extra
    )


def more_residents(hamlet, count: int) -> None:
    Resident.objects.bulk_create(
        Resident(
            commune_id=hamlet.commune_id,
            hamlet=hamlet,
            full_name=f"Người Dân {i}",
            name_folded=fold(f"Người Dân {i}"),
            birth_year=1970,
            sex="nam",
        )
        for i in range(count)
    )


# Writes by admin and coordinator ----------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_admin_and_coordinator_set_up_a_team_with_the_chairmans_decision(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.post(
        NEW,
        {
            "hamlet": cast.hamlet.pk,
            "name": "",
            "decision_number": "125/QĐ-UBND",
            "decision_date": "20/03/2025",
        },
    )
    team = Team.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(team)
    assert team.commune == cast.commune
    assert team.name == "Tổ công nghệ số cộng đồng Xóm Ngọc Lâm"
    assert (team.decision_number, team.decision_date) == ("125/QĐ-UBND", dt.date(2025, 3, 20))
    entry = AuditEntry.objects.get(target_type="tổ công nghệ số cộng đồng")
    assert entry.action == "create" and entry.actor == getattr(cast, role)
    assert entry.after["decision_date"] == "20/03/2025"


def test_a_decision_number_without_its_date_is_refused_in_vietnamese_and_nothing_is_saved(
    client, cast
):
    client.force_login(cast.coordinator)
    response = client.post(NEW, {"hamlet": cast.hamlet.pk, "decision_number": "125/QĐ-UBND"})
    assert response.status_code == 200
    assert "Hãy nhập cả số và ngày của quyết định" in response.content.decode()
    assert not Team.objects.exists()
    assert not AuditEntry.objects.filter(target_type="tổ công nghệ số cộng đồng").exists()


def test_a_date_typed_month_first_or_in_words_gets_a_vietnamese_error(client, cast):
    client.force_login(cast.coordinator)
    for typed in ["03/20/2025", "hôm qua", "2025-03-20"]:
        response = client.post(
            NEW, {"hamlet": cast.hamlet.pk, "decision_number": "1", "decision_date": typed}
        )
        assert "Hãy nhập ngày theo mẫu ngày/tháng/năm" in response.content.decode()
    assert not Team.objects.exists()


def test_a_hamlet_of_another_commune_is_refused_when_setting_up_a_team(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(NEW, {"hamlet": cast.hamlet2.pk})
    assert response.status_code == 200
    assert "Xóm này không thuộc xã của bạn." in response.content.decode()
    assert not Team.objects.exists()


def test_coordinator_edits_a_team_and_the_change_is_audited(client, cast, team):
    client.force_login(cast.coordinator)
    response = client.post(
        detail(team) + "sua/",
        {
            "hamlet": cast.hamlet.pk,
            "name": "Tổ CNSCĐ Ngọc Lâm",
            "decision_number": "125/QĐ-UBND",
            "decision_date": "21/03/2025",
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Tổ CNSCĐ Ngọc Lâm"
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.before == {
        "name": "Tổ công nghệ số cộng đồng Xóm Ngọc Lâm",
        "decision_date": "20/03/2025",
    }
    assert entry.after["decision_date"] == "21/03/2025"


def test_coordinator_adds_a_member_with_position_body_and_influencer_flag(client, cast, team):
    client.force_login(cast.coordinator)
    response = client.post(
        detail(team) + "thanh-vien/moi/",
        {
            "full_name": "  Trần   Thị Hoa ",
            "position": "leader",
            "body": "women",
            "is_influencer": "on",
            "user": cast.volunteer.pk,
            "joined_on": "01/04/2025",
        },
    )
    assert response.status_code == 302
    member = team.members.get()
    assert member.full_name == "Trần Thị Hoa"
    assert (member.position, member.body, member.is_influencer) == ("leader", "women", True)
    assert member.user == cast.volunteer
    assert member.commune == cast.commune
    assert AuditEntry.objects.filter(target_type="thành viên tổ", action="create").exists()
    page = client.get(detail(team)).content.decode()
    assert "Trần Thị Hoa" in page and "Tổ trưởng" in page and "Hội Phụ nữ" in page
    assert "người có uy tín" in page


@pytest.mark.parametrize("who", ["volunteer2", "coordinator", "neighbour_volunteer"])
def test_a_member_links_only_to_a_volunteer_account_of_the_teams_hamlet(client, cast, team, who):
    from accounts.services import staff_user_create

    users = {
        "volunteer2": cast.volunteer2,
        "coordinator": cast.coordinator,
        "neighbour_volunteer": staff_user_create(
            username="tnv-yenmy",
            password="x" * 12,
            full_name="Lê Văn Yên",
            role="volunteer",
            commune=cast.commune,
            hamlet=cast.other_hamlet,
        ),
    }
    client.force_login(cast.coordinator)
    response = client.post(
        detail(team) + "thanh-vien/moi/",
        {
            "full_name": "Trần Thị Hoa",
            "position": "member",
            "body": "women",
            "user": users[who].pk,
            "joined_on": "01/04/2025",
        },
    )
    assert response.status_code == 200
    assert "Tài khoản này không thuộc xóm của tổ." in response.content.decode()
    assert not team.members.exists()


def test_the_same_volunteer_account_cannot_be_an_active_member_twice(cast, team):
    from django.core.exceptions import ValidationError

    add(team, cast.coordinator, user=cast.volunteer)
    with pytest.raises(ValidationError, match="đã là thành viên đang hoạt động"):
        add(team, cast.coordinator, name="Nguyễn Thị Mai", user=cast.volunteer)
    assert team.members.count() == 1


def test_coordinator_records_a_member_leaving_and_it_is_audited(client, cast, team):
    member = add(team, cast.coordinator)
    client.force_login(cast.coordinator)
    url = f"{detail(team)}thanh-vien/{member.pk}/roi-to/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"left_on": timezone.localdate().strftime("%d/%m/%Y")})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == timezone.localdate() and not member.active
    entry = AuditEntry.objects.get(target_type="thành viên tổ", action="update")
    assert entry.before == {"left_on": None}
    page = client.get(detail(team)).content.decode()
    assert "đã rời" in page


def test_leaving_before_joining_is_refused_and_nothing_changes(client, cast, team):
    member = add(team, cast.coordinator)
    client.force_login(cast.coordinator)
    response = client.post(
        f"{detail(team)}thanh-vien/{member.pk}/roi-to/", {"left_on": "01/01/2025"}
    )
    assert response.status_code == 200
    assert "Ngày rời tổ phải từ ngày vào tổ (01/04/2025) trở đi." in response.content.decode()
    member.refresh_from_db()
    assert member.left_on is None


def test_coordinator_edits_a_member_and_the_edit_page_refuses_a_future_joining_date(
    client, cast, team
):
    member = add(team, cast.coordinator)
    client.force_login(cast.coordinator)
    url = f"{detail(team)}thanh-vien/{member.pk}/sua/"
    data = {
        "full_name": "Nguyễn Văn An",
        "position": "deputy",
        "body": "police",
        "joined_on": "01/04/2025",
        "left_on": "",
    }
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.position, member.body) == ("deputy", "police")
    future = (timezone.localdate() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    response = client.post(url, {**data, "joined_on": future})
    assert "Ngày vào tổ không thể ở tương lai." in response.content.decode()


def test_a_member_id_of_another_team_answers_404(client, cast, team, other_team):
    stranger = add(other_team, cast.coordinator)
    client.force_login(cast.coordinator)
    assert client.get(f"{detail(team)}thanh-vien/{stranger.pk}/sua/").status_code == 404
    assert client.post(f"{detail(team)}thanh-vien/{stranger.pk}/roi-to/").status_code == 404


# Reads and refusals ---------------------------------------------------------------------


def test_volunteer_sees_only_their_hamlets_team_and_cannot_change_it(
    client, cast, team, other_team
):
    member = add(team, cast.coordinator)
    client.force_login(cast.volunteer)
    page = client.get(LIST).content.decode()
    assert team.name in page and other_team.name not in page
    assert "Lập tổ mới" not in page
    assert client.get(detail(team)).status_code == 200
    assert "Thêm thành viên" not in client.get(detail(team)).content.decode()
    assert client.get(detail(other_team)).status_code == 404
    assert client.get(NEW).status_code == 403
    assert client.post(detail(team) + "sua/", {"hamlet": cast.hamlet.pk}).status_code == 403
    assert client.post(detail(team) + "thanh-vien/moi/", {}).status_code == 403
    assert client.post(f"{detail(team)}thanh-vien/{member.pk}/roi-to/").status_code == 403
    member.refresh_from_db()
    assert member.left_on is None


@pytest.mark.parametrize("role", ["leader", "officer"])
def test_leaders_and_officers_read_every_team_of_the_commune_read_only(
    client, cast, team, other_team, role
):
    client.force_login(getattr(cast, role))
    page = client.get(LIST).content.decode()
    assert team.name in page and other_team.name in page
    assert client.get(detail(other_team)).status_code == 200
    assert client.get(detail(team) + "sua/").status_code == 403
    assert client.get(NEW).status_code == 403


@pytest.mark.parametrize("role", ["admin2", "coordinator2", "volunteer2"])
def test_the_second_commune_gets_404_for_the_first_communes_team(client, cast, team, role):
    member = add(team, cast.coordinator)
    client.force_login(cast.users()[role])
    assert team.name not in client.get(LIST).content.decode()
    assert client.get(detail(team)).status_code == 404
    if role != "volunteer2":
        assert client.get(detail(team) + "sua/").status_code == 404
        assert client.post(detail(team) + "thanh-vien/moi/", {}).status_code == 404
        assert client.post(f"{detail(team)}thanh-vien/{member.pk}/roi-to/").status_code == 404
    member.refresh_from_db()
    assert member.left_on is None


@pytest.mark.parametrize("role", ["resident", "province"])
def test_residents_and_province_officers_are_refused_team_pages(client, cast, team, role):
    client.force_login(cast.users()[role])
    assert client.get(LIST).status_code == 403
    assert client.get(detail(team)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, team):
    response = client.get(detail(team))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


# The indicator ----------------------------------------------------------------------------


def test_indicator_counts_active_members_per_100_residents_by_hamlet_and_commune(
    client, cast, team
):
    # 40 residents in the hamlet (the cast has one there), one more in the other hamlet.
    more_residents(cast.hamlet, 39)
    gone = Resident.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        full_name="Đã Xóa",
        name_folded="da xoa",
        birth_year=1950,
        sex="nam",
        anonymised_at=timezone.now(),
    )
    assert gone.pk
    add(team, cast.coordinator, name="Nguyễn Văn An", position="leader")
    leaving_later = add(team, cast.coordinator, name="Trần Thị Bích")
    member_leave(
        actor=cast.coordinator,
        member=leaving_later,
        left_on=timezone.localdate() + dt.timedelta(days=10),
    )
    left = add(team, cast.coordinator, name="Lê Văn Cường")
    member_leave(actor=cast.coordinator, member=left, left_on=timezone.localdate())

    rows, total = members_per_100(cast.commune)
    by_hamlet = {r.label: r for r in rows}
    assert (by_hamlet["Xóm Ngọc Lâm"].members, by_hamlet["Xóm Ngọc Lâm"].residents) == (2, 40)
    assert by_hamlet["Xóm Ngọc Lâm"].per_100 == 5.0
    assert by_hamlet["Xóm Yên Mỹ"].per_100 == 0.0
    assert (total.members, total.residents, total.per_100) == (2, 41, 4.9)

    client.force_login(cast.volunteer)
    page = client.get(LIST).content.decode()
    assert "<td>2</td><td>40</td><td>5,0</td>" in page
    assert "<td>2</td><td>41</td><td>4,9</td>" in page
    assert "Xóm Yên Mỹ" not in page  # a volunteer sees their hamlet and the commune


def test_a_hamlet_without_residents_shows_a_dash_rather_than_dividing_by_zero(cast):
    from places.services import hamlet_ensure

    empty = hamlet_ensure(commune=cast.commune, name="Xóm Mới")
    team_create(actor=cast.coordinator, commune=cast.commune, hamlet=empty)
    rows, _ = members_per_100(cast.commune, hamlet_ids=[empty.pk])
    assert rows[0].residents == 0 and rows[0].per_100 is None


def test_every_team_page_shows_the_indicator(client, cast, team):
    member = add(team, cast.coordinator)
    client.force_login(cast.coordinator)
    for url in [
        LIST,
        NEW,
        detail(team),
        detail(team) + "sua/",
        detail(team) + "thanh-vien/moi/",
        f"{detail(team)}thanh-vien/{member.pk}/sua/",
        f"{detail(team)}thanh-vien/{member.pk}/roi-to/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert INDICATOR in response.content.decode(), url


def test_the_team_list_makes_a_bounded_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    from places.services import hamlet_ensure

    for i in range(15):
        hamlet = hamlet_ensure(commune=cast.commune, name=f"Xóm Số {i}")
        team = team_create(actor=cast.coordinator, commune=cast.commune, hamlet=hamlet)
        add(team, cast.coordinator)
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.content.decode().count("1 thành viên đang hoạt động") == 15


def test_the_team_page_makes_a_bounded_number_of_queries(
    client, cast, team, django_assert_max_num_queries
):
    for i in range(20):
        add(team, cast.coordinator, name=f"Nguyễn Văn {chr(65 + i)}")
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(9):
        response = client.get(detail(team))
    assert response.status_code == 200
