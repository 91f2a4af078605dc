"""Contest results as nomination evidence: official, submitted attempts only, own commune."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Attempt, Contest, Round
from recognition.models import Nomination
from recognition.selectors import evidence_options


def _round(commune, *, number=1, practice=False) -> Round:
    contest, _ = Contest.objects.get_or_create(commune=commune, title="Tìm hiểu chuyển đổi số")
    now = timezone.now()
    return Round.objects.create(
        commune=commune,
        contest=contest,
        number=number,
        opens_at=now - dt.timedelta(days=3),
        closes_at=now + dt.timedelta(days=3),
        is_practice=practice,
    )


def _attempt(resident, round_, *, score=8, submitted=True) -> Attempt:
    now = timezone.now()
    return Attempt.objects.create(
        commune=round_.commune,
        round=round_,
        resident=resident,
        is_practice=round_.is_practice,
        started_at=now - dt.timedelta(minutes=10),
        deadline=now + dt.timedelta(minutes=5),
        question_ids=list(range(1, 11)),
        option_orders=[[0, 1, 2, 3]] * 10,
        submitted_at=now if submitted else None,
        score=score if submitted else None,
    )


def test_submitted_official_contest_results_are_evidence(cast):
    official = _attempt(cast.resident, _round(cast.commune))
    _attempt(cast.resident, _round(cast.commune, number=2, practice=True), score=10)
    _attempt(cast.resident, _round(cast.commune, number=3), submitted=False)
    _attempt(cast.neighbour, _round(cast.commune, number=4), score=9)
    contests = [o for o in evidence_options(cast.resident) if o["kind"] == "contest"]
    assert contests == [
        {
            "kind": "contest",
            "id": official.pk,
            "label": (
                "Dự thi “Tìm hiểu chuyển đổi số” đợt 1: đúng 8/10 câu "
                f"({timezone.localdate():%d/%m/%Y})"
            ),
        }
    ]


@pytest.mark.django_db
def test_a_contest_result_backs_a_nomination_and_a_foreign_one_is_refused(client, cast):
    own = _attempt(cast.resident, _round(cast.commune))
    other = _attempt(cast.neighbour, _round(cast.commune, number=2))
    client.force_login(cast.coordinator)
    create = reverse("recognition:nomination_create")
    page = client.get(create, {"nguoi": cast.resident.pk}).content.decode()
    assert "đợt 1: đúng 8/10 câu" in page
    data = {"category": "elderly_smartphone", "resident": cast.resident.pk, "reasons": "Thi tốt."}
    client.post(create, {**data, "evidence": [f"contest:{other.pk}"]})
    assert not Nomination.objects.exists()
    response = client.post(create, {**data, "evidence": [f"contest:{own.pk}"]})
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert nomination.evidence[0]["kind"] == "contest"
    detail = client.get(reverse("recognition:nomination_detail", args=[nomination.pk]))
    assert "Dự thi “Tìm hiểu chuyển đổi số” đợt 1: đúng 8/10 câu" in detail.content.decode()
