"""The demo contest shows topic shares, a prize list and registration fields, loaded twice."""

from io import StringIO

from django.core.management import call_command

from contests.models import Attempt, Contest, Question
from contests.selectors import round_prize_list
from demo.contests import OFFICIALS_TITLE, PRIZES, SHARES, TITLE


def test_the_demo_contest_loads_once_with_shares_prizes_and_registration(db):
    call_command("demo_load", stdout=StringIO())
    counts = (Contest.objects.count(), Question.objects.count(), Attempt.objects.count())
    call_command("demo_load", stdout=StringIO())
    assert (Contest.objects.count(), Question.objects.count(), Attempt.objects.count()) == counts
    contest = Contest.objects.get(title=TITLE)
    assert contest.registration_fields == ["full_name", "birth_year", "phone"]
    round_ = contest.rounds.get(number=1)
    assert (round_.topic_shares, round_.prizes) == (SHARES, PRIZES)
    topics = {q.topic for q in contest.questions.all()}
    assert set(SHARES) <= topics  # the shares name real topics of the bank
    attempts = Attempt.objects.filter(round=round_)
    assert attempts.count() > 10 and all(a.is_submitted for a in attempts)
    for attempt in attempts[:5]:
        drawn = Question.objects.filter(pk__in=attempt.question_ids)
        for topic, share in SHARES.items():
            assert drawn.filter(topic=topic).count() == share
    assert len(round_prize_list(round_)) == sum(p["count"] for p in PRIZES)
    officials = Contest.objects.get(title=OFFICIALS_TITLE)
    assert officials.audience == "officials" and "unit" in officials.registration_fields
    assert officials.rounds.get().questions_per_attempt <= officials.questions.count()
