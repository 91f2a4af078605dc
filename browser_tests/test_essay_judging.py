"""A judge scores an essay in Chromium on a phone-sized screen; the combined score shows.
Also screenshots of the entry form and the published results page for a human to look at."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Purpose
from browser_tests.test_journeys import phone_login, staff_login
from conftest import PIN
from essays.models import EssayContest, Score
from essays.services import (
    CriterionRow,
    contest_announce,
    contest_create,
    entry_moderate,
    judge_add,
    results_publish,
    rubric_set,
    scores_save,
)
from essays.tests.conftest import agree, submit

pytestmark = pytest.mark.browser


def make_contest(cast) -> EssayContest:
    now = timezone.now()
    contest = contest_create(
        actor=cast.coordinator,
        title="Chia sẻ kinh nghiệm dùng điện thoại thông minh",
        kind=EssayContest.Kind.SHARING,
        audience=EssayContest.Audience.RESIDENTS,
        rules="Kể một việc bác đã làm được nhờ điện thoại. Mỗi người một bài.",
        opens_at=now - timezone.timedelta(days=2),
        closes_at=now + timezone.timedelta(days=10),
        max_words=300,
        voting_enabled=True,
        voting_opens_at=now - timezone.timedelta(days=1),
        voting_closes_at=now + timezone.timedelta(days=12),
    )
    rubric_set(
        actor=cast.coordinator,
        contest=contest,
        rows=[
            CriterionRow("Câu chuyện thật, thiết thực", "Việc đã làm được", 50, 10),
            CriterionRow("Dễ hiểu, làm theo được", "Các bước cụ thể", 30, 10),
            CriterionRow("An toàn trên mạng", "Nhắc giữ mã OTP", 20, 10),
        ],
    )
    contest_announce(actor=cast.coordinator, contest=contest)
    judge_add(actor=cast.coordinator, contest=contest, user=cast.officer)
    return contest


def test_a_judge_scores_each_criterion_and_sees_the_combined_score(page, cast, screenshot):
    contest = make_contest(cast)
    agree(cast.resident)
    entry = submit(contest, cast.resident, title="Bà gọi video cho cháu nội")
    entry_moderate(actor=cast.coordinator, entry=entry, approve=True)

    staff_login(page, cast.officer.username)
    expect(page).to_have_url(re.compile(r"/can-bo/$"))  # the login has landed
    page.get_by_role("link", name=re.compile("Cuộc thi viết, chia sẻ kinh nghiệm")).click()
    page.get_by_role("link", name=re.compile("Chấm bài: Chia sẻ kinh nghiệm")).click()
    page.get_by_role("link", name=re.compile("Bà gọi video cho cháu nội")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bà gọi video cho cháu nội")
    expect(page.locator("#tong-hop")).to_contain_text("chưa có")

    page.get_by_label(re.compile("^Câu chuyện thật")).fill("8")
    page.get_by_label(re.compile("^Dễ hiểu")).fill("7.5")
    page.get_by_label(re.compile("^An toàn")).fill("10")
    screenshot("essay-judge-screen")
    page.get_by_role("button", name="Lưu điểm").click()

    expect(page.locator(".msg")).to_contain_text("Đã lưu điểm")
    # 8/10*50 + 7.5/10*30 + 10/10*20 = 40 + 22.5 + 20
    expect(page.locator(".combined")).to_have_text("82,50")
    expect(page.locator("#tong-hop")).to_contain_text("1/1 giám khảo")
    assert Score.objects.filter(entry=entry, judge=cast.officer).count() == 3
    page.get_by_role("link", name="← Danh sách bài").click()
    expect(page.locator(".lessons")).to_contain_text("Bạn đã chấm")


def test_screens_of_the_entry_form_and_the_results_page(page, cast, screenshot):
    contest = make_contest(cast)
    agree(cast.resident)
    phone_login(page, cast.resident.phone, PIN)
    expect(page).to_have_url(re.compile(r"/toi/$"))
    page.get_by_role("link", name=re.compile("Cuộc thi viết, chia sẻ kinh nghiệm")).click()
    page.get_by_role("link", name=re.compile("Chia sẻ kinh nghiệm dùng điện thoại")).click()
    page.get_by_role("link", name="Gửi bài dự thi").click()
    expect(page).to_have_url(re.compile(rf"/cuoc-thi-viet/{contest.pk}/gui-bai/$"))
    page.get_by_label("Tiêu đề bài").fill("Bà gọi video cho cháu nội")
    page.get_by_label("Bài viết").fill("chữ " * 301)
    page.get_by_role("button", name="Gửi bài").click()
    expect(page.locator(".error")).to_contain_text("301 chữ, quá giới hạn 300 chữ")
    screenshot("essay-entry-form")

    agree(cast.neighbour, Purpose.CONTEST, Purpose.PUBLIC_NAME)
    first = submit(contest, cast.neighbour, title="Trả tiền điện không phải đi xa")
    first = entry_moderate(actor=cast.coordinator, entry=first, approve=True)
    criteria = list(contest.criteria.all())
    scores_save(judge=cast.officer, entry=first, points={c.pk: Decimal(9) for c in criteria})
    EssayContest.objects.filter(pk=contest.pk).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    contest.refresh_from_db()
    results_publish(actor=cast.coordinator, contest=contest, prizes={"nhat": 1})
    page.goto(f"/cuoc-thi-viet/{contest.pk}/ket-qua/")
    expect(page.locator("ol.lessons")).to_contain_text("Giải Nhất: Trả tiền điện không phải đi xa")
    expect(page.locator("ol.lessons")).to_contain_text("Trần Văn Bình")
    screenshot("essay-results")
