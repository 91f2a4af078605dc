"""Officials manage residents: list and search, edit with audit, PIN reset, login cards."""

import pytest
from django.test import Client

from accounts.models import AuditEntry, Resident
from accounts.services import resident_issue_card, resident_register

LIST_URL = "/can-bo/nguoi-dan/"


def listed_names(content: str) -> set[str]:
    everyone = ["Nguyễn Thị Lành", "Trần Văn Bình", "Lê Thị Hoa"]
    return {name for name in everyone if name in content}


def edit_data(resident, **overrides):
    data = {
        "full_name": resident.full_name,
        "birth_year": str(resident.birth_year),
        "sex": resident.sex,
        "hamlet": str(resident.hamlet_id),
        "phone": resident.phone or "",
    }
    data.update(overrides)
    return data


# The list ---------------------------------------------------------------------


def test_a_volunteer_sees_only_the_residents_of_their_own_hamlet(client, cast):
    client.force_login(cast.volunteer)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert listed_names(response.content.decode()) == {"Nguyễn Thị Lành"}


def test_a_coordinator_sees_every_hamlet_of_their_commune_and_no_other_commune(client, cast):
    client.force_login(cast.coordinator)

    content = client.get(LIST_URL).content.decode()

    assert listed_names(content) == {"Nguyễn Thị Lành", "Trần Văn Bình"}


def test_a_volunteer_cannot_widen_the_list_with_another_hamlet_filter(client, cast):
    client.force_login(cast.volunteer)

    content = client.get(LIST_URL, {"xom": cast.other_hamlet.pk}).content.decode()

    assert listed_names(content) == set()
    assert "Không tìm thấy ai." in content


def test_the_hamlet_filter_narrows_a_coordinators_list(client, cast):
    client.force_login(cast.coordinator)

    content = client.get(LIST_URL, {"xom": cast.other_hamlet.pk}).content.decode()

    assert listed_names(content) == {"Trần Văn Bình"}


@pytest.mark.parametrize(
    "params",
    [
        {"xom": "abc"},
        {"xom": "-1"},
        {"xom": "²"},  # str.isdigit() says yes, int() says no
        {"xom": "9" * 30},  # larger than any database integer
        {"q": "lanh\x00"},  # PostgreSQL refuses NUL in text
        {"q": "x" * 5000},
        {"trang": "9" * 30},
        {"trang": "-1"},
    ],
    ids=[
        "letters",
        "negative",
        "superscript-two",
        "huge",
        "nul",
        "long-query",
        "page-huge",
        "page-neg",
    ],
)
def test_odd_list_parameters_never_give_a_server_error(client, cast, params):
    client.force_login(cast.coordinator)
    client.raise_request_exception = False

    response = client.get(LIST_URL, params)

    # A NUL character is refused up front with a Vietnamese message (PostgreSQL can't store it).
    assert response.status_code == (400 if any("\x00" in v for v in params.values()) else 200)


@pytest.mark.parametrize("query", ["nguyen thi lanh", "NGUYỄN THỊ LÀNH", "  lanh ", "thi  lanh"])
def test_searching_without_diacritics_finds_the_resident(client, cast, query):
    client.force_login(cast.coordinator)

    content = client.get(LIST_URL, {"q": query}).content.decode()

    assert listed_names(content) == {"Nguyễn Thị Lành"}


def test_a_search_that_matches_nobody_says_so(client, cast):
    client.force_login(cast.coordinator)

    content = client.get(LIST_URL, {"q": "khong co ai"}).content.decode()

    assert listed_names(content) == set()
    assert "Không tìm thấy ai." in content


def test_an_htmx_search_returns_only_the_rows(client, cast):
    client.force_login(cast.coordinator)

    response = client.get(LIST_URL, {"q": "binh"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<form" not in content
    assert listed_names(content) == {"Trần Văn Bình"}
    assert "1 người" in content


def test_a_normal_request_returns_the_whole_page(client, cast):
    client.force_login(cast.coordinator)

    content = client.get(LIST_URL).content.decode()

    assert '<html lang="vi">' in content
    assert 'id="rows"' in content


def test_the_list_is_sorted_by_given_name_the_vietnamese_way(client, cast):
    for name in ["Lê Văn Ánh", "Hồ Thị Bé", "Phạm Văn An"]:
        resident_register(
            actor=None, hamlet=cast.hamlet, full_name=name, birth_year=1980, sex="nam"
        )
    client.force_login(cast.volunteer)

    content = client.get(LIST_URL).content.decode()

    order = ["Phạm Văn An", "Lê Văn Ánh", "Hồ Thị Bé", "Nguyễn Thị Lành"]
    positions = [content.index(name) for name in order]
    assert positions == sorted(positions)


def test_the_list_page_uses_a_bounded_number_of_queries(
    client, cast, django_assert_max_num_queries
):
    for i in range(30):
        resident_register(
            actor=None,
            hamlet=cast.hamlet if i % 2 else cast.other_hamlet,
            full_name=f"Đặng Văn Thử {chr(ord('A') + i % 26)}",
            birth_year=1940 + i,
            sex="nam",
            phone=f"09880000{i:02d}",
            allow_same_name=True,
        )
    client.force_login(cast.coordinator)
    client.get(LIST_URL)  # warm up the session

    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "32 người" in response.content.decode()


def test_the_list_is_paged_by_fifty(client, cast):
    for i in range(55):
        resident_register(
            actor=None,
            hamlet=cast.hamlet,
            full_name="Võ Văn Mẫu",
            birth_year=1950 + i % 10,
            sex="nam",
            allow_same_name=True,
        )
    client.force_login(cast.volunteer)

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"trang": 2}).content.decode()

    assert "56 người" in first
    assert "Trang 1/2" in first
    assert first.count("Võ Văn Mẫu") + first.count("Nguyễn Thị Lành") == 50
    assert second.count("Võ Văn Mẫu") + second.count("Nguyễn Thị Lành") == 6
    assert "Trang 2/2" in second


@pytest.mark.parametrize("role", ["leader", "officer", "province"])
def test_roles_that_do_not_manage_residents_get_403(client, cast, role):
    client.force_login(getattr(cast, role))

    assert client.get(LIST_URL).status_code == 403


# Editing and the audit log -------------------------------------------------------


def test_a_coordinator_edit_is_saved_and_audited_with_only_the_changed_fields(client, cast):
    client.force_login(cast.coordinator)
    resident = cast.resident

    response = client.post(
        f"/can-bo/nguoi-dan/{resident.pk}/sua/",
        edit_data(resident, birth_year="1956", phone="0912 777 666", has_disability="on"),
    )

    assert response.status_code == 302
    assert response.url == f"/can-bo/nguoi-dan/{resident.pk}/"
    resident.refresh_from_db()
    assert (resident.birth_year, resident.phone, resident.has_disability) == (
        1956,
        "0912777666",
        True,
    )
    entry = AuditEntry.objects.get(action="update", target_id=str(resident.pk))
    assert entry.actor == cast.coordinator
    assert entry.commune == cast.commune
    assert entry.target_repr == "Nguyễn Thị Lành"
    assert entry.before == {"birth_year": 1955, "phone": "0912000001", "has_disability": False}
    assert entry.after == {"birth_year": 1956, "phone": "0912777666", "has_disability": True}


def test_an_edit_that_changes_nothing_writes_no_audit_entry(client, cast):
    client.force_login(cast.coordinator)

    client.post(f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/", edit_data(cast.resident))

    assert not AuditEntry.objects.filter(target_id=str(cast.resident.pk)).exists()


def test_a_name_change_also_renames_the_login_account_and_search(client, cast):
    client.force_login(cast.coordinator)

    client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/",
        edit_data(cast.resident, full_name="Nguyễn  Thị Lành Mới"),
    )

    cast.resident.refresh_from_db()
    cast.resident.user.refresh_from_db()
    assert cast.resident.full_name == "Nguyễn Thị Lành Mới"
    assert cast.resident.user.full_name == "Nguyễn Thị Lành Mới"
    content = client.get(LIST_URL, {"q": "lanh moi"}).content.decode()
    assert "Nguyễn Thị Lành Mới" in content


def test_the_admin_sees_the_edit_on_the_audit_log_page(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/", edit_data(cast.resident, birth_year="1957")
    )

    client.force_login(cast.admin)
    response = client.get("/can-bo/nhat-ky/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Dieuphoi" in content  # the actor
    assert "Sửa" in content
    assert "người dân: Nguyễn Thị Lành" in content
    assert "1955" in content
    assert "1957" in content


def test_the_audit_log_of_one_commune_is_not_shown_to_another(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/", edit_data(cast.resident, birth_year="1957")
    )

    client.force_login(cast.admin2)
    content = client.get("/can-bo/nhat-ky/").content.decode()

    assert "Nguyễn Thị Lành" not in content
    assert "Chưa có thao tác nào." in content


@pytest.mark.parametrize("role", ["coordinator", "volunteer", "leader"])
def test_only_the_admin_reads_the_audit_log(client, cast, role):
    client.force_login(getattr(cast, role))

    assert client.get("/can-bo/nhat-ky/").status_code == 403


def test_an_edit_to_a_phone_already_in_use_is_refused_and_nothing_changes(client, cast):
    client.force_login(cast.coordinator)

    response = client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/",
        edit_data(cast.resident, phone="0912000002", birth_year="1960"),
    )

    assert response.status_code == 200
    assert "Số điện thoại này đã được đăng ký." in response.content.decode()
    cast.resident.refresh_from_db()
    assert cast.resident.phone == "0912000001"
    assert cast.resident.birth_year == 1955
    assert not AuditEntry.objects.filter(target_id=str(cast.resident.pk)).exists()


def test_a_volunteer_cannot_move_a_resident_out_of_their_hamlet(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/",
        edit_data(cast.resident, hamlet=str(cast.other_hamlet.pk)),
    )

    assert response.status_code == 200
    cast.resident.refresh_from_db()
    assert cast.resident.hamlet == cast.hamlet


def test_staff_record_a_consent_as_assisted(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/dong-y/", {"purpose": "contest", "granted": "1"}
    )

    assert response.status_code == 302
    consent = cast.resident.consents.filter(purpose="contest").first()
    assert consent.granted is True
    assert consent.method == "assisted"
    assert consent.recorded_by == cast.volunteer


# Cards and PINs -------------------------------------------------------------------


def test_printing_a_card_shows_an_inline_svg_qr_code(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(f"/can-bo/nguoi-dan/{cast.resident.pk}/the/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in content
    assert "&lt;svg" not in content  # not escaped
    assert "Nguyễn Thị Lành" in content
    assert "THẺ HỌC VỤ SỐ · XÃ BẠCH NGỌC" in content
    cast.resident.refresh_from_db()
    assert cast.resident.card_token_hash
    entry = AuditEntry.objects.get(target_id=str(cast.resident.pk))
    assert entry.after == {"card": "in thẻ mới"}


def test_printing_a_new_card_cancels_the_previous_card(client, cast):
    old = resident_issue_card(actor=None, resident=cast.resident)
    client.force_login(cast.volunteer)

    client.post(f"/can-bo/nguoi-dan/{cast.resident.pk}/the/")

    assert Client().get(f"/the/{old}/").status_code == 404


def test_printing_a_card_needs_a_post(client, cast):
    client.force_login(cast.volunteer)

    assert client.get(f"/can-bo/nguoi-dan/{cast.resident.pk}/the/").status_code == 405


def test_a_volunteer_resets_a_pin_and_the_resident_logs_in_with_it(client, cast):
    client.force_login(cast.volunteer)

    response = client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/ma-pin/", {"pin": "3691", "pin_again": "3691"}
    )

    assert response.status_code == 302
    resident = Client()
    old = resident.post("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": "2468"})
    assert old.status_code == 200
    new = resident.post("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": "3691"})
    assert new.status_code == 302
    assert resident.session["_auth_user_id"] == str(cast.resident.user.pk)
    entry = AuditEntry.objects.get(target_id=str(cast.resident.pk))
    assert entry.actor == cast.volunteer
    assert "3691" not in str(entry.after)


@pytest.mark.parametrize(
    ("pin", "again", "message"),
    [
        ("1111", "1111", "quá dễ đoán"),
        ("3691", "3692", "Hai lần nhập mã PIN không giống nhau."),
        ("36a1", "36a1", "Mã PIN gồm 4 đến 6 chữ số."),
    ],
)
def test_a_bad_pin_reset_is_refused(client, cast, pin, again, message):
    client.force_login(cast.volunteer)
    before = cast.resident.pin_hash

    response = client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/ma-pin/", {"pin": pin, "pin_again": again}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    cast.resident.refresh_from_db()
    assert cast.resident.pin_hash == before


# Forged ids ---------------------------------------------------------------------------

PAGES = [
    ("get", "/can-bo/nguoi-dan/{id}/"),
    ("get", "/can-bo/nguoi-dan/{id}/sua/"),
    ("post", "/can-bo/nguoi-dan/{id}/sua/"),
    ("get", "/can-bo/nguoi-dan/{id}/ma-pin/"),
    ("post", "/can-bo/nguoi-dan/{id}/ma-pin/"),
    ("post", "/can-bo/nguoi-dan/{id}/the/"),
    ("post", "/can-bo/nguoi-dan/{id}/dong-y/"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("volunteer", "neighbour"),  # same commune, other hamlet
        ("volunteer", "resident2"),  # other commune
        ("coordinator", "resident2"),
        ("admin", "resident2"),
        ("volunteer2", "resident"),
    ],
)
def test_a_forged_resident_id_outside_the_users_scope_is_not_found(
    client, cast, method, url, role, target
):
    victim: Resident = getattr(cast, target)
    snapshot = Resident.objects.filter(pk=victim.pk).values().get()
    client.force_login(getattr(cast, role))
    data = (
        {
            **edit_data(victim, birth_year="1999"),
            "pin": "3691",
            "pin_again": "3691",
            "purpose": "contest",
            "granted": "1",
        }
        if method == "post"
        else {}
    )

    response = getattr(client, method)(url.format(id=victim.pk), data)

    assert response.status_code == 404
    assert Resident.objects.filter(pk=victim.pk).values().get() == snapshot
    assert not AuditEntry.objects.filter(target_id=str(victim.pk)).exists()
    assert victim.consents.filter(purpose="contest").count() == 0


def test_a_resident_id_that_does_not_exist_is_not_found(client, cast):
    client.force_login(cast.coordinator)

    assert client.get("/can-bo/nguoi-dan/999999/").status_code == 404
