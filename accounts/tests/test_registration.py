"""Self registration at /dang-ky/ and registration by a volunteer on a resident's behalf."""

import itertools
import re
import uuid
from contextlib import contextmanager

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEntry, Consent, Resident, Role, User

REGISTER_URL = "/dang-ky/"
ASSISTED_URL = "/can-bo/nguoi-dan/dang-ky/"


def self_form(place, /, **overrides):
    data = {
        "full_name": "Phan Văn Tới",
        "birth_year": "1962",
        "sex": "nam",
        "hamlet": str(place.pk),
        "phone": "0987 111 222",
        "pin": "2580",
        "client_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assisted_form(place, /, **overrides):
    data = self_form(place, explained="on")
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def counts():
    return (
        Resident.objects.count(),
        User.objects.count(),
        Consent.objects.count(),
        AuditEntry.objects.count(),
    )


@contextmanager
def nothing_saved():
    before = counts()
    yield
    assert counts() == before


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def page_text(response):
    return response.content.decode()


# Self registration -----------------------------------------------------------


def test_the_registration_page_needs_a_commune_to_be_set_up(client, db):
    response = client.get(REGISTER_URL)

    assert response.status_code == 503
    assert "Chưa thiết lập xã" in page_text(response)


def test_the_registration_form_lists_only_the_public_communes_hamlets(client, cast):
    content = page_text(client.get(REGISTER_URL))

    assert "Xóm Ngọc Lâm" in content
    assert "Xóm Yên Mỹ" in content
    assert "Xóm Hà Trung" not in content


def test_no_consent_is_ticked_in_the_rendered_form(client, cast):
    content = page_text(client.get(REGISTER_URL))

    consent_inputs = re.findall(r"<input[^>]*name=\"consents\"[^>]*>", content)
    assert len(consent_inputs) == 3
    for tag in consent_inputs:
        assert "checked" not in tag


def test_self_registration_creates_one_resident_and_logs_them_in(client, cast):
    before_residents, before_users = Resident.objects.count(), User.objects.count()

    response = client.post(REGISTER_URL, self_form(cast.hamlet))

    assert response.status_code == 302
    assert response.url == "/toi/"
    assert Resident.objects.count() == before_residents + 1
    assert User.objects.count() == before_users + 1
    resident = Resident.objects.get(phone="0987111222")
    assert resident.full_name == "Phan Văn Tới"
    assert resident.hamlet == cast.hamlet
    assert resident.commune == cast.commune
    assert resident.registered_by is None
    assert resident.user.role == Role.RESIDENT
    assert not resident.user.has_usable_password()
    assert check_password("2580", resident.pin_hash)
    assert logged_in_user_id(client) == str(resident.user.pk)
    welcome = client.get("/toi/")
    assert "Chào mừng Phan Văn Tới đến với Học vụ số!" in page_text(welcome)


def test_self_registration_records_only_the_ticked_consents_as_self(client, cast):
    client.post(REGISTER_URL, self_form(cast.hamlet, consents=["learning", "public_name"]))

    resident = Resident.objects.get(phone="0987111222")
    consents = list(resident.consents.all())
    assert sorted(c.purpose for c in consents) == ["learning", "public_name"]
    assert all(c.granted for c in consents)
    assert all(c.method == Consent.Method.SELF for c in consents)
    assert all(c.recorded_by is None for c in consents)


def test_self_registration_with_no_consent_ticked_records_none(client, cast):
    client.post(REGISTER_URL, self_form(cast.hamlet))

    resident = Resident.objects.get(phone="0987111222")
    assert resident.consents.count() == 0


def test_self_registration_is_not_written_to_the_staff_audit_log(client, cast):
    with_audit = AuditEntry.objects.count()

    client.post(REGISTER_URL, self_form(cast.hamlet, consents=["learning"]))

    assert AuditEntry.objects.count() == with_audit


def test_self_registration_needs_a_phone_to_log_in_later(client, cast):
    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet, phone="", pin=""))

    assert response.status_code == 200
    assert "Hãy nhập số điện thoại để đăng nhập sau này." in page_text(response)


def test_self_registration_cannot_pick_a_hamlet_of_another_commune(client, cast):
    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet2))

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)


def test_a_double_submission_with_the_same_form_key_creates_one_resident(client, cast):
    data = self_form(cast.hamlet, consents=["learning"])
    before = Resident.objects.count()

    first = client.post(REGISTER_URL, data)
    second = Client().post(REGISTER_URL, data)

    assert first.status_code == 302
    assert second.status_code == 302
    assert Resident.objects.count() == before + 1
    resident = Resident.objects.get(phone="0987111222")
    assert resident.consents.count() == 1


def test_a_replayed_form_key_with_another_pin_does_not_log_in(client, cast):
    data = self_form(cast.hamlet)
    client.post(REGISTER_URL, data)

    replay = Client()
    response = replay.post(REGISTER_URL, {**data, "pin": "9753"})

    assert response.status_code == 302
    assert response.url == "/dang-nhap/dien-thoai/"
    assert logged_in_user_id(replay) is None
    assert Resident.objects.filter(full_name="Phan Văn Tới").count() == 1


# Bad input: a clear Vietnamese message, status 200, nothing half-saved ------------


BAD_INPUT = [
    pytest.param({"phone": "12345"}, "Số điện thoại không hợp lệ", id="invalid-phone"),
    pytest.param({"phone": "0112 345 678"}, "Số điện thoại không hợp lệ", id="landline-prefix"),
    pytest.param({"phone": "0912000001"}, "Số điện thoại này đã được đăng ký", id="phone-taken"),
    pytest.param({"phone": "+84 912 000 001"}, "Số điện thoại này đã được đăng ký", id="taken-84"),
    pytest.param({"birth_year": "1800"}, "Năm sinh phải từ", id="born-1800"),
    pytest.param({"birth_year": "abc"}, "Nhập một số", id="year-not-a-number"),
    pytest.param({"full_name": "Nguyễn Văn 3"}, "không được có chữ số", id="name-digits"),
    pytest.param({"full_name": "Tới"}, "Hãy nhập đủ họ và tên", id="single-word"),
    pytest.param({"full_name": "   "}, "Trường này là bắt buộc.", id="blank-name"),
    pytest.param({"full_name": "Nguyễn " * 1430}, "tối đa 100", id="name-10000-chars"),
    pytest.param({"pin": "1234"}, "quá dễ đoán", id="pin-1234"),
    pytest.param({"pin": "1111"}, "quá dễ đoán", id="pin-1111"),
    pytest.param({"pin": "9876"}, "quá dễ đoán", id="pin-9876"),
    pytest.param({"pin": "12a4"}, "Mã PIN gồm 4 đến 6 chữ số.", id="pin-letter"),
    pytest.param({"pin": "123"}, "Mã PIN gồm 4 đến 6 chữ số.", id="pin-short"),
    pytest.param({"pin": ""}, "cần đặt mã PIN", id="phone-without-pin"),
    pytest.param({"sex": "x"}, "Hãy chọn một lựa chọn hợp lệ", id="unknown-sex"),
    pytest.param({"hamlet": "999999"}, "Hãy chọn một lựa chọn hợp lệ", id="unknown-hamlet"),
    pytest.param({"consents": ["learning", "ban_du_lieu"]}, "Hãy chọn", id="unknown-purpose"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_self_registration_input_gets_a_clear_message_and_saves_nothing(
    client, cast, overrides, message
):
    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet, **overrides))

    assert response.status_code == 200
    assert message in page_text(response)
    assert logged_in_user_id(client) is None


def test_the_name_of_10000_characters_is_reported_in_vietnamese(client, cast):
    name = "Nguyễn " + "a" * 9993
    assert len(name) == 10_000

    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet, full_name=name))

    assert response.status_code == 200
    assert "Giá trị này chỉ có tối đa 100 kí tự" in page_text(response)


def test_a_birth_year_next_year_is_refused(client, cast):
    next_year = str(timezone.localdate().year + 1)

    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet, birth_year=next_year))

    assert response.status_code == 200
    assert "Năm sinh phải từ" in page_text(response)


def test_a_birth_year_this_year_is_accepted(client, cast):
    this_year = str(timezone.localdate().year)

    response = client.post(REGISTER_URL, self_form(cast.hamlet, birth_year=this_year))

    assert response.status_code == 302


def test_a_phone_with_non_latin_digits_is_never_stored_as_a_look_alike_number(client, cast):
    # "0912000001" typed with Arabic-Indic digits after the "09": the same number as
    # the cast resident's, so it must be refused (or normalised and then refused as taken).
    look_alike = "09" + "١٢٠٠٠٠٠١"

    with nothing_saved():
        response = client.post(REGISTER_URL, self_form(cast.hamlet, phone=look_alike))

    assert response.status_code == 200
    assert not Resident.objects.filter(phone=look_alike).exists()


def test_a_name_whose_letters_grow_when_folded_for_search_still_registers(client, cast):
    # 41 Hangul syllables: each splits into 2-3 jamo when folded, so the search copy of
    # the name (name_folded, 100 characters) is longer than the name itself.
    name = "김" * 20 + " " + "김" * 20
    client.raise_request_exception = False

    response = client.post(REGISTER_URL, self_form(cast.hamlet, full_name=name))

    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert Resident.objects.get(phone="0987111222").full_name == name


def test_a_same_name_and_birth_year_in_the_same_hamlet_is_flagged(client, cast):
    data = self_form(cast.hamlet, full_name="nguyễn thị  lành", birth_year="1955")

    with nothing_saved():
        response = client.post(REGISTER_URL, data)

    assert response.status_code == 200
    assert "Xóm Ngọc Lâm đã có người tên" in page_text(response)
    assert re.search(r'<input type="checkbox" name="same_name_confirmed"', page_text(response))


def test_the_same_name_confirmation_box_is_not_offered_before_a_clash(client, cast):
    content = page_text(client.get(REGISTER_URL))

    assert not re.search(r'<input type="checkbox" name="same_name_confirmed"', content)


def test_a_same_name_without_diacritics_is_flagged_too(client, cast):
    data = self_form(cast.hamlet, full_name="Nguyen Thi Lanh", birth_year="1955")

    with nothing_saved():
        response = client.post(REGISTER_URL, data)

    assert response.status_code == 200
    assert "đã có người tên" in page_text(response)


def test_a_same_name_is_accepted_once_confirmed_as_another_person(client, cast):
    data = self_form(
        cast.hamlet, full_name="Nguyễn Thị Lành", birth_year="1955", same_name_confirmed="on"
    )

    response = client.post(REGISTER_URL, data)

    assert response.status_code == 302
    assert Resident.objects.filter(full_name="Nguyễn Thị Lành", hamlet=cast.hamlet).count() == 2


def test_a_same_name_in_another_hamlet_is_not_a_duplicate(client, cast):
    data = self_form(cast.other_hamlet, full_name="Nguyễn Thị Lành", birth_year="1955")

    response = client.post(REGISTER_URL, data)

    assert response.status_code == 302


def test_extra_spaces_in_a_name_are_tidied(client, cast):
    client.post(REGISTER_URL, self_form(cast.hamlet, full_name="  Phan   Văn\tTới "))

    resident = Resident.objects.get(phone="0987111222")
    assert resident.full_name == "Phan Văn Tới"
    assert resident.name_folded == "phan van toi"


# Arbitrary input never gives a server error ------------------------------------

FIELDS = [
    "full_name",
    "birth_year",
    "sex",
    "hamlet",
    "phone",
    "pin",
    "consents",
    "same_name_confirmed",
    "client_key",
    "has_disability",
    "is_poor_household",
]
any_text = st.text(max_size=120)
# Either every field is arbitrary, or a few are, so the text also reaches the later checks.
every_field = st.fixed_dictionaries(dict.fromkeys(FIELDS, any_text))
some_fields = st.dictionaries(st.sampled_from(FIELDS), any_text, min_size=1, max_size=3)
_phones = itertools.count(1)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=st.one_of(every_field, some_fields), all_arbitrary=st.booleans())
def test_arbitrary_text_in_every_registration_field_never_gives_a_server_error(
    cast, values, all_arbitrary
):
    client = Client(raise_request_exception=False)
    if all_arbitrary:
        data = values
    else:
        data = {**self_form(cast.hamlet, phone=f"098{next(_phones):07d}"), **values}
    before = Resident.objects.count()

    response = client.post(REGISTER_URL, data)

    event(f"status {response.status_code}")
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert Resident.objects.count() == before
    else:
        assert Resident.objects.count() == before + 1


# Volunteer-assisted registration -------------------------------------------------


def test_a_volunteer_sees_only_their_own_hamlet_in_the_form(client, cast):
    client.force_login(cast.volunteer)

    content = page_text(client.get(ASSISTED_URL))

    assert "Xóm Ngọc Lâm" in content
    assert "Xóm Yên Mỹ" not in content
    assert 'name="explained"' in content
    for tag in re.findall(r"<input[^>]*name=\"consents\"[^>]*>", content):
        assert "checked" not in tag


def test_assisted_registration_records_consents_as_assisted_by_the_volunteer(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(ASSISTED_URL, assisted_form(cast.hamlet, consents=["contest"]))

    resident = Resident.objects.get(phone="0987111222")
    assert response.status_code == 302
    assert response.url == f"/can-bo/nguoi-dan/{resident.pk}/"
    assert resident.registered_by == cast.volunteer
    consent = resident.consents.get()
    assert consent.purpose == "contest"
    assert consent.granted is True
    assert consent.method == Consent.Method.ASSISTED
    assert consent.recorded_by == cast.volunteer
    # The volunteer stays logged in as themselves.
    assert logged_in_user_id(client) == str(cast.volunteer.pk)
    created = AuditEntry.objects.get(action="create", target_id=str(resident.pk))
    assert created.actor == cast.volunteer
    assert created.after["full_name"] == "Phan Văn Tới"


def test_assisted_registration_without_a_phone_is_allowed(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(ASSISTED_URL, assisted_form(cast.hamlet, phone="", pin=""))

    assert response.status_code == 302
    resident = Resident.objects.get(full_name="Phan Văn Tới")
    assert resident.phone is None
    assert resident.pin_hash == ""


def test_assisted_registration_requires_the_explained_box(client, cast):
    client.force_login(cast.volunteer)

    with nothing_saved():
        response = client.post(
            ASSISTED_URL, assisted_form(cast.hamlet, explained=None, consents=["learning"])
        )

    assert response.status_code == 200
    assert "Hãy giải thích cho người dân trước khi ghi nhận." in page_text(response)


def test_a_volunteer_cannot_register_into_another_hamlet(client, cast):
    client.force_login(cast.volunteer)

    with nothing_saved():
        response = client.post(ASSISTED_URL, assisted_form(cast.other_hamlet))

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)


def test_a_volunteer_cannot_register_into_another_communes_hamlet(client, cast):
    client.force_login(cast.volunteer)

    with nothing_saved():
        response = client.post(ASSISTED_URL, assisted_form(cast.hamlet2))

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)


def test_a_coordinator_can_register_into_any_hamlet_of_their_commune(client, cast):
    client.force_login(cast.coordinator)

    response = client.post(ASSISTED_URL, assisted_form(cast.other_hamlet))

    assert response.status_code == 302
    assert Resident.objects.get(phone="0987111222").hamlet == cast.other_hamlet


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_assisted_registration_input_gets_a_clear_message_and_saves_nothing(
    client, cast, overrides, message
):
    client.force_login(cast.volunteer)

    with nothing_saved():
        response = client.post(ASSISTED_URL, assisted_form(cast.hamlet, **overrides))

    assert response.status_code == 200
    assert message in page_text(response)


def test_an_assisted_double_submission_creates_one_resident(client, cast):
    client.force_login(cast.volunteer)
    data = assisted_form(cast.hamlet, consents=["learning"])
    before = Resident.objects.count()

    first = client.post(ASSISTED_URL, data)
    second = client.post(ASSISTED_URL, data)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Resident.objects.count() == before + 1
    assert Consent.objects.filter(resident__phone="0987111222").count() == 1
