import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Purpose
from accounts.services import consent_set
from contests.models import Contest, Round
from contests.services import contest_create, question_create, round_create

# The correct option of every question starts with this word; the wrong ones never do.
RIGHT = "ĐÚNGDÁPÁN"


def agree(resident, *purposes):
    for purpose in purposes or (Purpose.CONTEST,):
        consent_set(resident=resident, purpose=purpose, granted=True, actor=None, method="self")


@pytest.fixture
def contest(cast) -> Contest:
    contest = contest_create(
        actor=cast.coordinator,
        title="Tìm hiểu chuyển đổi số",
        rules="Mỗi đợt một lượt.",
        audience="residents",
    )
    for i in range(12):
        question_create(
            actor=cast.coordinator,
            contest=contest,
            text=f"Câu hỏi số {i}?",
            options=[f"Sai A{i}", f"{RIGHT} {i}", f"Sai B{i}", f"Sai C{i}"],
            answer=1,
            topic="an-toan" if i % 2 else "dich-vu-cong",
        )
    return contest


@pytest.fixture
def round_(cast, contest) -> Round:
    now = timezone.now()
    return round_create(
        actor=cast.coordinator,
        contest=contest,
        number=1,
        opens_at=now - timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=6),
        minutes=15,
        questions_per_attempt=5,
    )


@pytest.fixture
def player(cast) -> Client:
    agree(cast.resident)
    client = Client()
    client.force_login(cast.resident.user)
    return client
