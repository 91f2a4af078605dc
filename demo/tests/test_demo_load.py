"""The demo data for Xã Bạch Ngọc loads, and loads again without duplicating anything.

Loading 300 residents takes about half a second, so each test checks several things.
"""

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
def loaded_twice(db):
    out = StringIO()
    call_command("demo_load", stdout=out)
    first = snapshot()
    call_command("demo_load", stdout=out)
    return first, out.getvalue()


def test_loading_the_demo_twice_gives_the_same_people_places_and_roles(loaded_twice):
    first, output = loaded_twice

    assert snapshot() == first
    assert first["communes"] == 1
    assert first["hamlets"] == len(HAMLETS) == 10
    assert first["organisations"] == len(ORGANISATIONS) == 13
    assert first["residents"] == 300
    assert first["users"] == 300 + len(USERNAMES)  # one account per resident, plus officials
    for username in USERNAMES:
        assert User.objects.filter(username=username).count() == 1, username
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert not Resident.objects.filter(user__isnull=True).exists()
    assert Resident.objects.values("hamlet").distinct().count() == 10
    commune = Commune.objects.get()
    assert (commune.name, commune.province_name, commune.code) == ("Xã Bạch Ngọc", "Nghệ An", 17623)
    assert "300 người dân (thêm mới 300)" in output
    assert "300 người dân (thêm mới 0)" in output


def test_after_loading_twice_the_printed_logins_work(client, loaded_twice):
    assert (DEMO_PHONE, DEMO_PIN) == ("0912000001", "2580")

    response = client.post("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": "2580"})

    assert response.status_code == 302
    resident = Resident.objects.get(phone="0912000001")
    assert resident.full_name == "Nguyễn Thị Lành"
    assert client.session["_auth_user_id"] == str(resident.user_id)
    assert "Nguyễn Thị Lành" in client.get("/toi/").content.decode()
    client.post("/dang-xuat/")
    for username in ["quantri", "lanhdao", "dieuphoi", "hoinongdan", "tinhnguyen", "sonoivu"]:
        response = client.post("/dang-nhap/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post("/dang-xuat/")


def test_after_loading_the_home_page_names_bach_ngoc_and_volunteers_see_their_hamlet(
    client, loaded_twice
):
    response = client.get("/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in content
    assert "Xã Bạch Ngọc" in content
    assert "Xóm Ngọc Lâm" in content
    volunteer = User.objects.get(username="tinhnguyen")
    client.force_login(volunteer)
    listing = client.get("/can-bo/nguoi-dan/").content.decode()
    assert Resident.objects.filter(hamlet=volunteer.hamlet).count() == 30
    assert "30 người" in listing
