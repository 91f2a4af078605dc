"""Officials log in with a username and password; repeated failures lock the account."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD

LOGIN_URL = "/dang-nhap/"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def post_login(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_the_login_page_is_in_vietnamese(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tên đăng nhập" in content
    assert "Mật khẩu" in content


@pytest.mark.parametrize("role", ["admin", "leader", "coordinator", "officer", "volunteer"])
def test_a_commune_official_logs_in_and_lands_on_the_staff_home(client, cast, role):
    user = getattr(cast, role)

    response = post_login(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert response.url == "/trang-cua-toi/"
    assert logged_in_user_id(client) == str(user.pk)
    home = client.get(response.url)
    assert home.status_code == 302
    assert home.url == "/can-bo/"
    page = client.get(home.url)
    assert page.status_code == 200
    assert user.full_name in page.content.decode()


def test_a_province_officer_logs_in_and_lands_on_the_province_page(client, cast):
    response = post_login(client, cast.province.username, PASSWORD)

    assert response.status_code == 302
    home = client.get(response.url)
    assert home.url == "/tinh/"
    page = client.get(home.url)
    assert page.status_code == 200
    assert "Xã Bạch Ngọc" in page.content.decode()


def test_a_safe_next_address_is_followed_after_login(client, cast):
    response = post_login(client, cast.coordinator.username, PASSWORD, next="/can-bo/nguoi-dan/")

    assert response.status_code == 302
    assert response.url == "/can-bo/nguoi-dan/"


def test_a_next_address_on_another_site_is_ignored(client, cast):
    response = post_login(
        client, cast.coordinator.username, PASSWORD, next="https://lua-dao.example/"
    )

    assert response.status_code == 302
    assert response.url == "/trang-cua-toi/"


def test_a_wrong_password_shows_a_vietnamese_error_and_does_not_log_in(client, cast):
    response = post_login(client, cast.coordinator.username, "sai-mat-khau")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_an_unknown_username_gets_the_same_error_as_a_wrong_password(client, cast):
    response = post_login(client, "khongcoai", PASSWORD)

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_an_empty_form_explains_which_fields_are_missing(client, db):
    response = client.post(LOGIN_URL, {"username": "", "password": ""})

    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.content.decode()


def test_a_resident_cannot_log_in_through_the_staff_form_even_with_a_password(client, cast):
    user = cast.resident.user
    user.set_password(PASSWORD)
    user.save()

    response = post_login(client, user.username, PASSWORD)

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_resident_phone_and_pin_do_not_work_in_the_staff_form(client, cast):
    response = post_login(client, cast.resident.phone, "2468")

    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_deactivated_official_cannot_log_in(client, cast):
    cast.volunteer.is_active = False
    cast.volunteer.save()

    response = post_login(client, cast.volunteer.username, PASSWORD)

    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_the_failure_limit_is_five(db):
    assert settings.AXES_FAILURE_LIMIT == 5


def test_four_wrong_passwords_do_not_lock_the_account(client, cast):
    for _ in range(4):
        assert post_login(client, cast.coordinator.username, "sai").status_code == 200

    response = post_login(client, cast.coordinator.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.coordinator.pk)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(client, cast):
    statuses = [post_login(client, cast.coordinator.username, "sai").status_code for _ in range(5)]

    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    response = post_login(client, cast.coordinator.username, PASSWORD)
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_a_locked_account_stays_locked_for_a_fresh_browser(client, cast):
    for _ in range(5):
        post_login(client, cast.coordinator.username, "sai")

    response = post_login(Client(), cast.coordinator.username, PASSWORD)

    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


def test_failures_are_counted_per_username(client, cast):
    for _ in range(2):
        post_login(client, cast.coordinator.username, "sai")

    attempt = AccessAttempt.objects.get()
    assert attempt.username == cast.coordinator.username
    assert attempt.failures_since_start == 2


def test_the_lockout_page_states_the_configured_lockout_time(client, cast, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)

    for _ in range(5):
        response = post_login(client, cast.coordinator.username, "sai")

    content = response.content.decode()
    assert response.status_code == 429
    assert "30 phút" in content
    assert "15 phút" not in content


def test_after_the_cool_off_time_the_account_can_log_in_again(client, cast):
    for _ in range(5):
        post_login(client, cast.coordinator.username, "sai")
    assert post_login(client, cast.coordinator.username, PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = post_login(client, cast.coordinator.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.coordinator.pk)


def test_locking_one_account_does_not_affect_other_accounts(client, cast):
    for _ in range(5):
        post_login(client, cast.coordinator.username, "sai")

    response = post_login(client, cast.admin.username, PASSWORD)

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(cast.admin.pk)


def test_a_successful_login_resets_the_failure_count(client, cast):
    for _ in range(4):
        post_login(client, cast.coordinator.username, "sai")
    assert post_login(client, cast.coordinator.username, PASSWORD).status_code == 302
    client.post("/dang-xuat/")

    for _ in range(4):
        assert post_login(client, cast.coordinator.username, "sai").status_code == 200
    response = post_login(client, cast.coordinator.username, PASSWORD)

    assert response.status_code == 302


def test_logging_out_ends_the_session_and_needs_a_post(client, cast):
    client.force_login(cast.coordinator)

    assert client.get("/dang-xuat/").status_code == 405
    response = client.post("/dang-xuat/")

    assert response.status_code == 302
    assert response.url == "/"
    assert logged_in_user_id(client) is None
    assert client.get("/can-bo/").status_code == 302
