"""Registration fields per contest, asked once and prefilled; contests for officials."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Resident
from contests.models import Attempt, Contest, Registration
from contests.selectors import round_units
from contests.services import attempt_submit, question_create, round_create
from contests.tests.conftest import agree
from contests.tests.helpers import answer_all, submit


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _round(cast, contest) -> object:
    for i in range(6):
        question_create(
            actor=cast.coordinator,
            contest=contest,
            text=f"Câu {i}?",
            options=["Đúng", "Sai"],
            answer=0,
        )
    now = timezone.now()
    return round_create(
        actor=cast.coordinator,
        contest=contest,
        number=1,
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=1),
        questions_per_attempt=5,
    )


@pytest.fixture
def asked(cast, contest):
    contest.registration_fields = ["full_name", "birth_year", "phone", "unit"]
    contest.save(update_fields=["registration_fields"])
    return contest


def test_a_resident_is_asked_once_for_the_chosen_fields_prefilled(cast, asked, round_, player):
    response = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response["Location"] == f"/cuoc-thi/dot/{round_.pk}/dang-ky/"
    page = player.get(response["Location"]).content.decode()
    # Name, birth year and phone are on record: only the hamlet-or-organisation choice is asked,
    # preselected on the resident's hamlet.
    assert 'name="unit"' in page
    assert 'name="phone"' not in page and 'name="birth_year"' not in page
    assert re.search(rf'value="h{cast.hamlet.pk}"[^>]*selected', page)
    assert "căn cước" in page  # the promise never to ask for it
    response = player.post(
        f"/cuoc-thi/dot/{round_.pk}/dang-ky/", {"unit": f"o{cast.organisation.pk}"}
    )
    assert "/cau/1/" in response["Location"]
    registration = Registration.objects.get(contest=asked, resident=cast.resident)
    assert (registration.full_name, registration.birth_year, registration.phone) == (
        "Nguyễn Thị Lành",
        1955,
        "0912000001",
    )
    assert registration.organisation == cast.organisation
    attempt = Attempt.objects.get(round=round_, resident=cast.resident)
    assert (attempt.hamlet, attempt.organisation) == (cast.hamlet, cast.organisation)
    # A second round of the same contest goes straight in.
    again = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert "/cau/" in again["Location"]
    assert Registration.objects.filter(contest=asked).count() == 1


def test_missing_fields_are_asked_and_checked(cast, asked, round_):
    agree(cast.neighbour)
    Resident.objects.filter(pk=cast.neighbour.pk).update(phone=None)
    client = client_for(cast.neighbour.user)
    url = f"/cuoc-thi/dot/{round_.pk}/dang-ky/"
    page = client.get(url).content.decode()
    assert 'name="phone"' in page
    bad = client.post(url, {"phone": "123", "unit": f"h{cast.other_hamlet.pk}"})
    assert "Số điện thoại không hợp lệ" in bad.content.decode()
    assert not Registration.objects.filter(contest=asked).exists()
    foreign = client.post(url, {"phone": "0987654321", "unit": f"h{cast.hamlet2.pk}"})
    assert foreign.status_code == 200  # another commune's hamlet is not a choice
    assert not Registration.objects.filter(contest=asked).exists()
    client.post(url, {"phone": "0987 654 321", "unit": f"h{cast.other_hamlet.pk}"})
    assert Registration.objects.get(contest=asked).phone == "0987654321"


def test_when_the_record_has_everything_no_form_is_shown(cast, contest, round_, player):
    contest.registration_fields = ["full_name", "birth_year"]
    contest.save(update_fields=["registration_fields"])
    response = player.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert "/cau/1/" in response["Location"]
    assert Registration.objects.get(contest=contest).birth_year == 1955


def test_a_contest_cannot_ask_for_a_citizen_id(cast):
    response = client_for(cast.coordinator).post(
        "/can-bo/cuoc-thi/tao/",
        {
            "title": "Thi",
            "audience": "residents",
            "registration_fields": ["full_name", "citizen_id"],
        },
    )
    assert response.status_code == 200
    assert not Contest.objects.filter(title="Thi").exists()


def test_registration_needs_contest_consent_and_the_own_commune(cast, asked, round_):
    no_consent = client_for(cast.resident.user)
    page = no_consent.get(f"/cuoc-thi/dot/{round_.pk}/dang-ky/")
    assert page.status_code == 403
    assert "/toi/quyen-rieng-tu/" in page.content.decode()
    agree(cast.resident2)
    assert (
        client_for(cast.resident2.user).get(f"/cuoc-thi/dot/{round_.pk}/dang-ky/").status_code
        == 404
    )
    assert Client().get(f"/cuoc-thi/dot/{round_.pk}/dang-ky/").status_code == 302
    assert client_for(cast.province).get(f"/cuoc-thi/dot/{round_.pk}/dang-ky/").status_code == 403


def test_staff_take_a_contest_for_officials(cast):
    contest = Contest.objects.create(
        commune=cast.commune,
        title="Cán bộ thi chuyển đổi số",
        audience=Contest.Audience.OFFICIALS,
        registration_fields=["full_name", "birth_year", "unit"],
    )
    round_ = _round(cast, contest)
    officer = client_for(cast.officer)
    assert "Cán bộ thi chuyển đổi số" in officer.get("/cuoc-thi/").content.decode()
    response = officer.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert response["Location"] == f"/cuoc-thi/dot/{round_.pk}/dang-ky/"
    page = officer.get(response["Location"]).content.decode()
    assert 'name="birth_year"' in page  # a staff account has no birth year
    assert re.search(rf'value="o{cast.organisation.pk}"[^>]*selected', page)
    response = officer.post(
        response["Location"], {"birth_year": 1980, "unit": f"o{cast.organisation.pk}"}
    )
    attempt = Attempt.objects.get(round=round_, official=cast.officer)
    assert attempt.resident is None and attempt.organisation == cast.organisation
    answer_all(officer, attempt, correct=5)
    assert submit(officer, attempt)["Location"].endswith("/ket-qua/")
    attempt.refresh_from_db()
    assert attempt.score == 5
    # A second start hands back the same attempt.
    assert officer.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")["Location"].endswith("/ket-qua/")
    assert Attempt.objects.filter(round=round_).count() == 1
    units = round_units(round_, "organisation")["participation"]
    assert units[0]["name"] == cast.organisation.name and units[0]["participants"] == 1
    # Residents neither see nor start it; another commune's staff cannot either.
    agree(cast.resident)
    resident = client_for(cast.resident.user)
    assert "Cán bộ thi" not in resident.get("/cuoc-thi/").content.decode()
    assert resident.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/").status_code == 404
    assert client_for(cast.admin2).post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/").status_code == 404
    # The official's attempt is theirs alone.
    other = client_for(cast.volunteer)
    assert other.get(f"/cuoc-thi/lam-bai/{attempt.pk}/ket-qua/").status_code == 404


def test_an_official_without_a_registration_form_starts_at_once(cast):
    contest = Contest.objects.create(
        commune=cast.commune, title="Thi cán bộ", audience=Contest.Audience.OFFICIALS
    )
    round_ = _round(cast, contest)
    volunteer = client_for(cast.volunteer)
    response = volunteer.post(f"/cuoc-thi/dot/{round_.pk}/bat-dau/")
    assert "/cau/1/" in response["Location"]
    attempt = Attempt.objects.get(official=cast.volunteer)
    assert attempt.hamlet == cast.hamlet
    attempt_submit(attempt=attempt, submit_key=attempt.submit_key, prediction=None)
    attempt.refresh_from_db()
    assert attempt.is_submitted and attempt.participant == cast.volunteer


def test_erasing_a_resident_removes_their_contest_entries(cast, asked, round_, player):
    from accounts.services import resident_erase

    player.post(f"/cuoc-thi/dot/{round_.pk}/dang-ky/", {"unit": f"h{cast.hamlet.pk}"})
    assert Registration.objects.filter(resident=cast.resident).exists()
    resident_erase(actor=None, resident=cast.resident)
    assert not Registration.objects.filter(resident=cast.resident).exists()
    assert Attempt.objects.filter(resident=cast.resident).count() == 1  # kept, anonymous


def test_organisers_who_can_read_the_answers_never_take_part(cast):
    contest = Contest.objects.create(
        commune=cast.commune, title="Thi cán bộ", audience=Contest.Audience.OFFICIALS
    )
    round_ = _round(cast, contest)
    for organiser in (cast.coordinator, cast.admin):
        client = client_for(organiser)
        assert "Thi cán bộ" in client.get("/cuoc-thi/").content.decode()
        for url in (f"/cuoc-thi/dot/{round_.pk}/bat-dau/", f"/cuoc-thi/dot/{round_.pk}/dang-ky/"):
            response = client.post(url)
            assert response.status_code == 403
            assert "không dự thi" in response.content.decode()
    assert not Attempt.objects.exists()
