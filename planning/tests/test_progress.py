"""Plan against reality: targets measured by platform records show what was counted for that
organisation within the activity's dates; the rest say the organisation reports them."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from outreach.models import Attendance, Session
from planning.progress import measurable_sources, target_progress
from planning.services import target_add

pytestmark = pytest.mark.django_db


def _session(cast, organisation, day: dt.date, extra: int = 0) -> Session:
    return Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa",
        starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
        organiser=organisation,
        extra_participants=extra,
    )


@pytest.fixture
def sessions(cast, plan):
    year = plan.year
    held = _session(cast, cast.organisation, dt.date(year, 2, 1), extra=3)
    Attendance.objects.create(
        commune=cast.commune,
        session=held,
        resident=cast.resident,
        method="list",
        client_key=uuid.uuid4(),
    )
    _session(cast, cast.organisation, dt.date(year, 3, 15))
    _session(cast, cast.other_organisation, dt.date(year, 2, 2), extra=10)  # not theirs
    _session(cast, cast.organisation, dt.date(year, 4, 5), extra=10)  # after the activity


def test_only_figures_tied_to_an_organisation_can_measure_a_target():
    keys = dict(measurable_sources())
    assert {"sessions", "participants"} <= set(keys)
    assert "broadcasts" not in keys and "lessons_completed" not in keys


def test_a_target_counts_the_organisations_sessions_within_the_activity(cast, plan, sessions):
    activity = plan.activities.get()
    held = target_add(
        actor=cast.officer, activity=activity, indicator="Buổi", value=6, source="sessions"
    )
    people = target_add(
        actor=cast.officer, activity=activity, indicator="Người", value=8, source="participants"
    )
    progress = target_progress(held, activity, cast.organisation)
    assert (progress.counted, progress.percent) == (2, 33.3)
    assert progress.until == min(activity.ends_on, timezone.localdate())
    assert target_progress(people, activity, cast.organisation).counted == 4  # 1 named + 3


def test_the_plan_page_shows_counted_progress_and_self_reported_targets(
    client, cast, plan, sessions
):
    activity = plan.activities.get()
    target_add(
        actor=cast.officer, activity=activity, indicator="Số buổi", value=4, source="sessions"
    )
    target_add(actor=cast.officer, activity=activity, indicator="Hộ bán hàng qua mạng", value=30)
    client.force_login(cast.leader)
    html = client.get(f"/can-bo/ke-hoach/to-chuc/{cast.organisation.pk}/").content.decode()
    assert '<strong class="">2</strong> / 4 (50 %)' in html
    assert "Số liệu nền tảng đến" in html
    assert html.count("Tự báo cáo") == 1


def test_a_target_of_an_activity_not_yet_started_is_not_counted(cast, plan):
    activity = plan.activities.get()
    activity.starts_on = timezone.localdate() + dt.timedelta(days=3)
    activity.ends_on = activity.starts_on + dt.timedelta(days=30)
    target = target_add(
        actor=cast.officer, activity=activity, indicator="Buổi", value=6, source="sessions"
    )
    progress = target_progress(target, activity, cast.organisation)
    assert progress.measured and not progress.started and progress.counted is None
