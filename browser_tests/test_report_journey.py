"""The monthly report in Chromium: an officer opens last month's report and sees an automatic
figure, types a figure (autosave says it is saved), a colleague of the same organisation saves
first and the officer's next autosave gets the Vietnamese conflict message instead of
overwriting; the officer reloads and sends, the coordinator accepts, and the commune's
consolidated .docx downloads with the figure in its table."""

import re
from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.services import staff_user_create
from browser_tests.conftest import PHONE_VIEWPORT
from browser_tests.test_journeys import staff_login
from conftest import PASSWORD
from outreach.models import Session
from reports.models import MonthlyReport
from reports.months import current_month, previous_month
from reports.services import report_form_create_default
from reports.tests.conftest import at, page_url

pytestmark = pytest.mark.browser


def box(page: Page, form, code: str):
    return page.locator(f"#i{form.indicators.get(code=code).pk}")


def autosaved(page: Page):
    return page.locator("#save-status")


def test_two_officers_one_report_conflict_then_submit_accept_and_docx(
    page, browser, live_server, cast, tmp_path, screenshot
):
    form = report_form_create_default(commune=cast.commune, signer_name="Nguyễn Kim Nam")
    month = previous_month(current_month())
    Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm Ngọc Lâm",
        starts_at=at(month + timedelta(days=3), 19),
        organiser=cast.organisation,
        extra_participants=17,
    )
    staff_user_create(
        username="hoinongdan2",
        password=PASSWORD,
        full_name="Trần Thị Hai",
        role=Role.OFFICER,
        commune=cast.commune,
        organisation=cast.organisation,
    )
    url = page_url(form, cast.organisation, month)

    # The officer opens last month's report from the list and sees the automatic figures.
    staff_login(page, "hoinongdan")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    page.goto("/can-bo/bao-cao/")
    page.get_by_role("link", name=f"Tháng {month:%m/%Y}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Hội Nông dân xã · tháng {month:%m/%Y}"
    )
    participants = page.locator(".field").filter(has_text="Lượt người dự các buổi hướng dẫn")
    expect(participants.locator(".figure")).to_have_text("17")
    expect(participants).to_contain_text("tự động")

    # A typed figure autosaves.
    box(page, form, "residents_guided").fill("30")
    box(page, form, "residents_guided").press("Tab")
    expect(autosaved(page)).to_contain_text(re.compile("đã lưu", re.IGNORECASE))
    screenshot("report-autosaved")

    # A colleague of the same organisation, on another phone, saves the report first.
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE_VIEWPORT, locale="vi-VN", is_mobile=True
    )
    context.set_default_timeout(5_000)
    other = context.new_page()
    staff_login(other, "hoinongdan2")
    expect(other).to_have_url(re.compile(r"/can-bo/$"))
    other.goto(url)
    expect(box(other, form, "residents_guided")).to_have_value("30")
    box(other, form, "public_service_dossiers").fill("7")
    other.get_by_role("button", name="Lưu nháp").click()
    expect(other.get_by_role("status").filter(has_text="Đã lưu bản nháp.")).to_be_visible()
    context.close()

    # The officer's next change is refused with the conflict message; nothing is overwritten.
    box(page, form, "payment_accounts_new").fill("9")
    box(page, form, "payment_accounts_new").press("Tab")
    expect(autosaved(page)).to_contain_text("Báo cáo vừa được Trần Thị Hai lưu lúc")
    expect(autosaved(page)).to_contain_text("CHƯA được lưu")
    expect(autosaved(page)).to_be_in_viewport()  # seen on a phone, not far up the page
    screenshot("report-conflict")
    report = MonthlyReport.objects.get(form=form, organisation=cast.organisation, month=month)
    typed = {v.indicator.code: v.number for v in report.values.select_related("indicator")}
    assert typed["public_service_dossiers"] == 7 and typed["residents_guided"] == 30
    assert typed.get("payment_accounts_new") is None

    # Reload: the colleague's figure is there; fill the rest and send.
    page.reload()
    expect(box(page, form, "public_service_dossiers")).to_have_value("7")
    box(page, form, "payment_accounts_new").fill("9")
    box(page, form, "vneid_level2_guided").fill("12")
    box(page, form, "online_dossier_share").fill("62,5")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("status").filter(has_text="Đã gửi báo cáo")).to_be_visible()
    expect(page.locator("p.muted").first).to_contain_text("Đã gửi")

    # The coordinator accepts it.
    page.context.clear_cookies()
    staff_login(page, "dieuphoi")
    expect(page).to_have_url(re.compile(r"/can-bo/$"))
    page.goto(url)
    page.get_by_role("button", name="Chấp nhận và khóa").click()
    expect(page.get_by_role("status").filter(has_text="Đã chấp nhận và khóa")).to_be_visible()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.ACCEPTED and report.locked

    # The consolidated .docx downloads with the typed figure in its indicator table.
    page.goto(f"/can-bo/bao-cao/tong-hop/{form.pk}/{month:%Y-%m}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải báo cáo của xã (.docx)").click()
    path = tmp_path / "bao-cao.docx"
    download.value.save_as(path)
    document = Document(str(path))
    rows = [
        [cell.text.strip() for cell in row.cells] for table in document.tables for row in table.rows
    ]
    guided = [r for r in rows if "Người dân được hướng dẫn trực tiếp trong tháng" in r[1:2] + r[:1]]
    assert guided, rows
    assert any("30" in cells for cells in guided), guided
    dossiers = [r for r in rows if any("Hồ sơ dịch vụ công trực tuyến" in c for c in r)]
    assert any("7" in cells for cells in dossiers), dossiers
