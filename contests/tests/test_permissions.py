"""Who may set up contests, who may take part, and garbage never gives a 500."""

import pytest
from django.test import Client
from django.utils import timezone

from contests.models import Contest, Question, Round
from contests.tests.conftest import agree


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["resident", "volunteer", "officer", "leader", "province"])
def test_staff_contest_pages_are_forbidden_to_other_roles(cast, contest, who):
    client = client_for(cast.users()[who])
    for url in ("/can-bo/cuoc-thi/", "/can-bo/cuoc-thi/tao/", f"/can-bo/cuoc-thi/{contest.pk}/"):
        assert client.get(url).status_code == 403, url


def test_another_communes_contest_is_not_found(cast, contest):
    client = client_for(cast.admin2)
    for url in (
        f"/can-bo/cuoc-thi/{contest.pk}/",
        f"/can-bo/cuoc-thi/{contest.pk}/dot/them/",
        f"/can-bo/cuoc-thi/{contest.pk}/cau-hoi/them/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_coordinator_creates_a_contest_a_round_and_questions(cast):
    client = client_for(cast.coordinator)
    response = client.post(
        "/can-bo/cuoc-thi/tao/",
        {"title": "Thi chuyển đổi số", "rules": "Thể lệ", "audience": "residents"},
    )
    contest = Contest.objects.get(title="Thi chuyển đổi số")
    assert response["Location"] == f"/can-bo/cuoc-thi/{contest.pk}/"
    assert contest.commune == cast.commune
    now = timezone.localtime() + timezone.timedelta(days=1)  # opens once the bank is filled
    response = client.post(
        f"/can-bo/cuoc-thi/{contest.pk}/dot/them/",
        {
            "number": 1,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timezone.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": 15,
            "questions_per_attempt": 10,
            "attempts_allowed": 1,
        },
    )
    assert response.status_code == 302
    assert Round.objects.get(contest=contest).commune == cast.commune
    response = client.post(
        f"/can-bo/cuoc-thi/{contest.pk}/cau-hoi/them/",
        {
            "text": "VNeID là gì?",
            "option_1": "Ứng dụng định danh điện tử",
            "option_2": "Mạng xã hội",
            "option_3": "Trò chơi",
            "answer": 1,
            "difficulty": "easy",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get(contest=contest)
    assert (question.answer, len(question.options)) == (0, 3)
    page = client.get(f"/can-bo/cuoc-thi/{contest.pk}/").content.decode()
    assert "VNeID là gì?" in page


def test_bad_staff_input_is_shown_as_form_errors(cast, contest):
    client = client_for(cast.coordinator)
    bad_round = client.post(
        f"/can-bo/cuoc-thi/{contest.pk}/dot/them/",
        {"number": "x", "opens_at": "hôm qua", "closes_at": "\x00", "minutes": -1},
    )
    assert bad_round.status_code == 200
    bad_question = client.post(
        f"/can-bo/cuoc-thi/{contest.pk}/cau-hoi/them/",
        {"text": "Câu?", "option_1": "a", "option_2": "b", "option_3": "c", "answer": 4},
    )
    assert bad_question.status_code == 200
    assert "Phương án 4 đang để trống" in bad_question.content.decode()


def test_a_resident_without_contest_consent_is_sent_to_the_privacy_page(cast, round_):
    client = client_for(cast.resident.user)
    for response in (client.get("/cuoc-thi/"), client.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")):
        assert response.status_code == 403
        assert "/toi/quyen-rieng-tu/" in response.content.decode()


def test_staff_see_only_officials_contests_and_visitors_must_log_in(cast, round_):
    page = client_for(cast.volunteer).get("/cuoc-thi/")
    assert page.status_code == 200
    assert round_.contest.title not in page.content.decode()  # a residents' contest
    assert client_for(cast.volunteer).post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/").status_code == 404
    assert client_for(cast.province).get("/cuoc-thi/").status_code == 403
    assert Client().get("/cuoc-thi/").status_code == 302


def test_another_communes_round_cannot_be_started(cast, round_):
    agree(cast.resident2)
    response = client_for(cast.resident2.user).post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response.status_code == 404


def test_a_closed_round_refuses_a_start_clearly(cast, round_, player):
    round_.closes_at = timezone.now() - timezone.timedelta(seconds=1)
    round_.save(update_fields=["closes_at"])
    response = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response.status_code == 400
    assert "đã kết thúc" in response.content.decode()


def test_garbage_never_gives_a_server_error(cast, round_, player):
    for url in (
        "/cuoc-thi/lam-bai/999999/cau/1/",
        "/cuoc-thi/lam-bai/999999/nop-bai/",
        "/cuoc-thi/lam-bai/999999/ket-qua/",
        "/cuoc-thi/dot/999999/xep-hang/",
    ):
        assert player.get(url).status_code == 404
        assert player.post(url, {"choice": "\x00" * 5000}).status_code in (404, 405)
    assert player.get("/cuoc-thi/dot/999999/bat-dau/").status_code == 405
    assert player.post("/cuoc-thi/dot/999999/bat-dau/").status_code == 404
    attempt_url = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")["Location"]
    submit_url = attempt_url.rsplit("/cau/", 1)[0] + "/nop-bai/"
    assert (
        player.post(submit_url, {"submit_key": "không-phải-uuid", "prediction": "-5"}).status_code
        == 200
    )
