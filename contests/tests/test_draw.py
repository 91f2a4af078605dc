"""The draw honours the round's topic shares, falls back when a topic is short, and a round
whose bank cannot fill a draw does not open."""

from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from contests.models import Question
from contests.services import (
    ContestRefused,
    attempt_start,
    contest_create,
    draw,
    question_create,
    round_create,
)
from contests.tests.conftest import RIGHT, agree
from contests.tests.helpers import start

TOPICS = {"An toàn trên mạng": 8, "Dịch vụ công": 8, "Thanh toán": 8}


@pytest.fixture
def bank(cast):
    contest = contest_create(
        actor=cast.coordinator, title="Thi theo chủ đề", rules="", audience="residents"
    )
    for topic, n in TOPICS.items():
        for i in range(n):
            question_create(
                actor=cast.coordinator,
                contest=contest,
                text=f"{topic} — câu {i}?",
                options=[f"{RIGHT} {i}", "Sai một", "Sai hai"],
                answer=0,
                topic=topic,
            )
    return contest


def open_round(cast, contest, *, per=10, shares=None, number=1):
    now = timezone.now()
    return round_create(
        actor=cast.coordinator,
        contest=contest,
        number=number,
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=3),
        questions_per_attempt=per,
        topic_shares=shares or {},
    )


def topics_of(question_ids) -> Counter:
    return Counter(Question.objects.get(pk=qid).topic for qid in question_ids)


def test_every_draw_takes_the_share_of_each_topic(cast, bank):
    round_ = open_round(
        cast, bank, shares={"An toàn trên mạng": 4, "dich vu cong": 3, "Thanh toán": 3}
    )
    orders_seen = set()
    for _ in range(25):
        ids, orders = draw(round_)
        assert len(set(ids)) == 10
        assert topics_of(ids) == {"An toàn trên mạng": 4, "Dịch vụ công": 3, "Thanh toán": 3}
        orders_seen.add(tuple(ids))
        assert all(sorted(order) == [0, 1, 2] for order in orders)
    assert len(orders_seen) > 20  # questions are drawn and shuffled afresh each time


def test_a_short_topic_is_filled_from_the_others(cast, bank):
    Question.objects.filter(topic="Thanh toán").exclude(
        pk__in=Question.objects.filter(topic="Thanh toán").values("pk")[:2]
    ).delete()
    round_ = open_round(cast, bank, shares={"Thanh toán": 5, "Dịch vụ công": 2})
    for _ in range(10):
        ids, _ = draw(round_)
        counts = topics_of(ids)
        assert len(set(ids)) == 10
        assert counts["Thanh toán"] == 2  # all it has
        assert counts["Dịch vụ công"] >= 2


def test_a_resident_gets_the_shares_through_the_pages(cast, bank):
    round_ = open_round(cast, bank, per=6, shares={"Thanh toán": 6})
    agree(cast.resident)
    client = Client()
    client.force_login(cast.resident.user)
    attempt = start(client, round_)
    assert topics_of(attempt.question_ids) == {"Thanh toán": 6}


def test_a_round_whose_bank_cannot_fill_the_draw_does_not_open(cast, bank):
    with pytest.raises(ContestRefused, match="chưa đủ 30 câu"):
        open_round(cast, bank, per=30)
    organiser = Client()
    organiser.force_login(cast.coordinator)
    now = timezone.localtime()
    page = organiser.post(
        f"/can-bo/cuoc-thi/{bank.pk}/dot/them/",
        {
            "number": 2,
            "opens_at": (now - timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "minutes": 15,
            "questions_per_attempt": 40,
            "attempts_allowed": 1,
        },
    )
    assert "Chưa mở được đợt thi này" in page.content.decode()
    assert not bank.rounds.exists()
    # A round planned for later is kept, shown with a warning, and refuses a start if still short.
    later = round_create(
        actor=cast.coordinator,
        contest=bank,
        number=3,
        opens_at=now + timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=2),
        questions_per_attempt=40,
    )
    assert "chưa đủ 40 câu" in organiser.get(f"/can-bo/cuoc-thi/{bank.pk}/").content.decode()
    later.opens_at = now - timezone.timedelta(minutes=1)
    later.save(update_fields=["opens_at"])
    with pytest.raises(ContestRefused, match="chưa đủ câu hỏi"):
        attempt_start(round_=later, resident=cast.resident)


def test_shares_that_do_not_parse_or_exceed_the_draw_are_form_errors(cast, bank):
    organiser = Client()
    organiser.force_login(cast.coordinator)
    data = {
        "number": 5,
        "opens_at": "2099-01-01T07:00",
        "closes_at": "2099-01-05T07:00",
        "minutes": 15,
        "questions_per_attempt": 5,
        "attempts_allowed": 1,
    }
    for shares, message in (
        ("An toàn trên mạng bốn câu", "Không hiểu"),
        ("Thanh toán: 4\nDịch vụ công: 4", "vượt quá 5 câu"),
        ("Thanh toán: 1\nthanh toán: 2", "được ghi hai lần"),
    ):
        page = organiser.post(f"/can-bo/cuoc-thi/{bank.pk}/dot/them/", {**data, "shares": shares})
        assert message in page.content.decode(), shares
    assert not bank.rounds.exists()


def test_shares_are_read_per_line_or_on_one_line_and_names_may_hold_commas():
    from contests.forms import parse_pairs

    assert parse_pairs("An toàn trên mạng: 4, Dịch vụ công: 3, Thanh toán: 3", what="x") == [
        ("An toàn trên mạng", 4),
        ("Dịch vụ công", 3),
        ("Thanh toán", 3),
    ]
    assert parse_pairs("An toàn trên mạng, phòng lừa đảo: 4\nNgân hàng số = 2\n", what="x") == [
        ("An toàn trên mạng, phòng lừa đảo", 4),
        ("Ngân hàng số", 2),
    ]
    assert parse_pairs("  ", what="x") == []
    for bad in ("Thanh toán", "Thanh toán: 0", "A: 3 B: 2", "A: 3, rác"):
        with pytest.raises(Exception, match="Không hiểu"):
            parse_pairs(bad, what="x")
