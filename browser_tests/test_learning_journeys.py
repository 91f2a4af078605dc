"""Learning journeys in Chromium: a resident earns a certificate and its QR page opens;
a volunteer records a lesson done together with an elderly resident."""

import pytest
from playwright.sync_api import expect

from browser_tests.test_journeys import phone_login, staff_login
from conftest import PIN
from learning.models import Attempt, Certificate
from learning.services import lessons_load

pytestmark = pytest.mark.browser


def answer_correctly(page, lesson) -> None:
    for question in lesson.questions.all():
        page.locator(f'input[name="q{question.pk}"][value="{question.answer}"]').check()
    page.get_by_role("button", name="Nộp bài").click()


def test_a_resident_earns_a_certificate_and_its_qr_page_opens(page, cast, screenshot):
    lessons_load(commune=cast.commune)
    topic = list(cast.commune.lessons.filter(topic="chuyen-doi-so").order_by("order"))
    assert len(topic) >= 2
    phone_login(page, "0912000001", PIN)
    page.goto("/hoc/?q=chuyen doi so")
    for lesson in topic:
        page.goto(f"/hoc/{lesson.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
        answer_correctly(page, lesson)
        expect(page.get_by_role("heading", level=1)).to_contain_text("đã học xong")
    expect(page.get_by_text("Bác vừa hoàn thành cả chủ đề")).to_be_visible()
    page.get_by_role("link", name="Xem và tải giấy chứng nhận").click()
    certificate = Certificate.objects.get(resident=cast.resident, topic="chuyen-doi-so")
    expect(page.get_by_text(f"Mã {certificate.code}")).to_be_visible()
    with page.expect_response(f"**/toi/chung-nhan/{certificate.code}.pdf") as pdf:
        page.evaluate(f"fetch('/toi/chung-nhan/{certificate.code}.pdf')")
    assert pdf.value.headers["content-type"] == "application/pdf"
    assert pdf.value.body()[:4] == b"%PDF"
    screenshot("resident-certificates")
    page.goto(f"/chung-nhan/{certificate.code}/")  # what the QR code on the paper opens
    expect(page.get_by_text("Chứng nhận hợp lệ.")).to_be_visible()
    expect(page.get_by_text("Chuyển đổi số là gì")).to_be_visible()
    screenshot("certificate-verification")


def test_a_volunteer_records_an_assisted_completion(page, cast):
    lessons_load(commune=cast.commune)
    lesson = cast.commune.lessons.get(slug="quet-ma-qr")
    staff_login(page, "tinhnguyen")
    page.goto(f"/can-bo/nguoi-dan/{cast.resident.pk}/")
    page.get_by_role("link", name="Ghi nhận học có hỗ trợ").click()
    page.get_by_label("Bài đã cùng học").select_option(str(lesson.pk))
    page.get_by_label("Tôi đã cùng người dân làm hết các bước").check()
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.get_by_text("(có hỗ trợ)")).to_be_visible()
    attempt = Attempt.objects.get(resident=cast.resident, lesson=lesson)
    assert attempt.passed and attempt.assisted_by == cast.volunteer
