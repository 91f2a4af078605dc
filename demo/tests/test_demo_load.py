"""The demo data for Xã Bạch Ngọc loads, and loads again without duplicating anything."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Consent, Resident, Role, User
from demo.management.commands.demo_load import (
    DEMO_PASSWORD,
    DEMO_PHONE,
    DEMO_PIN,
    HAMLETS,
    ORGANISATIONS,
    STAFF,
)
from places.models import Commune, Hamlet, Organisation

USERNAMES = [username for username, *_ in STAFF] + ["sonoivu"]


def snapshot() -> dict:
    return {
        "communes": Commune.objects.count(),
        "hamlets": Hamlet.objects.count(),
        "organisations": Organisation.objects.count(),
        "residents": Resident.objects.count(),
        "users": User.objects.count(),
        "consents": Consent.objects.count(),
    }


@pytest.fixture
def loaded(db):
    out = StringIO()
    call_command("demo_load", stdout=out)
    first = snapshot()
    call_command("demo_load", stdout=out)
    return first, out.getvalue()


def test_loading_the_demo_twice_gives_the_same_counts(loaded):
    first, _ = loaded

    assert snapshot() == first
    assert first["communes"] == 1
    assert first["hamlets"] == len(HAMLETS) == 10
    assert first["organisations"] == len(ORGANISATIONS) == 13
    assert first["residents"] == 300
    # One login account per resident plus the listed officials.
    assert first["users"] == 300 + len(USERNAMES)


def test_the_demo_commune_is_bach_ngoc(loaded):
    commune = Commune.objects.get()

    assert commune.name == "Xã Bạch Ngọc"
    assert commune.province_name == "Nghệ An"
    assert commune.code == 17623
    assert Resident.objects.filter(commune=commune).count() == 300


def test_every_listed_username_exists_exactly_once(loaded):
    for username in USERNAMES:
        assert User.objects.filter(username=username).count() == 1, username


def test_every_role_is_present(loaded):
    roles = set(User.objects.values_list("role", flat=True))

    assert roles == set(Role.values)


def test_every_demo_resident_has_a_login_account_and_a_hamlet(loaded):
    assert not Resident.objects.filter(user__isnull=True).exists()
    assert Resident.objects.values("hamlet").distinct().count() == 10


def test_the_second_load_reports_nothing_new(loaded):
    _, output = loaded

    assert "300 người dân (thêm mới 300)" in output
    assert "300 người dân (thêm mới 0)" in output


@pytest.mark.parametrize("username", ["quantri", "lanhdao", "dieuphoi", "tinhnguyen", "sonoivu"])
def test_the_printed_staff_logins_work(client, loaded, username):
    response = client.post("/dang-nhap/", {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


def test_the_demo_resident_logs_in_with_the_printed_phone_and_pin(client, loaded):
    assert (DEMO_PHONE, DEMO_PIN) == ("0912000001", "2580")

    response = client.post("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": "2580"})

    assert response.status_code == 302
    resident = Resident.objects.get(phone="0912000001")
    assert resident.full_name == "Nguyễn Thị Lành"
    assert client.session["_auth_user_id"] == str(resident.user_id)
    assert "Nguyễn Thị Lành" in client.get("/toi/").content.decode()


def test_the_public_home_page_names_the_demo_commune_in_vietnamese(client, loaded):
    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in content
    assert "Xã Bạch Ngọc" in content
    assert "Xóm Ngọc Lâm" in content


def test_a_volunteer_of_the_demo_sees_only_their_hamlets_residents(client, loaded):
    volunteer = User.objects.get(username="tinhnguyen")
    client.force_login(volunteer)

    response = client.get("/can-bo/nguoi-dan/")

    assert response.status_code == 200
    in_hamlet = Resident.objects.filter(hamlet=volunteer.hamlet).count()
    assert f"{in_hamlet} người" in response.content.decode()
    assert in_hamlet == 30
