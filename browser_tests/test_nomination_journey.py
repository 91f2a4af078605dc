"""A nomination through the real UI: an organisation officer proposes (with a contest result
as evidence), the coordinator forwards, the leader decides, and the giấy khen PDF downloads."""

import datetime as dt
import io
import re
import unicodedata

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from conftest import PASSWORD
from contests.models import Attempt, Contest, Round
from recognition.models import Nomination

pytestmark = pytest.mark.browser


def staff_login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))


def open_nomination(page: Page, name: str) -> None:
    page.goto("/can-bo/khen-thuong/")
    page.get_by_role("link", name=re.compile(name)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def contest_result(resident) -> Attempt:
    now = timezone.now()
    contest = Contest.objects.create(commune=resident.commune, title="Tìm hiểu chuyển đổi số")
    round_ = Round.objects.create(
        commune=resident.commune,
        contest=contest,
        number=1,
        opens_at=now - dt.timedelta(days=2),
        closes_at=now + dt.timedelta(days=2),
    )
    return Attempt.objects.create(
        commune=resident.commune,
        round=round_,
        resident=resident,
        started_at=now - dt.timedelta(minutes=12),
        deadline=now + dt.timedelta(minutes=3),
        question_ids=list(range(1, 11)),
        option_orders=[[0, 1, 2, 3]] * 10,
        submitted_at=now,
        score=9,
    )


def test_a_nomination_goes_from_proposal_to_a_downloaded_giay_khen(page, cast, screenshot):
    name = cast.resident.full_name  # Nguyễn Thị Lành
    contest_result(cast.resident)

    # The Hội Nông dân officer proposes her, with her contest result as evidence.
    staff_login(page, "hoinongdan")
    page.goto("/can-bo/khen-thuong/de-nghi/")
    page.get_by_label("Chọn người để xem minh chứng của họ").select_option(
        label=f"{name} (Xóm Ngọc Lâm)"
    )
    page.get_by_role("button", name="Xem minh chứng").click()
    page.get_by_label("Loại khen thưởng").select_option(
        label="Người cao tuổi biết dùng điện thoại thông minh"
    )
    expect(page.get_by_label("Người được đề nghị")).to_have_value(str(cast.resident.pk))
    page.get_by_label(re.compile(r"Dự thi “Tìm hiểu chuyển đổi số” đợt 1: đúng 9/10 câu")).check()
    page.get_by_label("Thành tích, lý do đề nghị").fill(
        "Bà tự học dùng điện thoại, tự cài VNeID và chỉ lại cho hàng xóm."
    )
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_text("Đã gửi đề nghị khen thưởng.")).to_be_visible()
    expect(page.get_by_text("đúng 9/10 câu")).to_be_visible()
    nomination = Nomination.objects.get()
    assert nomination.organisation == cast.organisation
    assert nomination.evidence[0]["kind"] == "contest"

    # The coordinator forwards it to the leader.
    staff_login(page, "dieuphoi")
    open_nomination(page, name)
    page.get_by_role("link", name="Xem xét").click()
    page.get_by_label("Trình lãnh đạo quyết định").check()
    page.get_by_label("Nhận xét").fill("Đủ điều kiện, đề nghị khen.")
    page.get_by_role("button", name="Ghi").click()
    expect(page.get_by_text("Đã ghi: đã trình lãnh đạo.")).to_be_visible()

    # The leader decides with a decision number and date.
    staff_login(page, "lanhdao")
    open_nomination(page, name)
    page.get_by_role("link", name="Quyết định").click()
    page.get_by_label("Khen thưởng", exact=True).check()
    page.get_by_label("Số quyết định").fill("12/QĐ-UBND")
    today = timezone.localdate()
    page.get_by_label("Ngày quyết định").fill(f"{today:%d/%m/%Y}")
    page.get_by_role("button", name="Ghi").click()
    expect(page.get_by_text(f"Số 12/QĐ-UBND ngày {today:%d/%m/%Y}", exact=True)).to_be_visible()
    screenshot("nomination-decided")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DECIDED

    # The giấy khen downloads (with the leader's session) and names her with diacritics.
    link = page.get_by_role("link", name="In giấy khen (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages))
    assert name in text
    assert "GIẤY KHEN" in text and "12/QĐ-UBND" in text
