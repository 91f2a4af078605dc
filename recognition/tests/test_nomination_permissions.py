import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from recognition.models import Nomination
from recognition.services import nomination_forward, nomination_propose

S = Nomination.Status


def login(client, user):
    client.force_login(user)


def url(name, n):
    return reverse(f"recognition:{name}", args=[n.pk])


@pytest.fixture
def nomination(cast):
    return nomination_propose(
        actor=cast.coordinator,
        category="elderly_smartphone",
        reasons="Tự cài VNeID.",
        resident=cast.resident,
    )


@pytest.mark.django_db
def test_a_resident_is_refused_every_staff_page(client, cast, nomination):
    client.force_login(cast.resident.user)
    for name in ("nomination_detail", "nomination_review", "nomination_decide", "nomination_pdf"):
        assert client.get(url(name, nomination)).status_code == 403
    assert client.get(reverse("recognition:nomination_list")).status_code == 403


@pytest.mark.django_db
def test_a_volunteer_cannot_review_or_decide(client, cast, nomination):
    login(client, cast.volunteer)
    data = {"action": "forward", "decision_number": "45/QĐ-UBND", "decision_date": "01/01/2026"}
    assert client.post(url("nomination_review", nomination), data).status_code == 403
    assert client.post(url("nomination_decide", nomination), data).status_code == 403
    assert Nomination.objects.get().status == S.PROPOSED


@pytest.mark.django_db
def test_a_leader_only_decides_and_cannot_propose(client, cast):
    login(client, cast.leader)
    assert client.get(reverse("recognition:nomination_create")).status_code == 403
    assert client.get(reverse("recognition:nomination_list")).status_code == 200


@pytest.mark.django_db
def test_another_commune_gets_404(client, cast, nomination):
    login(client, cast.coordinator2)
    for name in ("nomination_detail", "nomination_review", "nomination_pdf"):
        assert client.get(url(name, nomination)).status_code == 404
    assert (
        nomination.nominee_name
        not in client.get(reverse("recognition:nomination_list")).content.decode()
    )


@pytest.mark.django_db
def test_a_volunteer_cannot_nominate_a_resident_outside_their_hamlet(client, cast):
    login(client, cast.volunteer)
    data = {"category": "elderly_smartphone", "resident": cast.neighbour.pk, "reasons": "x"}
    response = client.post(reverse("recognition:nomination_create"), data)
    assert response.status_code == 200
    assert not Nomination.objects.exists()


@pytest.mark.django_db
def test_an_officer_sees_only_their_organisations_nominations(client, cast, nomination):
    login(client, cast.officer)
    assert client.get(url("nomination_detail", nomination)).status_code == 404


@pytest.mark.django_db
def test_every_step_is_audited(cast, nomination):
    nomination_forward(actor=cast.coordinator, nomination=nomination)
    actions = list(AuditEntry.objects.filter(target_id=str(nomination.pk)).values_list("action"))
    assert sorted(actions) == [("create",), ("update",)]
