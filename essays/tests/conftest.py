import io
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import Purpose
from accounts.services import consent_set
from essays.models import EssayContest
from essays.services import (
    CriterionRow,
    contest_announce,
    contest_create,
    entry_moderate,
    entry_submit,
    judge_add,
    rubric_set,
)

STORY = (
    "Năm ngoái cháu nội đi làm xa. Tôi nhờ tổ công nghệ số cài Zalo, "
    "tập bấm gọi video. Giờ tối nào tôi cũng thấy mặt cháu."
)


def agree(resident, *purposes):
    for purpose in purposes or (Purpose.CONTEST,):
        consent_set(resident=resident, purpose=purpose, granted=True, actor=None, method="self")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def png(size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def contest(cast) -> EssayContest:
    now = timezone.now()
    contest = contest_create(
        actor=cast.coordinator,
        title="Chia sẻ kinh nghiệm dùng điện thoại",
        kind=EssayContest.Kind.SHARING,
        audience=EssayContest.Audience.RESIDENTS,
        rules="Mỗi người một bài.",
        opens_at=now - timezone.timedelta(days=1),
        closes_at=now + timezone.timedelta(days=10),
        max_words=60,
        voting_enabled=True,
        voting_opens_at=now - timezone.timedelta(days=1),
        voting_closes_at=now + timezone.timedelta(days=20),
    )
    rubric_set(
        actor=cast.coordinator,
        contest=contest,
        rows=[
            CriterionRow("Nội dung thiết thực", "Việc thật, giúp được người khác", 60, 10),
            CriterionRow("Cách kể dễ hiểu", "", 40, 5),
        ],
    )
    contest_announce(actor=cast.coordinator, contest=contest)
    judge_add(actor=cast.coordinator, contest=contest, user=cast.officer)
    return contest


def submit(contest, resident, title="Tôi gọi video cho cháu", **extra):
    entry, _ = entry_submit(
        contest=contest,
        entered_by=resident.user,
        resident=resident,
        title=title,
        text=extra.pop("text", STORY),
        client_key=extra.pop("client_key", uuid.uuid4()),
        **extra,
    )
    return entry


@pytest.fixture
def entry(cast, contest):
    agree(cast.resident)
    return submit(contest, cast.resident)


@pytest.fixture
def approved(cast, entry):
    return entry_moderate(actor=cast.coordinator, entry=entry, approve=True)


def points(contest, *values):
    return {c.pk: Decimal(str(v)) for c, v in zip(contest.criteria.all(), values, strict=True)}
