"""A detailed plan through the real UI on a phone: the Hội Nông dân officer starts the year's
plan, adds an activity with a target measured by the platform, a budget line and an expense;
the leader then finds the money spent on the dashboard and on the budget page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD

pytestmark = pytest.mark.browser


def staff_login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


def test_an_officer_plans_and_spends_and_the_leader_sees_it(page, cast, screenshot):
    year = timezone.localdate().year

    staff_login(page, "hoinongdan")
    page.goto(f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/")
    expect(page.get_by_text(f"Đơn vị chưa lập kế hoạch năm {year}.")).to_be_visible()
    page.get_by_role("button", name=f"Lập kế hoạch năm {year}").click()
    expect(page.get_by_text(f"Đã lập kế hoạch năm {year}.")).to_be_visible()

    page.get_by_role("link", name="Thêm hoạt động").click()
    page.get_by_label(re.compile(r"^Hoạt động:?$")).fill("Hướng dẫn hội viên bán nông sản qua mạng")
    page.get_by_label("Người, bộ phận phụ trách").fill("Ban Thường vụ Hội")
    page.get_by_label("Từ ngày").fill(f"01/01/{year}")
    page.get_by_label("Đến ngày").fill(f"31/12/{year}")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu hoạt động.")).to_be_visible()

    page.get_by_role("link", name="Thêm chỉ tiêu").click()
    page.get_by_label(re.compile(r"^Chỉ tiêu:?$")).fill("Số buổi hướng dẫn")
    page.get_by_label("Giá trị mục tiêu").fill("6")
    page.get_by_label("Đơn vị tính").fill("buổi")
    page.get_by_label("Theo dõi kết quả bằng").select_option(
        label="Số liệu nền tảng: Buổi hướng dẫn kỹ năng số đã tổ chức"
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã thêm chỉ tiêu.")).to_be_visible()
    target_row = page.locator("tr", has_text="Số buổi hướng dẫn")
    expect(target_row).to_contain_text("6 buổi")
    expect(target_row).to_contain_text("0 / 6 buổi (0 %)")

    page.get_by_role("link", name="Thêm dòng kinh phí").click()
    page.get_by_label("Ngân sách xã").check()
    page.get_by_label("Nội dung chi").fill("Tài liệu, nước uống cho 6 buổi")
    page.get_by_label("Dự toán (đồng)").fill("3.600.000")
    page.get_by_label("Cho hoạt động").select_option(
        label="Hướng dẫn hội viên bán nông sản qua mạng"
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu dòng kinh phí.")).to_be_visible()

    page.get_by_role("link", name="Ghi khoản đã chi").click()
    page.get_by_label("Dòng kinh phí").select_option(
        label="Ngân sách xã: Tài liệu, nước uống cho 6 buổi"
    )
    page.get_by_label("Số tiền đã chi (đồng)").fill("1250000")
    page.get_by_label("Ghi chú").fill("Chứng từ số 12")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi khoản chi.")).to_be_visible()
    line_row = page.locator("tr", has_text="Tài liệu, nước uống cho 6 buổi").first
    expect(line_row).to_contain_text("3.600.000 đ")
    expect(line_row).to_contain_text("1.250.000 đ")
    screenshot("planning-org-plan")

    staff_login(page, "lanhdao")
    page.goto("/can-bo/dieu-hanh/")
    source_row = page.locator("tr", has_text="Ngân sách xã")
    expect(source_row).to_contain_text("3.600.000 đ")
    expect(source_row).to_contain_text("1.250.000 đ")
    expect(page.locator("tr", has_text="Hội Nông dân xã").last).to_contain_text("1.250.000 đ")

    page.get_by_role("link", name="Xem từng dòng kinh phí").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kinh phí năm {year}")
    expect(page.locator("tr", has_text="Tài liệu, nước uống cho 6 buổi")).to_contain_text(
        "1.250.000 đ"
    )
    screenshot("planning-budget")
