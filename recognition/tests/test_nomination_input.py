import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from learning.content import TOPICS
from learning.models import Certificate
from recognition.models import Nomination
from recognition.services import (
    nomination_forward,
    nomination_propose,
    normalise_decision_number,
)

S = Nomination.Status


def login(client, user):
    client.force_login(user)


def cert(resident, code):
    return Certificate.objects.create(
        commune=resident.commune, resident=resident, topic=next(iter(TOPICS)), code=code
    )


@pytest.fixture
def forwarded(cast):
    n = nomination_propose(
        actor=cast.coordinator,
        category="online_seller",
        reasons="Bán hàng.",
        resident=cast.resident,
    )
    return nomination_forward(actor=cast.coordinator, nomination=n)


@pytest.mark.django_db
def test_evidence_of_another_resident_is_refused(client, cast):
    other = cert(cast.neighbour, "HVS-BBBB02")
    login(client, cast.coordinator)
    data = {
        "category": "elderly_smartphone",
        "resident": cast.resident.pk,
        "reasons": "x",
        "evidence": [f"certificate:{other.pk}"],
    }
    response = client.post(reverse("recognition:nomination_create"), data)
    assert response.status_code == 200
    assert "không thuộc hồ sơ" in response.content.decode()
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_forged_evidence_too(cast):
    other = cert(cast.neighbour, "HVS-CCCC03")
    with pytest.raises(ValidationError):
        nomination_propose(
            actor=cast.coordinator,
            category="elderly_smartphone",
            reasons="x",
            resident=cast.resident,
            evidence_keys=[f"certificate:{other.pk}"],
        )


@pytest.mark.parametrize("raw", ["45/QĐ-UBND", " 45 / qđ-ubnd ", "45/Q\u0110-UBND"])
def test_decision_numbers_of_the_official_form_are_accepted(raw):
    assert normalise_decision_number(raw) == "45/QĐ-UBND"


@pytest.mark.parametrize("raw", ["45", "45/QD-UBND", "abc/QĐ-UBND", "0/QĐ-UBND", "45/BC-UBND", ""])
def test_other_decision_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_decision_number(raw)


@pytest.mark.django_db
def test_a_bad_decision_number_or_a_future_date_is_refused(client, cast, forwarded):
    login(client, cast.leader)
    url = reverse("recognition:nomination_decide", args=[forwarded.pk])
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    for number, day in (("45/QD", f"{today:%d/%m/%Y}"), ("45/QĐ-UBND", f"{tomorrow:%d/%m/%Y}")):
        data = {"action": "decide", "decision_number": number, "decision_date": day}
        response = client.post(url, data)
        assert response.status_code == 200
    forwarded.refresh_from_db()
    assert forwarded.status == S.FORWARDED


@pytest.mark.django_db
def test_garbage_never_causes_a_500(client, cast, forwarded):
    login(client, cast.coordinator)
    create = reverse("recognition:nomination_create")
    for data in (
        {},
        {"resident": "abc", "category": "nope", "evidence": ["x:y", "certificate:abc"]},
        {"resident": "99999", "reasons": "x" * 10000, "category": "bright_spot"},
    ):
        assert client.post(create, data).status_code == 200
    assert client.get(create + "?nguoi=abc").status_code == 200
    assert client.get(reverse("recognition:nomination_list") + "?trang-thai=<x>").status_code == 200
    review = reverse("recognition:nomination_review", args=[forwarded.pk])
    assert client.post(review, {"action": "forward"}).status_code == 200  # wrong step
    assert client.post(review, {"action": "hack"}).status_code == 200
    pdf = reverse("recognition:nomination_pdf", args=[forwarded.pk])
    assert client.get(pdf).status_code == 404
    login(client, cast.leader)
    decide = reverse("recognition:nomination_decide", args=[forwarded.pk])
    for data in ({}, {"action": "decide", "decision_date": "32/13/2026"}, {"action": "reject"}):
        assert client.post(decide, data).status_code == 200
    assert client.get(reverse("recognition:nomination_detail", args=[999999])).status_code == 404
