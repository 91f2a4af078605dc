from essays.models import Entry, EssayContest, Score
from essays.tests.conftest import agree


def test_the_demo_contest_loads_once_with_rubric_panel_and_scores(cast):
    from demo.essays import RUBRIC, TITLE, demo_essays_load

    cast.neighbour.birth_year = 1950  # shaped like the first demo author: a woman past 70
    cast.neighbour.save(update_fields=["birth_year"])
    agree(cast.neighbour)
    assert demo_essays_load(cast.commune) is True
    assert demo_essays_load(cast.commune) is False
    contest = EssayContest.objects.get(title=TITLE)
    assert sum(c.weight for c in contest.criteria.all()) == 100 == sum(r.weight for r in RUBRIC)
    assert contest.status == "announced"
    entry = Entry.objects.get(contest=contest)
    assert entry.resident == cast.neighbour and entry.status == "approved"
    assert Score.objects.filter(entry=entry, judge=cast.officer).count() == len(RUBRIC)
