"""A resident takes a quiz round on a 3G phone: a reload in the middle keeps the clock and
the answers, the submit grades on the server, and no answer key reaches the browser first."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Purpose
from accounts.services import consent_set
from browser_tests.test_journeys import phone_login
from conftest import PIN
from contests.models import Attempt, Question
from contests.services import contest_create, question_create, round_create

pytestmark = pytest.mark.browser

QUESTIONS = 5
# "Regular 3G" as Chrome DevTools defines it: 750 kb/s down, 250 kb/s up, and a slow
# round trip. Every page of the journey goes through it.
THREE_G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 750 * 1024 // 8,
    "uploadThroughput": 250 * 1024 // 8,
}
TIMER = re.compile(r"Thời gian còn lại: (\d+):(\d\d) \(hạn nộp (\d\d:\d\d)\)")
OPTION = re.compile(r'<label class="check">(<input [^>]*>) ([^<]*)</label>')


def make_round(cast):
    consent_set(
        resident=cast.resident,
        purpose=Purpose.CONTEST,
        granted=True,
        actor=None,
        method="self",
    )
    contest = contest_create(
        actor=cast.coordinator,
        title="Tìm hiểu an toàn trên mạng",
        rules="Mỗi người một lượt.",
        audience="residents",
    )
    for i in range(8):
        question_create(
            actor=cast.coordinator,
            contest=contest,
            text=f"Câu hỏi {i + 1}: khi nhận tin nhắn lạ đòi mã OTP, bà con nên làm gì?",
            options=[f"Cách {letter} cho câu {i + 1}" for letter in "ABCD"],
            answer=(3 * i + 1) % 4,  # keys spread over every position
        )
    now = timezone.now()
    return round_create(
        actor=cast.coordinator,
        contest=contest,
        number=1,
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=1),
        minutes=15,
        questions_per_attempt=QUESTIONS,
    )


def timer(page) -> tuple[int, str]:
    """Seconds left as the live countdown shows them, and the deadline printed beside it."""
    minutes, seconds, deadline = TIMER.search(page.locator(".timer").inner_text()).groups()
    return int(minutes) * 60 + int(seconds), deadline


def assert_no_key_in(html: str, url: str) -> None:
    """Nothing in the markup tells the right option from the others."""
    assert "answer" not in html.lower(), url
    assert "đáp án" not in html.lower(), url
    options = OPTION.findall(html)
    if "/cau/" in url:
        assert len(options) == 4, url
        inputs = {re.sub(r' value="\d"| checked', "", tag) for tag, _ in options}
        assert inputs == {'<input type="radio" name="choice" required>'}, (url, inputs)
        values = sorted(int(re.search(r'value="(\d)"', tag).group(1)) for tag, _ in options)
        assert values == [0, 1, 2, 3], url
        hidden = set(re.findall(r'<input type="hidden" name="(\w+)"', html))
        assert hidden <= {"csrfmiddlewaretoken", "question"}, (url, hidden)


def test_a_resident_takes_a_round_on_3g_reloads_midway_and_gets_the_right_score(page, cast):
    round_ = make_round(cast)
    phone_login(page, "0912000001", PIN)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THREE_G)

    served: list[tuple[str, str]] = []  # (url, html) of every page shown before the submit

    def keep(response):
        kind = response.headers.get("content-type", "")
        if response.status < 300 and kind.startswith("text/html"):
            served.append((response.url, response.text()))

    page.on("response", keep)

    page.goto("/cuoc-thi/")
    page.get_by_role("button", name="Vào thi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu 1/{QUESTIONS}")
    attempt = Attempt.objects.get(round=round_, resident=cast.resident)

    right_on = {1, 2, 4}  # the resident knows these; the others they get wrong
    picked: dict[int, str] = {}

    def answer(number: int) -> None:
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu {number}/{QUESTIONS}")
        qid = int(page.locator('input[name="question"]').get_attribute("value"))
        question = Question.objects.get(pk=qid)
        key = question.answer if number in right_on else (question.answer + 2) % 4
        picked[qid] = question.options[key]
        page.get_by_label(picked[qid], exact=True).check()
        page.get_by_role("button", name="Lưu và sang câu tiếp").click()

    answer(1)
    answer(2)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu 3/{QUESTIONS}")
    before, deadline = timer(page)
    reloaded_at = time.monotonic()

    # The signal drops and the resident pulls to refresh: same clock, same answers.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu 3/{QUESTIONS}")
    after, deadline_after = timer(page)
    assert deadline_after == deadline
    assert 0 < after <= before
    assert before - after <= time.monotonic() - reloaded_at + 2
    nav = page.get_by_role("navigation", name="Các câu")
    expect(nav).to_contain_text("1✓")
    expect(nav).to_contain_text("2✓")
    nav.get_by_role("link", name="1✓").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Câu 1/{QUESTIONS}")
    first_qid = attempt.question_ids[0]
    expect(page.get_by_label(picked[first_qid], exact=True)).to_be_checked()
    page.get_by_role("navigation", name="Các câu").get_by_role("link", name="3", exact=True).click()

    for number in range(3, QUESTIONS + 1):
        answer(number)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp bài")
    assert timer(page)[1] == deadline
    page.get_by_label("Bao nhiêu người sẽ trả lời đúng tất cả các câu?").fill("12")

    shown_before_submit = list(served)
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả bài thi")

    keys = dict(Question.objects.filter(pk__in=picked).values_list("id", "answer"))
    options = dict(Question.objects.filter(pk__in=picked).values_list("id", "options"))
    expected = sum(1 for qid, text in picked.items() if options[qid][keys[qid]] == text)
    assert expected == len(right_on)
    expect(page.locator("main")).to_contain_text(f"Bạn trả lời đúng {expected}/{QUESTIONS} câu")
    attempt.refresh_from_db()
    assert attempt.is_submitted
    assert attempt.score == expected
    assert attempt.prediction == 12
    assert len(attempt.answers) == QUESTIONS

    # Every page the phone received before the submit: the question screens, the reload,
    # the submit page; none of them carries a key.
    question_pages = [url for url, _ in shown_before_submit if "/cau/" in url]
    assert len(question_pages) >= QUESTIONS + 2  # + the reload and the visit back to question 1
    assert any("/nop-bai/" in url for url, _ in shown_before_submit)
    for url, html in shown_before_submit:
        assert_no_key_in(html, url)
