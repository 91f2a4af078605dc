"""The pages a contest rush hits stay correct with the cheaper consent check and submit lookup."""

from django.db import connection
from django.test import Client

from accounts.models import Purpose
from accounts.services import consent_set
from contests.models import Attempt
from contests.tests.conftest import agree
from contests.tests.helpers import answer_all, start, submit
from lib import plainsql


def test_the_latest_contest_decision_counts(cast, round_, player):
    attempt = start(player, round_)
    consent_set(
        resident=cast.resident, purpose=Purpose.CONTEST, granted=False, actor=None, method="self"
    )
    base = f"/cuoc-thi/lam-bai/{attempt.pk}"
    for url in (f"{base}/cau/1/", f"{base}/nop-bai/"):
        response = player.get(url)
        assert response.status_code == 403, url
        assert "quyền riêng tư" in response.content.decode()
    assert submit(player, attempt).status_code == 403
    agree(cast.resident)  # agreeing again opens the door again
    assert player.get(f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/").status_code == 200


def test_a_learning_consent_alone_does_not_let_a_resident_in(cast, round_):
    client = Client()
    client.force_login(cast.neighbour.user)  # agreed to learning only
    assert client.get("/cuoc-thi/").status_code == 403


def test_submit_grades_in_few_queries(cast, round_, player, django_assert_max_num_queries):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=4)
    # session, user, resident, consent, locked read scoped to the resident, answer keys,
    # update (+ the transaction statements)
    with django_assert_max_num_queries(9):
        response = submit(player, attempt, prediction=5)
    assert response["Location"] == f"/cuoc-thi/lam-bai/{attempt.pk}/ket-qua/"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.prediction) == (4, 5)


def test_a_refused_or_invalid_submit_still_shows_the_right_page(cast, round_, player):
    attempt = start(player, round_)
    url = f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/"
    wrong_key = player.post(url, {"submit_key": "00000000-0000-0000-0000-000000000000"})
    assert wrong_key.status_code == 400
    assert "Về trang nộp bài" in wrong_key.content.decode()  # not submitted yet
    garbage = player.post(url, {"submit_key": "không phải mã", "prediction": "-3"})
    assert garbage.status_code == 200
    assert "Nộp bài" in garbage.content.decode()
    assert not Attempt.objects.get(pk=attempt.pk).is_submitted
    submit(player, attempt)
    late_wrong_key = player.post(url, {"submit_key": "00000000-0000-0000-0000-000000000000"})
    assert "Xem kết quả" in late_wrong_key.content.decode()


def test_another_residents_submit_is_not_found_and_changes_nothing(cast, round_, player):
    attempt = start(player, round_)
    agree(cast.neighbour)
    other = Client()
    other.force_login(cast.neighbour.user)
    response = other.post(
        f"/cuoc-thi/lam-bai/{attempt.pk}/nop-bai/", {"submit_key": str(attempt.submit_key)}
    )
    assert response.status_code == 404
    assert not Attempt.objects.get(pk=attempt.pk).is_submitted


def test_a_phone_login_reads_user_and_resident_in_one_query(
    cast, round_, django_assert_max_num_queries
):
    agree(cast.resident)
    phone = Client()
    phone.force_login(cast.resident.user, backend="accounts.backends.PhonePinBackend")
    attempt = start(phone, round_)
    answer_all(phone, attempt, correct=3)
    # session, user joined with resident, consent, locked read, answer keys, update
    # (+ the transaction statements)
    with django_assert_max_num_queries(8):
        response = submit(phone, attempt, prediction=2)
    assert response["Location"] == f"/cuoc-thi/lam-bai/{attempt.pk}/ket-qua/"
    attempt.refresh_from_db()
    assert (attempt.score, attempt.prediction, attempt.all_correct) == (3, 2, False)
    assert attempt.duration_seconds is not None and attempt.submitted_at is not None


def test_the_narrow_consent_check_follows_the_latest_decision(cast, round_, player):
    attempt = start(player, round_)
    url = f"/cuoc-thi/lam-bai/{attempt.pk}/cau/1/"
    for granted, status in ((False, 403), (True, 200), (False, 403)):
        consent_set(
            resident=cast.resident,
            purpose=Purpose.CONTEST,
            granted=granted,
            actor=None,
            method="self",
        )
        assert player.get(url).status_code == status


NAMES = ("id", "submit_key", "started_at", "deadline", "question_ids", "answers", "resident")


def test_a_partial_row_comes_back_typed_as_the_orm_reads_it(cast, round_, player):
    attempt = start(player, round_)
    answer_all(player, attempt, correct=2)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {plainsql.select_list(Attempt, NAMES)} FROM {plainsql.table(Attempt)} "
            f"WHERE {plainsql.column(Attempt, 'id')} = %s",
            [attempt.pk],
        )
        built = plainsql.instance(Attempt, cursor.fetchone(), NAMES)
    stored = Attempt.objects.get(pk=attempt.pk)
    for name in ("submit_key", "started_at", "deadline", "question_ids", "answers", "resident_id"):
        assert getattr(built, name) == getattr(stored, name), name
    assert built.answers and isinstance(next(iter(built.answers.values())), int)
    assert built.get_deferred_fields() >= {"score", "option_orders"}
    assert not built._state.adding
