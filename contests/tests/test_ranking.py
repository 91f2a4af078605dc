"""Rankings: score, then prediction closeness once closed, then time; names need consent."""

from django.test import Client
from django.utils import timezone

from accounts.models import Purpose
from accounts.services import consent_set, resident_register
from contests.models import Attempt
from contests.selectors import ANONYMOUS_NAME, round_hamlets, round_ranking
from contests.services import attempt_start, attempt_submit


def graded(resident, round_, *, score, prediction, seconds) -> Attempt:
    attempt = attempt_start(resident=resident, round_=round_)
    attempt_submit(attempt=attempt, submit_key=attempt.submit_key, prediction=prediction)
    Attempt.objects.filter(pk=attempt.pk).update(
        score=score, all_correct=score == 5, duration_seconds=seconds
    )
    return attempt


def person(cast, name, phone, hamlet=None):
    return resident_register(
        actor=None,
        hamlet=hamlet or cast.hamlet,
        full_name=name,
        birth_year=1980,
        sex="nam",
        phone=phone,
        pin="2468",
        consents=["contest"],
    )


def close(round_):
    round_.closes_at = timezone.now() - timezone.timedelta(seconds=1)
    round_.save(update_fields=["closes_at"])


def test_ranking_breaks_ties_by_score_then_prediction_then_time(cast, round_):
    a = person(cast, "Người A", "0913000001")
    b = person(cast, "Người B", "0913000002")
    c = person(cast, "Người C", "0913000003")
    d = person(cast, "Người D", "0913000004")
    graded(a, round_, score=5, prediction=9, seconds=100)  # 2 all-correct; off by 7
    graded(b, round_, score=5, prediction=2, seconds=300)  # exact prediction, slow
    graded(c, round_, score=4, prediction=2, seconds=10)
    graded(d, round_, score=5, prediction=2, seconds=200)  # exact prediction, faster than B
    open_order = [r["attempt_id"] for r in round_ranking(round_)]
    close(round_)
    closed_order = [r["attempt_id"] for r in round_ranking(round_)]
    by_resident = {att.resident_id: att.pk for att in Attempt.objects.filter(round=round_)}
    assert open_order == [by_resident[x.pk] for x in (a, d, b, c)]  # score, then time
    assert closed_order == [by_resident[x.pk] for x in (d, b, a, c)]


def test_practice_attempts_never_count(cast, round_):
    round_.is_practice = True
    round_.attempts_allowed = 2
    round_.save(update_fields=["is_practice", "attempts_allowed"])
    graded(person(cast, "Người A", "0913000001"), round_, score=5, prediction=1, seconds=5)
    assert round_ranking(round_) == []
    assert round_hamlets(round_) == []


def test_leaderboard_shows_names_only_with_consent(cast, round_):
    shown = person(cast, "Hiện Tên", "0913000001")
    resident_register(
        actor=None,
        hamlet=cast.hamlet,
        full_name="Kín Tên",
        birth_year=1980,
        sex="nam",
        phone="0913000002",
        pin="2468",
        consents=["contest"],
    )
    consent_set(
        resident=shown, purpose=Purpose.PUBLIC_NAME, granted=True, actor=None, method="self"
    )
    hidden = cast.commune.residents.get(full_name="Kín Tên")
    neighbour = person(cast, "Xóm Khác", "0913000003", hamlet=cast.other_hamlet)
    graded(shown, round_, score=5, prediction=1, seconds=50)
    graded(hidden, round_, score=3, prediction=1, seconds=50)
    graded(neighbour, round_, score=4, prediction=1, seconds=50)
    client = Client()
    client.force_login(cast.coordinator)
    body = client.get(f"/cuoc-thi/dot/{round_.pk}/xep-hang/").content.decode()
    assert "Hiện Tên" in body
    assert "Kín Tên" not in body
    assert body.count(ANONYMOUS_NAME) == 2
    hamlets = {h["name"]: h for h in round_hamlets(round_)}
    assert hamlets[cast.hamlet.name]["participants"] == 2
    assert hamlets[cast.hamlet.name]["average"] == 4
    assert hamlets[cast.other_hamlet.name]["participants"] == 1


def test_another_communes_leaderboard_is_not_found(cast, round_):
    client = Client()
    client.force_login(cast.admin2)
    assert client.get(f"/cuoc-thi/dot/{round_.pk}/xep-hang/").status_code == 404
