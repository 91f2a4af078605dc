"""Bad input is refused with a clear Vietnamese message, logged, and never counted twice;
the countdown survives reloads because the server's deadline is the truth."""

import logging
import re

import pytest
from django.utils import timezone

from contests.models import Attempt
from contests.tests.helpers import answer_all, start, submit


@pytest.fixture
def warnings(caplog):
    caplog.set_level(logging.WARNING, logger="contests")
    return caplog


def logged(caplog, text: str) -> bool:
    return any(r.name == "contests" and text in r.getMessage() for r in caplog.records)


def test_a_tampered_question_id_is_refused_and_logged(cast, round_, player, contest, warnings):
    attempt = start(player, round_)
    not_drawn = contest.questions.exclude(pk__in=attempt.question_ids).first()
    response = player.post(
        f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/", {"question": not_drawn.pk, "choice": 0}
    )
    assert response.status_code == 400
    assert "Câu hỏi không có trong bài thi của bạn" in response.content.decode()
    assert logged(warnings, "tampered question id")
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_an_answer_after_the_deadline_is_refused_and_logged(cast, round_, player, warnings):
    attempt = start(player, round_)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now())
    qid = attempt.question_ids[0]
    response = player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/", {"question": qid, "choice": 0})
    assert response.status_code == 400
    assert "Đã hết giờ làm bài" in response.content.decode()
    assert logged(warnings, "answer after the deadline")
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.answers == {}
    # An answer to a submitted attempt is refused too, not silently redirected.
    again = player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/", {"question": qid, "choice": 0})
    assert again.status_code == 400
    assert "Bài thi đã nộp" in again.content.decode()
    assert logged(warnings, "answer after submission")


def test_a_second_attempt_is_never_created(cast, round_, player):
    first = start(player, round_)
    answer_all(player, first, correct=5)
    for _ in range(3):
        submit(player, first, prediction=3)
    response = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/", follow=True)
    assert "Bạn đã làm đợt thi này rồi" in response.content.decode()
    assert Attempt.objects.filter(round=round_, resident=cast.resident).count() == 1
    first.refresh_from_db()
    assert first.score == 5


def test_a_forged_score_is_refused_logged_and_not_counted(cast, round_, player, warnings):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=1)
    for url, data in (
        (
            f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/",
            {"submit_key": str(attempt.submit_key), "score": 5, "all_correct": "1"},
        ),
        (
            f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/",
            {"question": attempt.question_ids[0], "choice": 0, "score": 5},
        ),
    ):
        response = player.post(url, data)
        assert response.status_code == 400
        assert "điểm chỉ do máy chủ chấm" in response.content.decode()
    assert logged(warnings, "unexpected fields ['all_correct', 'score']")
    attempt.refresh_from_db()
    assert attempt.score is None and not attempt.is_submitted
    submit(player, attempt)
    attempt.refresh_from_db()
    assert attempt.score == 1


def test_a_huge_payload_is_refused_unread_and_logged(cast, round_, player, warnings):
    attempt = start(player, round_)
    response = player.post(
        f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/",
        {"submit_key": str(attempt.submit_key), "prediction": "9" * 200_000},
    )
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in response.content.decode()
    assert logged(warnings, "bytes posted to")
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_the_countdown_comes_from_the_server_deadline_and_survives_a_reload(cast, round_, player):
    attempt = start(player, round_)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timezone.timedelta(seconds=125)
    )
    first = player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/").content.decode()
    assert "khoảng 3 phút" in first  # the text without JavaScript
    seconds = int(re.search(r"var s=(\d+)", first).group(1))
    assert 120 <= seconds <= 125
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timezone.timedelta(seconds=50)
    )
    reloaded = player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/2/").content.decode()
    assert "khoảng 1 phút" in reloaded
    assert 45 <= int(re.search(r"var s=(\d+)", reloaded).group(1)) <= 50
    submit_page = player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/").content.decode()
    assert 'role="timer"' in submit_page
