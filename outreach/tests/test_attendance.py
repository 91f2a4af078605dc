"""Attendance in the room: every way of marking someone present records exactly one row,
replays change nothing, refusals are in Vietnamese and save nothing, and scope holds."""

import hashlib
import uuid

import pytest
from django.utils import timezone

from accounts.models import Consent, Resident
from accounts.services import resident_issue_card, resident_register
from outreach.models import Attendance, Session, SkillTick

pytestmark = pytest.mark.django_db


def make_session(cast, *, hamlet=None, commune=None, organiser=None) -> Session:
    return Session.objects.create(
        commune=commune or cast.commune,
        hamlet=hamlet or cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm",
        starts_at=timezone.now(),
        organiser=organiser or cast.organisation,
        planned_participants=40,
    )


def url(session, action="") -> str:
    return f"/can-bo/buoi-huong-dan/{session.pk}/diem-danh/{action}"


def key() -> str:
    return str(uuid.uuid4())


@pytest.fixture
def session(cast):
    return make_session(cast)


@pytest.fixture
def volunteer(client, cast):
    client.force_login(cast.volunteer)
    return client


def page(client, session) -> str:
    response = client.get(url(session))
    assert response.status_code == 200
    return response.content.decode()


# --- the page ----------------------------------------------------------------------------------


def test_page_lists_the_hamlet_sorted_the_vietnamese_way(volunteer, cast, session):
    for name in ["Trần Văn Ân", "Lê Thị Bích", "Hoàng Văn Anh"]:
        resident_register(actor=None, hamlet=cast.hamlet, full_name=name, birth_year=1960, sex="nu")
    html = page(volunteer, session)
    roll = html.split('id="att-roll"', 1)[1].split("</ul>", 1)[0]
    order = [roll.index(n) for n in ["Hoàng Văn Anh", "Trần Văn Ân", "Lê Thị Bích", "Thị Lành"]]
    assert order == sorted(order)  # by given name: Anh, Ân, Bích, Lành
    assert "Trần Văn Bình" not in html  # the other hamlet's resident
    assert "Đã điểm danh (<span" in html and 'id="att-token"' in html
    assert "Tôi đã đọc và giải thích từng mục đích" in html  # the assisted-consent statement
    assert "checked" not in html.split('id="att-walk"', 1)[1].split("</details>", 1)[0]


def test_search_finds_names_without_diacritics_and_phones(volunteer, cast, session):
    html = page(volunteer, session)
    assert "Kết quả tìm" not in html
    for query in ["lanh", "nguyen thi", "0912000001", "000001"]:
        html = volunteer.get(url(session), {"q": query}).content.decode()
        results = html.split('id="att-results"', 1)[1].split("</div>", 1)[0]
        assert "Nguyễn Thị Lành" in results, query
        assert 'value="search"' in results
    fragment = volunteer.get(url(session, "tim/"), {"q": "LANH"}).content.decode()
    assert "Nguyễn Thị Lành" in fragment and "<html" not in fragment
    # The volunteer's scope: the other hamlet's resident is not found.
    html = volunteer.get(url(session), {"q": "binh"}).content.decode()
    assert "Trần Văn Bình" not in html and "Không thấy ai" in html


# --- each method records exactly one Attendance -----------------------------------------------


def test_tap_in_the_hamlet_list_records_once_and_a_replay_changes_nothing(volunteer, cast, session):
    data = {"resident": cast.resident.pk, "method": "list", "client_key": key()}
    response = volunteer.post(url(session, "co-mat/"), data, follow=True)
    assert response.redirect_chain == [(url(session), 302)]
    assert "Đã điểm danh: Nguyễn Thị Lành." in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.method, attendance.recorded_by, attendance.commune) == (
        "list",
        cast.volunteer,
        cast.commune,
    )
    # The same post again (a replay): still one, answered like the first time.
    again = volunteer.post(url(session, "co-mat/"), data | {"js": "1"})
    assert again.status_code == 200
    assert again.json()["ok"] and not again.json()["created"]
    assert Attendance.objects.count() == 1
    # Ticked again from the list with another key: still one.
    volunteer.post(url(session, "co-mat/"), data | {"client_key": key()})
    assert Attendance.objects.count() == 1
    html = page(volunteer, session)
    assert "Nguyễn Thị Lành" not in html.split('id="att-roll"', 1)[1].split("</ul>", 1)[0]
    assert "Nguyễn Thị Lành" in html.split('id="att-done"', 1)[1]
    assert 'id="att-done-n">1<' in html


def test_search_tap_records_once_with_its_method(volunteer, cast, session):
    data = {"resident": cast.resident.pk, "method": "search", "client_key": key(), "js": "1"}
    body = volunteer.post(url(session, "co-mat/"), data).json()
    assert body["ok"] and body["created"] and body["resident"]["name"] == "Nguyễn Thị Lành"
    assert body["present"] == 1
    assert Attendance.objects.get().method == "search"


def test_card_scan_records_once(volunteer, cast, session):
    token = resident_issue_card(actor=cast.admin, resident=cast.resident)
    scanned = f"http://testserver/the/{token}/"
    data = {"token": scanned, "client_key": key()}
    response = volunteer.post(url(session, "the/"), data, follow=True)
    assert "Đã điểm danh: Nguyễn Thị Lành." in response.content.decode()
    assert Attendance.objects.get().method == "card"
    volunteer.post(url(session, "the/"), data)  # replay
    volunteer.post(url(session, "the/"), {"token": token, "client_key": key()})  # typed token
    # A phone that hashed the token before keeping it in its outbox.
    hashed = hashlib.sha256(token.encode()).hexdigest()
    body = volunteer.post(
        url(session, "the/"), {"token_hash": hashed, "client_key": key(), "js": "1"}
    ).json()
    assert body["ok"] and not body["created"]
    assert Attendance.objects.count() == 1


def test_a_card_of_another_commune_is_refused_in_vietnamese(volunteer, cast, session):
    token = resident_issue_card(actor=cast.admin2, resident=cast.resident2)
    response = volunteer.post(
        url(session, "the/"),
        {"token": f"https://x.vn/the/{token}/", "client_key": key()},
        follow=True,
    )
    assert "Không nhận ra thẻ này" in response.content.decode()
    body = volunteer.post(
        url(session, "the/"), {"token": token, "client_key": key(), "js": "1"}
    ).json()
    assert body == {"ok": False, "created": False, "message": body["message"]}
    assert "thẻ của xã khác" in body["message"]
    for garbage in ["", "abc", "/the/../../", "x" * 600, "\x00" * 20]:
        response = volunteer.post(url(session, "the/"), {"token": garbage, "client_key": key()})
        assert response.status_code == 302
    assert Attendance.objects.count() == 0


def test_walk_in_registers_consents_and_attends_in_one_step(volunteer, cast, session):
    data = {
        "full_name": "  Phạm   Văn Mới ",
        "birth_year": "1950",
        "sex": "nam",
        "phone": "0987 654 321",
        "consents": ["learning"],
        "explained": "on",
        "client_key": key(),
    }
    response = volunteer.post(url(session, "nguoi-moi/"), data, follow=True)
    assert "Đã đăng ký và điểm danh: Phạm Văn Mới." in response.content.decode()
    resident = Resident.objects.get(full_name="Phạm Văn Mới")
    assert (resident.hamlet, resident.phone, resident.registered_by) == (
        cast.hamlet,
        "0987654321",
        cast.volunteer,
    )
    consent = Consent.objects.get(resident=resident)
    assert (consent.purpose, consent.granted, consent.method) == ("learning", True, "assisted")
    attendance = Attendance.objects.get(resident=resident)
    assert (attendance.session, attendance.method) == (session, "walk_in")
    # A replay of the same form: nothing new.
    body = volunteer.post(url(session, "nguoi-moi/"), data | {"js": "1"}).json()
    assert body["ok"] and body["resident"]["id"] == resident.pk
    assert Resident.objects.filter(full_name="Phạm Văn Mới").count() == 1
    assert (
        Attendance.objects.count() == 1 and Consent.objects.filter(resident=resident).count() == 1
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"full_name": ""}, "This field is required"),
        ({"full_name": "Mới"}, "Hãy nhập đủ họ và tên"),
        ({"birth_year": "1800"}, "Năm sinh phải từ"),
        ({"explained": ""}, "Hãy giải thích cho người dân trước khi ghi nhận."),
        ({"phone": "0912000001"}, "Số điện thoại này đã được đăng ký"),
        ({"full_name": "Nguyễn Thị Lành", "birth_year": "1955"}, "đã có người tên"),
    ],
)
def test_invalid_walk_in_saves_nothing_and_says_why(volunteer, cast, session, change, message):
    before = (Resident.objects.count(), Consent.objects.count())
    data = {
        "full_name": "Phạm Văn Mới",
        "birth_year": "1950",
        "sex": "nam",
        "consents": ["learning"],
        "explained": "on",
        "client_key": key(),
    } | change
    response = volunteer.post(url(session, "nguoi-moi/"), data)
    html = response.content.decode()
    assert response.status_code == 400
    if message == "This field is required":
        message = "Trường này là bắt buộc"  # Django's own message, in Vietnamese
    assert message in html
    assert 'id="att-walk" open' in html
    body = volunteer.post(url(session, "nguoi-moi/"), data | {"js": "1"}).json()
    assert body["ok"] is False and message in str(body)
    assert (Resident.objects.count(), Consent.objects.count()) == before
    assert Attendance.objects.count() == 0


def test_walk_in_same_name_can_be_confirmed_as_another_person(volunteer, cast, session):
    data = {
        "full_name": "Nguyễn Thị Lành",
        "birth_year": "1955",
        "sex": "nu",
        "explained": "on",
        "client_key": key(),
    }
    html = volunteer.post(url(session, "nguoi-moi/"), data).content.decode()
    assert 'type="checkbox" name="same_name_confirmed"' in html
    volunteer.post(url(session, "nguoi-moi/"), data | {"same_name_confirmed": "on"})
    assert Resident.objects.filter(full_name="Nguyễn Thị Lành").count() == 2
    assert Attendance.objects.get().method == "walk_in"


# --- skill ticks -------------------------------------------------------------------------------


def test_skill_ticks_are_recorded_with_the_session_once(volunteer, cast, session):
    no = volunteer.post(
        url(session, "ky-nang/"),
        {"resident": cast.resident.pk, "skill": ["zalo"], "client_key": key(), "js": "1"},
    )
    assert (
        no.status_code == 400
        and no.json()["message"] == "Người này chưa được điểm danh ở buổi này."
    )
    volunteer.post(url(session, "co-mat/"), {"resident": cast.resident.pk, "client_key": key()})
    data = {"resident": cast.resident.pk, "skill": ["zalo", "qr", "khong-co"], "client_key": key()}
    response = volunteer.post(url(session, "ky-nang/"), data, follow=True)
    assert "Đã ghi 2 kỹ năng cho Nguyễn Thị Lành." in response.content.decode()
    ticks = SkillTick.objects.order_by("skill")
    assert [(t.skill, t.source, t.session, t.recorded_by, t.has_skill) for t in ticks] == [
        ("qr", "verified", session, cast.volunteer, True),
        ("zalo", "verified", session, cast.volunteer, True),
    ]
    volunteer.post(url(session, "ky-nang/"), data)  # replay
    body = volunteer.post(
        url(session, "ky-nang/"),
        {
            "resident": cast.resident.pk,
            "skill": ["zalo", "payment"],
            "client_key": key(),
            "js": "1",
        },
    ).json()
    assert body["skills"] == ["payment"]  # zalo was ticked in this session already
    assert SkillTick.objects.count() == 3
    html = page(volunteer, session)
    assert 'value="zalo" checked disabled' in html and 'value="payment" checked disabled' in html
    empty = volunteer.post(
        url(session, "ky-nang/"), {"resident": cast.resident.pk, "client_key": key()}
    )
    assert empty.status_code == 302 and SkillTick.objects.count() == 3


# --- scope and garbage -------------------------------------------------------------------------


def test_who_may_take_attendance(client, cast, session):
    expected = {
        "admin": 200,
        "coordinator": 200,
        "volunteer": 200,
        "officer": 200,  # the session's organiser
        "leader": 403,
        "resident": 403,
        "province": 403,
        "admin2": 404,
        "coordinator2": 404,
        "volunteer2": 404,
        "resident2": 403,
        "province_other": 403,
    }
    assert client.get(url(session)).status_code == 302  # to the login page
    for role, user in cast.users().items():
        client.force_login(user)
        for action in ["", "tim/?q=lanh"]:
            assert client.get(url(session, action)).status_code == expected[role], (role, action)
        status = client.post(
            url(session, "co-mat/"), {"resident": cast.resident.pk, "client_key": key()}
        ).status_code
        assert status == (302 if expected[role] == 200 else expected[role]), role
    assert Attendance.objects.count() == 1


def test_volunteer_of_another_hamlet_gets_404_and_saves_nothing(client, cast):
    session = make_session(cast, hamlet=cast.other_hamlet)
    client.force_login(cast.volunteer)
    assert client.get(url(session)).status_code == 404
    for action in ["co-mat/", "the/", "nguoi-moi/", "ky-nang/"]:
        response = client.post(
            url(session, action), {"resident": cast.neighbour.pk, "client_key": key()}
        )
        assert response.status_code == 404, action
    assert Attendance.objects.count() == 0 and Resident.objects.count() == 3


def test_officer_sees_only_their_organisations_sessions(client, cast):
    other = make_session(cast, organiser=cast.other_organisation)
    client.force_login(cast.officer)
    assert client.get(url(other)).status_code == 404
    mine = make_session(cast)
    assert "Nguyễn Thị Lành" in page(client, mine)  # the hamlet list, though no resident pages


def test_residents_outside_scope_cannot_be_marked(volunteer, cast, session):
    for resident in [cast.neighbour, cast.resident2]:  # other hamlet; other commune
        response = volunteer.post(
            url(session, "co-mat/"), {"resident": resident.pk, "client_key": key()}, follow=True
        )
        assert "Không tìm thấy người dân này" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_a_key_from_another_session_is_not_taken_as_a_replay(volunteer, cast, session):
    other = make_session(cast)
    used = key()
    volunteer.post(url(other, "co-mat/"), {"resident": cast.resident.pk, "client_key": used})
    body = volunteer.post(
        url(session, "co-mat/"), {"resident": cast.resident.pk, "client_key": used, "js": "1"}
    ).json()
    assert not body["ok"] and "buổi khác" in body["message"]
    assert list(Attendance.objects.values_list("session", flat=True)) == [other.pk]


@pytest.mark.parametrize(
    "resident, client_key",
    [
        ("", ""),
        ("abc", "not-a-uuid"),
        ("99999999999999999999999", str(uuid.uuid4())),
        ("-1", str(uuid.uuid4())),
        ("1e3", "{" * 100),
        ("\x00", "\x00"),
        ("999999", str(uuid.uuid4())),
    ],
)
def test_no_500_on_garbage(volunteer, cast, session, resident, client_key):
    for action in ["co-mat/", "the/", "ky-nang/", "nguoi-moi/"]:
        data = {
            "resident": resident,
            "client_key": client_key,
            "token": resident,
            "skill": resident,
        }
        assert volunteer.post(url(session, action), data).status_code < 500
        assert volunteer.post(url(session, action), data | {"js": "1"}).status_code < 500
    assert volunteer.get(url(session), {"q": resident or "\x00"}).status_code < 500
    for bad in ["99999999999999999999999", "0"]:
        assert volunteer.get(f"/can-bo/buoi-huong-dan/{bad}/diem-danh/").status_code == 404
    assert volunteer.get(url(session, "co-mat/")).status_code == 405
    assert Attendance.objects.count() == 0 and SkillTick.objects.count() == 0
