"""Browser journeys through the real UI on a phone-sized screen, checked against the database."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Consent, Resident
from accounts.services import resident_issue_card
from conftest import PASSWORD, PIN

pytestmark = pytest.mark.browser


def staff_login(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def phone_login(page: Page, phone: str, pin: str) -> None:
    page.goto("/dang-nhap/dien-thoai/")
    page.get_by_label("Số điện thoại").fill(phone)
    page.get_by_label("Mã PIN").fill(pin)
    page.get_by_role("button", name="Đăng nhập").click()


def test_public_home(page, cast, screenshot):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bình dân học vụ số")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Bạch Ngọc")
    expect(page.get_by_role("link", name="Vào học ngay")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký để nhận chứng nhận")).to_be_visible()
    expect(page.get_by_text("Các xóm: Xóm Ngọc Lâm, Xóm Yên Mỹ.")).to_be_visible()
    screenshot("public-home")


STAFF_HOMES = [
    # role, username, full name, what the role line under the greeting says
    ("admin", "quantri", "Quantri", "Quản trị viên xã"),
    ("leader", "lanhdao", "Lanhdao", "Lãnh đạo UBND xã"),
    ("coordinator", "dieuphoi", "Dieuphoi", "Cán bộ điều phối (Phòng VHXH)"),
    ("officer", "hoinongdan", "Hoinongdan", "Cán bộ cơ quan, đoàn thể · Hội Nông dân xã"),
    (
        "volunteer",
        "tinhnguyen",
        "Tinhnguyen",
        "Thành viên Tổ công nghệ số cộng đồng · Xóm Ngọc Lâm",
    ),
]


@pytest.mark.parametrize(
    ("role", "username", "full_name", "role_line"), STAFF_HOMES, ids=[r[0] for r in STAFF_HOMES]
)
def test_staff_login_lands_on_own_home(
    page, cast, screenshot, role, username, full_name, role_line
):
    staff_login(page, username)
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Chào {full_name}")
    expect(page.locator("main p.muted").first).to_have_text(role_line)
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    screenshot(f"staff-home-{role}")


def test_province_officer_sees_communes_of_own_province(page, cast):
    staff_login(page, "sonoivu")
    expect(page).to_have_url(re.compile(r"/tinh/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Các xã, phường trong tỉnh")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Xã Bạch Ngọc")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Xã Bạch Hà")).to_be_visible()
    expect(table).not_to_contain_text("Phường Thành Sen")  # Hà Tĩnh, another province


def test_resident_logs_in_with_phone_and_pin(page, cast, screenshot):
    phone_login(page, "0912000001", PIN)
    expect(page).to_have_url(re.compile(r"/toi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chào Nguyễn Thị Lành")
    expect(page.get_by_text("Xóm Ngọc Lâm, Xã Bạch Ngọc")).to_be_visible()
    screenshot("resident-home")


def test_wrong_pin_shows_error_and_stays_on_login(page, cast):
    phone_login(page, "0912000001", "1357")
    expect(page.get_by_role("alert")).to_contain_text(
        "Số điện thoại hoặc mã PIN không đúng. Quên mã PIN?"
    )
    expect(page).to_have_url(re.compile(r"/dang-nhap/dien-thoai/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.get_by_label("Mã PIN")).to_have_value("")  # the PIN is never echoed back
    # Still anonymous: the wrong PIN did not log anyone in.
    page.goto("/toi/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/\?next=/toi/$"))


def test_qr_card_logs_resident_in(page, cast):
    token = resident_issue_card(actor=cast.volunteer, resident=cast.resident)
    page.goto(f"/the/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào Nguyễn Thị Lành")
    page.get_by_role("button", name="Đúng, vào học").click()
    expect(page).to_have_url(re.compile(r"/toi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Chào Nguyễn Thị Lành")


# The on-screen box of the <svg> and of everything drawn inside it.
QR_EXTENT_JS = """svg => {
    const box = svg.getBoundingClientRect();
    const parts = [...svg.querySelectorAll("path")].map(p => p.getBoundingClientRect());
    const code = {
        right: Math.max(...parts.map(r => r.right)),
        bottom: Math.max(...parts.map(r => r.bottom)),
    };
    return [{right: box.right, bottom: box.bottom, width: box.width}, code];
}"""


def test_volunteer_prints_qr_card(page, cast, screenshot):
    old_token = resident_issue_card(actor=None, resident=cast.resident)
    staff_login(page, "tinhnguyen")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    page.goto(f"/can-bo/nguoi-dan/{cast.resident.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Lành")
    page.get_by_role("button", name="In thẻ đăng nhập có mã QR").click()

    card = page.locator(".id-card")
    qr = card.locator(".qr svg")
    expect(qr).to_be_visible()
    screenshot("resident-card")
    # The whole code must fit the printed 40 mm box: a clipped QR code does not scan.
    box, code = qr.evaluate(QR_EXTENT_JS)
    assert code["right"] <= box["right"] + 1 and code["bottom"] <= box["bottom"] + 1, (
        f"QR code drawn {code} overflows its {box} box and is cut off on the card"
    )
    expect(card.locator(".card-name")).to_have_text("Nguyễn Thị Lành")
    expect(card).to_contain_text("THẺ HỌC VỤ SỐ · XÃ BẠCH NGỌC")

    # A new card was issued, so the previous one no longer opens the account.
    cast.resident.refresh_from_db()
    assert cast.resident.card_token_hash
    page.goto(f"/the/{old_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thẻ này không dùng được nữa")


def test_volunteer_registers_resident_on_their_behalf(page, cast, screenshot):
    staff_login(page, "tinhnguyen")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    page.get_by_role("link", name="Đăng ký giúp người dân").click()
    expect(page).to_have_url(re.compile(r"/can-bo/nguoi-dan/dang-ky/$"))

    page.get_by_label("Họ và tên:", exact=True).fill("Phạm Văn Tư")
    page.get_by_label("Năm sinh:", exact=True).fill("1950")
    page.get_by_label("Nam", exact=True).check()
    expect(page.get_by_label("Xóm:", exact=True)).to_have_value(
        str(cast.hamlet.pk)
    )  # the volunteer's own
    page.get_by_label("Số điện thoại (nếu có):", exact=True).fill("0912 000 009")
    page.get_by_label("Mã PIN (4–6 chữ số)").fill("1357")
    for purpose in ("Lưu quá trình học tập", "Tham gia các cuộc thi", "Hiện tên trên bảng"):
        expect(page.get_by_label(purpose)).not_to_be_checked()  # never pre-ticked
    page.get_by_label("Tham gia các cuộc thi trực tuyến").check()
    page.get_by_label("Tôi đã đọc và giải thích từng mục đích").check()
    screenshot("resident-register-form")
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page).to_have_url(re.compile(r"/can-bo/nguoi-dan/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Phạm Văn Tư")
    expect(page.get_by_role("status")).to_contain_text("Đã đăng ký cho Phạm Văn Tư.")

    resident = Resident.objects.get(full_name="Phạm Văn Tư")
    assert page.url.endswith(f"/can-bo/nguoi-dan/{resident.pk}/")
    assert resident.registered_by == cast.volunteer
    assert resident.hamlet == cast.hamlet
    assert (resident.birth_year, resident.sex, resident.phone) == (1950, "nam", "0912000009")
    consents = list(
        Consent.objects.filter(resident=resident).values_list(
            "purpose", "granted", "method", "recorded_by"
        )
    )
    assert consents == [("contest", True, Consent.Method.ASSISTED, cast.volunteer.pk)]
