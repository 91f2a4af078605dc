"""After demo_load, last month has activity for every automatic figure of the monthly report,
dates tell a consistent story, and a second load adds nothing."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from communications.models import Broadcast, PosterPlacement, ScamAlert, ScamReport
from contests.models import Attempt as ContestAttempt
from demo.outreach import month_start
from learning.models import Attempt, Certificate
from outreach.models import SkillTick, TeamMember, Visit
from places.models import Commune
from reports.sources import SOURCES

MODELS = [
    Certificate,
    SkillTick,
    Visit,
    TeamMember,
    ContestAttempt,
    Broadcast,
    PosterPlacement,
    ScamReport,
    ScamAlert,
]


def test_last_month_has_a_figure_for_every_source_and_a_second_load_adds_nothing(db):
    call_command("demo_load", stdout=StringIO())
    first = {m.__name__: m.objects.count() for m in MODELS}
    call_command("demo_load", stdout=StringIO())

    assert {m.__name__: m.objects.count() for m in MODELS} == first
    commune = Commune.objects.get(name="Xã Bạch Ngọc")
    today = timezone.localdate()
    start, end = month_start(today, 1), month_start(today, 0) - timedelta(days=1)
    figures = {key: source.count(commune, None, start, end) for key, source in SOURCES.items()}
    assert all(figures.values()), {k: v for k, v in figures.items() if not v}
    for key in ["sessions", "visits", "team_members_new", "broadcasts", "posters"]:
        earlier = [
            SOURCES[key].count(commune, None, month_start(today, n), month_start(today, n - 1))
            for n in (2, 3)
        ]
        assert sum(earlier) > 0, key  # the story started months ago
    _assert_dates_are_consistent()


def _assert_dates_are_consistent():
    now = timezone.now()
    for certificate in Certificate.objects.all():
        last_pass = Attempt.objects.filter(
            resident=certificate.resident, passed=True, lesson__topic=certificate.topic
        ).aggregate(m=Max("created_at"))["m"]
        assert last_pass <= certificate.issued_at <= now
    assert Certificate.objects.filter(issued_at__lt=now - timedelta(days=30)).exists()
    for visit in Visit.objects.select_related("mentorship"):
        assert visit.mentorship.started_on <= visit.visited_on <= timezone.localdate()
    for broadcast in Broadcast.objects.select_related("bulletin"):
        assert broadcast.bulletin.created_at <= broadcast.aired_at <= now
    for tick in SkillTick.objects.exclude(session=None).select_related("session"):
        assert tick.session.starts_at <= tick.recorded_at <= now
    assert set(ScamReport.objects.values_list("channel", flat=True)) >= {
        "sms",
        "zalo",
        "facebook",
        "call",
    }
    assert ScamReport.objects.filter(status=ScamReport.Status.WARNED).exists()
    places = set(PosterPlacement.objects.values_list("place", flat=True))
    assert places >= {"cultural_house", "school", "health", "office", "road"}
    for alert in ScamAlert.objects.prefetch_related("reports"):
        for report in alert.reports.all():
            assert report.created_at <= alert.published_at
