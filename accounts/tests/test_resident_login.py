"""Residents log in with phone + PIN, or by scanning the QR code on a printed card."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from accounts.services import resident_erase, resident_issue_card
from conftest import PIN

PHONE_LOGIN_URL = "/dang-nhap/dien-thoai/"
WRONG = "Số điện thoại hoặc mã PIN không đúng."


def post_phone(client, phone, pin, **extra):
    return client.post(PHONE_LOGIN_URL, {"phone": phone, "pin": pin, **extra})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_phone_login_page_asks_for_phone_and_pin(client, db):
    response = client.get(PHONE_LOGIN_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Số điện thoại" in content
    assert "Mã PIN" in content
    assert 'inputmode="tel"' in content


@pytest.mark.parametrize(
    "typed", ["0912000001", "0912 000 001", "+84912000001", "+84 912.000.001", "84912000001"]
)
def test_a_resident_logs_in_with_their_phone_in_any_common_format(client, cast, typed):
    response = post_phone(client, typed, PIN)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.resident.user.pk)
    home = client.get(response.url)
    assert home.url == "/toi/"
    page = client.get("/toi/")
    assert page.status_code == 200
    assert "Nguyễn Thị Lành" in page.content.decode()


def test_a_wrong_pin_shows_a_vietnamese_error_and_does_not_log_in(client, cast):
    response = post_phone(client, "0912000001", "9753")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_an_unregistered_phone_gets_the_same_error_as_a_wrong_pin(client, cast):
    response = post_phone(client, "0987654321", PIN)

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize("typed", ["12345", "0112000001", "091200000", "09120000012", "abc"])
def test_an_invalid_phone_gets_a_field_error(client, cast, typed):
    response = post_phone(client, typed, PIN)

    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert "has-error" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_pin_with_letters_gets_a_field_error(client, cast):
    response = post_phone(client, "0912000001", "24a8")

    assert response.status_code == 200
    assert "Mã PIN gồm 4 đến 6 chữ số." in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_resident_of_another_commune_logs_in_too(client, cast):
    response = post_phone(client, "0912000003", PIN)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.resident2.user.pk)


def test_a_resident_without_a_pin_cannot_log_in_with_an_empty_looking_pin(client, cast):
    cast.resident.pin_hash = ""
    cast.resident.save()

    response = post_phone(client, "0912000001", "0000")

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_five_wrong_pins_lock_that_phone_even_against_the_right_pin(client, cast):
    statuses = [post_phone(client, "0912000001", "9753").status_code for _ in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    response = post_phone(client, "0912000001", PIN)
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_failures_are_counted_per_phone_number(client, cast):
    post_phone(client, "0912 000 001", "9753")
    post_phone(client, "+84912000001", "9753")

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "phone:0912000001"
    assert attempt.failures_since_start == 2


def test_the_lockout_counts_a_phone_however_it_is_typed(client, cast):
    for typed in ["0912000001", "0912 000 001", "+84912000001", "+84 912 000 001", "0912.000.001"]:
        post_phone(client, typed, "9753")

    response = post_phone(Client(), "0912000001", PIN)

    assert response.status_code == 429


def test_locking_one_phone_does_not_lock_another_resident(client, cast):
    for _ in range(5):
        post_phone(client, "0912000001", "9753")

    response = post_phone(client, "0912000002", PIN)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.neighbour.user.pk)


def test_a_locked_phone_does_not_lock_staff_logins(client, cast):
    for _ in range(5):
        post_phone(client, "0912000001", "9753")

    response = client.post(
        "/dang-nhap/", {"username": cast.volunteer.username, "password": "mat-khau-thu-nghiem"}
    )

    assert response.status_code == 302


# Card login ------------------------------------------------------------------


def test_issuing_a_card_returns_a_url_safe_token(cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)

    assert len(token) >= 20
    assert "/" not in token
    cast.resident.refresh_from_db()
    assert token not in cast.resident.card_token_hash  # only the hash is stored


def test_opening_a_card_link_shows_the_residents_name_and_a_confirm_button(client, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)

    response = client.get(f"/the/{token}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nguyễn Thị Lành" in content
    assert "Xóm Ngọc Lâm" in content
    assert '<form method="post">' in content
    assert "Đúng, vào học" in content


def test_only_opening_a_card_link_does_not_log_in(client, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)

    client.get(f"/the/{token}/")

    assert logged_in_user_id(client) is None
    assert client.get("/toi/").status_code == 302


def test_confirming_a_card_logs_the_resident_in_and_goes_to_their_page(client, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)

    response = client.post(f"/the/{token}/")

    assert response.status_code == 302
    assert response.url == "/toi/"
    assert logged_in_user_id(client) == str(cast.resident.user.pk)
    page = client.get("/toi/")
    assert page.status_code == 200
    assert "Nguyễn Thị Lành" in page.content.decode()


def test_a_reissued_card_makes_the_old_card_stop_working(client, cast):
    old = resident_issue_card(actor=cast.volunteer, resident=cast.resident)
    new = resident_issue_card(actor=cast.volunteer, resident=cast.resident)

    for method in (client.get, client.post):
        response = method(f"/the/{old}/")
        assert response.status_code == 404
        assert "Thẻ này không dùng được nữa" in response.content.decode()
    assert logged_in_user_id(client) is None
    assert client.get(f"/the/{new}/").status_code == 200


def test_an_unknown_card_token_shows_the_unusable_card_page(client, cast):
    response = client.get("/the/khong-phai-the-that/")

    assert response.status_code == 404
    assert "Thẻ này không dùng được nữa" in response.content.decode()


def test_an_erased_residents_card_no_longer_works(client, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)
    resident_erase(actor=None, resident=cast.resident)

    response = client.post(f"/the/{token}/")

    assert response.status_code == 404
    assert "Thẻ này không dùng được nữa" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_deactivated_residents_card_does_not_work(client, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)
    cast.resident.user.is_active = False
    cast.resident.user.save()

    response = client.post(f"/the/{token}/")

    assert response.status_code == 404
    assert logged_in_user_id(client) is None


def test_an_erased_resident_cannot_log_in_with_phone_and_pin(client, cast):
    resident_erase(actor=None, resident=cast.resident)

    response = post_phone(client, "0912000001", PIN)

    assert response.status_code == 200
    assert logged_in_user_id(client) is None
