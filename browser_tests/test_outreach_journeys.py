"""Outreach journeys in Chromium: a team leader assigns a not-yet-reached elderly resident, the
volunteer logs a visit, and the coordinator sees the coverage page change; a resident and a
volunteer fill in the skill checklist; a visit logged without signal is sent once."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.services import staff_user_create
from browser_tests.conftest import PHONE_VIEWPORT
from browser_tests.test_journeys import phone_login, staff_login
from conftest import PASSWORD, PIN
from outreach.models import Assignment, SkillTick, Team, TeamMember, Visit

pytestmark = pytest.mark.browser


def reached_stat(page: Page):
    return page.locator("ul.stats li").nth(1)


def item(page: Page, text: str):
    """A row of the page's main list (not the flash message naming the same person)."""
    return page.locator("ul.consents > li").filter(has_text=text)


def switch_user(page: Page, username: str) -> None:
    page.context.clear_cookies()
    staff_login(page, username)
    expect(page).to_have_url(re.compile(r"/can-bo/$"))


def test_a_leader_assigns_an_elderly_resident_and_the_visit_shows_in_coverage(
    page, cast, screenshot
):
    team = Team.objects.create(commune=cast.commune, hamlet=cast.hamlet, name="Tổ CNSCĐ Ngọc Lâm")
    TeamMember.objects.create(
        commune=cast.commune,
        team=team,
        full_name=cast.volunteer.full_name,
        user=cast.volunteer,
        position=TeamMember.Position.LEADER,
        body=TeamMember.Body.YOUTH,
    )
    helper = staff_user_create(
        username="tinhnguyen-b",
        password=PASSWORD,
        full_name="Hồ Văn Giúp",
        role=Role.VOLUNTEER,
        commune=cast.commune,
        hamlet=cast.hamlet,
    )

    # The coordinator sees nobody reached yet.
    staff_login(page, "dieuphoi")
    page.goto("/can-bo/bao-phu/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bao phủ kỹ năng số")
    expect(reached_stat(page)).to_have_text("0 đã tiếp cận (0 %)")

    # The tổ trưởng finds Bà Lành (born 1955) on the not-yet-reached list and assigns her.
    switch_user(page, "tinhnguyen")
    page.goto("/can-bo/chua-tiep-can/")
    row = item(page, "Nguyễn Thị Lành")
    expect(row).to_contain_text("cao tuổi")
    row.get_by_label("Giao cho").select_option(label="Hồ Văn Giúp")
    row.get_by_role("button", name="Giao").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Đã giao Hồ Văn Giúp đến thăm Nguyễn Thị Lành"
    )
    expect(item(page, "Nguyễn Thị Lành")).to_contain_text("Đã giao cho Hồ Văn Giúp")

    # The volunteer sees the job and logs the visit.
    switch_user(page, "tinhnguyen-b")
    page.goto("/can-bo/viec-cua-toi/")
    job = item(page, "Nguyễn Thị Lành")
    job.get_by_role("link", name="Ghi lần đến thăm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đến thăm Nguyễn Thị Lành")
    page.get_by_label("Đã làm được gì").fill("Cài Zalo, gọi video cho con ở Hà Nội")
    page.get_by_label("Việc lần sau").fill("Hướng dẫn quét mã QR")
    page.get_by_role("button", name="Lưu lần đến thăm").click()
    expect(page).to_have_url(re.compile(r"/can-bo/viec-cua-toi/$"))
    expect(page.get_by_role("status")).to_contain_text("Đã ghi lần đến thăm Nguyễn Thị Lành")
    expect(page.get_by_text("Chưa có việc nào được giao.")).to_be_visible()
    visit = Visit.objects.get(resident=cast.resident)
    assert (visit.volunteer, visit.next_step) == (helper, "Hướng dẫn quét mã QR")
    assert Assignment.objects.get(resident=cast.resident).done_at is not None

    # The coordinator's coverage page now counts her as reached.
    switch_user(page, "dieuphoi")
    page.goto("/can-bo/bao-phu/")
    expect(reached_stat(page)).to_have_text("1 đã tiếp cận (50 %)")
    ngoc_lam = page.get_by_role("row").filter(has_text="Xóm Ngọc Lâm")
    expect(ngoc_lam.locator("td").first).to_have_text(re.compile(r"^100\s%\s*1\sngười$"))
    screenshot("outreach-coverage")
    page.goto("/can-bo/chua-tiep-can/")
    expect(page.get_by_text("Nguyễn Thị Lành")).to_have_count(0)


def test_a_resident_self_declares_and_a_volunteer_verifies(page, cast, screenshot):
    phone_login(page, "0912000001", PIN)
    page.goto("/toi/ky-nang/")
    page.get_by_role("button", name="Tôi làm được: Dùng được Zalo").click()
    expect(page.get_by_role("status")).to_contain_text("Dùng được Zalo — làm được")
    zalo = item(page, "Dùng được Zalo")
    expect(zalo).to_contain_text("Người dân tự khai")
    screenshot("outreach-checklist-self")

    switch_user(page, "tinhnguyen")
    page.goto(f"/can-bo/nguoi-dan/{cast.resident.pk}/ky-nang/")
    page.get_by_role("button", name="Xác nhận làm được: Dùng được Zalo").click()
    expect(item(page, "Dùng được Zalo")).to_contain_text("Tinhnguyen xác nhận")
    sources = SkillTick.objects.filter(resident=cast.resident).order_by("id")
    assert list(sources.values_list("skill", "source")) == [("zalo", "self"), ("zalo", "verified")]
    expect(page.get_by_role("button", name="Xác nhận làm được: Dùng được Zalo")).to_have_count(0)
    screenshot("outreach-checklist-staff")


def test_a_visit_logged_without_signal_waits_on_the_phone_and_is_sent_once(
    browser, live_server, cast
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE_VIEWPORT, service_workers="block"
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        staff_login(page, "tinhnguyen")
        page.goto(f"/can-bo/tham-nha/{cast.resident.pk}/")
        page.route("**/tham-nha/**", lambda route: route.abort("internetdisconnected"))
        page.get_by_label("Đã làm được gì").fill("Hướng dẫn cài VNeID")
        page.get_by_role("button", name="Lưu lần đến thăm").click()
        expect(page.locator("form[data-outbox] .msg")).to_contain_text("đang chờ gửi")
        expect(page.locator("#hvs-outbox")).to_contain_text("Còn 1")
        assert not Visit.objects.exists()

        page.unroute("**/tham-nha/**")
        page.evaluate("dispatchEvent(new Event('online'))")
        expect(page.locator("#hvs-outbox")).to_have_count(0)
        expect(page.get_by_role("status")).to_contain_text("Đã ghi lần đến thăm Nguyễn Thị Lành")
        assert Visit.objects.get().done == "Hướng dẫn cài VNeID"

        # The phone never heard the answer and sends the same record again: still one visit.
        record = Visit.objects.get()
        redirected = page.evaluate(
            """([url, key, day]) => fetch(url, {method: "POST", credentials: "same-origin",
                body: new URLSearchParams({client_key: key, done: "x", visited_on: day,
                  csrfmiddlewaretoken: document.cookie.match(/csrftoken=([^;]+)/)[1]})})
                .then(r => r.redirected)""",
            [
                f"/can-bo/tham-nha/{cast.resident.pk}/",
                str(record.client_key),
                record.visited_on.isoformat(),
            ],
        )
        assert redirected  # accepted as a valid form, answered with the first result
        assert Visit.objects.count() == 1
    finally:
        context.close()
