import re

from contests.models import Attempt, Question


def start(client, round_) -> Attempt:
    response = client.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response.status_code == 302, response.content
    attempt_id = int(re.search(r"/lam-bai/(\d+)/", response["Location"]).group(1))
    return Attempt.objects.get(pk=attempt_id)


def answer_all(client, attempt: Attempt, correct: int) -> None:
    """Answer the first `correct` questions right and the rest wrong, through the pages."""
    for number, qid in enumerate(attempt.question_ids, start=1):
        question = Question.objects.get(pk=qid)
        order = attempt.option_orders[number - 1]
        wanted = question.answer if number <= correct else (question.answer + 1) % 4
        response = client.post(
            f"/cuoc-thi/lam-bai/{attempt.pk}/cau/{number}/",
            {"question": qid, "choice": order.index(wanted)},
        )
        assert response.status_code == 302, response.content.decode()


def submit(client, attempt: Attempt, prediction=None):
    data = {"submit_key": str(attempt.submit_key)}
    if prediction is not None:
        data["prediction"] = prediction
    return client.post(f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/", data)
