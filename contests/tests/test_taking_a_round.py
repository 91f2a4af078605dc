"""A resident takes a round: draw, one question per screen, deadline, idempotent submit."""

from django.test import Client
from django.utils import timezone

from contests.models import Attempt
from contests.tests.conftest import RIGHT, agree
from contests.tests.helpers import answer_all, start, submit


def test_each_participant_gets_their_own_draw_with_shuffled_options(cast, round_, player):
    agree(cast.neighbour)
    other = Client()
    other.force_login(cast.neighbour.user)
    mine, theirs = start(player, round_), start(other, round_)
    assert len(mine.question_ids) == len(set(mine.question_ids)) == 5
    assert all(sorted(order) == [0, 1, 2, 3] for order in mine.option_orders)
    assert mine.deadline == mine.started_at + timezone.timedelta(minutes=15)
    draws = [start(player, round_).question_ids for _ in range(3)]  # always the same attempt
    assert draws == [mine.question_ids] * 3
    assert (mine.question_ids, mine.option_orders) != (theirs.question_ids, theirs.option_orders)


def test_the_deadline_never_passes_the_round_closing_time(cast, round_, player):
    round_.closes_at = timezone.now() + timezone.timedelta(minutes=3)
    round_.save(update_fields=["closes_at"])
    attempt = start(player, round_)
    assert attempt.deadline == round_.closes_at


def test_a_second_start_returns_the_existing_attempt_and_never_a_new_one(cast, round_, player):
    first = start(player, round_)
    assert start(player, round_).pk == first.pk
    answer_all(player, first, correct=5)
    submit(player, first)
    response = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response["Location"] == f"/cuoc-thi/lam-bai/{first.pk}/ket-qua/"
    assert Attempt.objects.filter(round=round_, resident=cast.resident).count() == 1


def test_answers_are_saved_at_once_and_survive_a_reload(cast, round_, player):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=2)
    page = player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/").content.decode()
    assert "checked" in page
    assert "Thời gian còn lại" in page
    attempt.refresh_from_db()
    assert len(attempt.answers) == 5


def test_a_retried_submit_returns_the_same_result(cast, round_, player):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=3)
    first = submit(player, attempt, prediction=7)
    attempt.refresh_from_db()
    graded = (attempt.score, attempt.submitted_at, attempt.duration_seconds, attempt.prediction)
    second = submit(player, attempt, prediction=99)
    attempt.refresh_from_db()
    assert first["Location"] == second["Location"] == f"/cuoc-thi/lam-bai/{attempt.pk}/ket-qua/"
    assert graded == (3, attempt.submitted_at, attempt.duration_seconds, 7)
    assert (attempt.score, attempt.prediction) == (3, 7)
    result = player.get(second["Location"]).content.decode()
    assert "3/5" in result


def test_a_submit_with_a_wrong_key_is_refused(cast, round_, player):
    attempt = start(player, round_)
    response = player.post(
        f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/",
        {"submit_key": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 400
    assert "Mã nộp bài không đúng" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_an_answer_after_the_deadline_is_refused_and_earlier_answers_are_graded(
    cast, round_, player
):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=5)
    # Only the first two answers were saved in time; then the clock ran out.
    attempt.refresh_from_db()
    kept = {str(qid): attempt.answers[str(qid)] for qid in attempt.question_ids[:2]}
    Attempt.objects.filter(pk=attempt.pk).update(
        answers=kept, deadline=timezone.now() - timezone.timedelta(seconds=1)
    )
    qid = attempt.question_ids[2]
    response = player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/3/", {"question": qid, "choice": 0})
    assert response.status_code == 400
    assert "Đã hết giờ làm bài" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 2
    assert str(qid) not in attempt.answers


def test_tampered_question_ids_and_options_are_refused(cast, round_, player, contest):
    attempt = start(player, round_)
    not_drawn = contest.questions.exclude(pk__in=attempt.question_ids).first()
    url = f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/"
    for data in (
        {"question": not_drawn.pk, "choice": 0},
        {"question": attempt.question_ids[1], "choice": 0},
        {"question": attempt.question_ids[0], "choice": 7},
        {"question": "xyz", "choice": "<script>"},
        {},
    ):
        response = player.post(url, data)
        assert response.status_code == 400, data
    assert player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/99/").status_code == 404
    attempt.refresh_from_db()
    assert attempt.answers == {}


def test_answer_keys_never_reach_the_browser_before_submission(cast, round_, player):
    listing = player.get("/cuoc-thi/")
    attempt = start(player, round_)
    bodies = [listing.content.decode()]
    for number, qid in enumerate(attempt.question_ids, start=1):
        bodies.append(player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/{number}/").content.decode())
        player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/{number}/", {"question": qid, "choice": 0})
    bodies.append(player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/").content.decode())
    # Every other response a participant can get before submitting: refusals and rankings.
    extra = [
        player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/", {"question": 0, "choice": 0}),
        player.post(f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/", {"submit_key": "x", "score": 5}),
        player.get(f"/cuoc-thi/dot/{round_.pk}/xep-hang/"),
        player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/", follow=True),
    ]
    bodies += [response.content.decode() for response in extra]
    for response in extra[:2]:
        assert response.status_code == 400
    for body in bodies:
        for word in ("(đúng)", "correct", "answer", "dap-an", "data-"):
            assert word not in body.lower().replace(RIGHT.lower(), ""), word
    for number, body in enumerate(bodies[1 : 1 + len(attempt.question_ids)]):
        order = attempt.option_orders[number]
        # The right option is drawn like the others: same markup, only its shuffled place differs.
        labels = [line for line in body.splitlines() if 'name="choice"' in line]
        assert len(labels) == 4
        shapes = {label.split(">")[0].replace(str(labels.index(label)), "N") for label in labels}
        assert len(shapes) == 1
        assert RIGHT in labels[order.index(1)]


def test_someone_elses_attempt_is_not_found(cast, round_, player):
    attempt = start(player, round_)
    agree(cast.neighbour)
    other = Client()
    other.force_login(cast.neighbour.user)
    assert other.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/").status_code == 404
    assert submit(other, attempt).status_code == 404
