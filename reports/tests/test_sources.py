"""Automatic figures equal what the database holds for that organisation and month."""

import uuid
from datetime import timedelta

from accounts.models import Resident
from communications.models import Broadcast, Bulletin, ScamReport
from learning.models import Attempt, Lesson
from learning.services import lessons_load
from outreach.models import Attendance, Session, SkillTick, Team, TeamMember, Visit
from reports.models import ReportValue
from reports.months import month_end, previous_month
from reports.selectors import consolidation
from reports.services import report_open
from reports.sources import SOURCES
from reports.tests.conftest import at


def _session(cast, day, organiser, extra=0):
    return Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa",
        starts_at=at(day, 19),
        organiser=organiser,
        extra_participants=extra,
    )


def _attend(cast, session, resident):
    Attendance.objects.create(
        commune=cast.commune,
        session=session,
        resident=resident,
        method=Attendance.Method.LIST,
        client_key=uuid.uuid4(),
    )


def test_sessions_participants_and_skill_ticks_are_counted_for_the_organiser(cast, form, month):
    mine = _session(cast, month + timedelta(days=2), cast.organisation, extra=3)
    _attend(cast, mine, cast.resident)
    _attend(cast, mine, cast.neighbour)
    theirs = _session(cast, month + timedelta(days=5), cast.other_organisation)
    _attend(cast, theirs, cast.resident)
    _session(cast, month - timedelta(days=1), cast.organisation, extra=50)  # last month
    _session(cast, month + timedelta(days=6), None, extra=4)  # no organiser: commune only
    SkillTick.objects.create(
        commune=cast.commune,
        resident=cast.resident,
        skill="vneid_level2",
        source=SkillTick.Source.VERIFIED,
        session=mine,
        client_key=uuid.uuid4(),
        recorded_at=at(month + timedelta(days=2), 20),
    )

    report = report_open(form=form, organisation=cast.organisation, month=month)
    values = {v.indicator.code: v.auto_value for v in report.values.select_related("indicator")}
    assert values["sessions"] == 1
    assert values["participants"] == 2 + 3
    assert values["vneid"] == 1
    # Records that cannot be tied to an organisation give no figure in its report.
    assert values["lessons"] is None and values["broadcasts"] is None

    end = month_end(month)
    assert SOURCES["sessions"].count(cast.commune, None, month, end) == 3
    assert SOURCES["participants"].count(cast.commune, None, month, end) == 2 + 3 + 1 + 4
    assert SOURCES["participants"].by_hamlet(cast.commune, month, end) == {cast.hamlet.pk: 10}
    assert (
        SOURCES["skill_vneid_level2"].count(cast.commune, cast.other_organisation, month, end) == 0
    )


def test_lessons_completed_are_split_into_self_and_assisted_and_counted_once(cast, month):
    lessons_load(commune=cast.commune)
    first, second = Lesson.objects.filter(commune=cast.commune)[:2]

    def attempt(lesson, resident, day, *, assisted=False, passed=True):
        Attempt.objects.create(
            commune=cast.commune,
            lesson=lesson,
            resident=resident,
            answers=[],
            correct=3 if passed else 0,
            total=3,
            passed=passed,
            assisted_by=cast.volunteer if assisted else None,
            client_key=uuid.uuid4(),
            created_at=at(day),
        )

    attempt(first, cast.resident, month + timedelta(days=1))
    attempt(first, cast.resident, month + timedelta(days=3))  # passed again: still one
    attempt(second, cast.resident, month + timedelta(days=4), assisted=True)
    attempt(first, cast.neighbour, month - timedelta(days=3))  # passed last month
    attempt(first, cast.neighbour, month + timedelta(days=3))
    attempt(second, cast.neighbour, month + timedelta(days=8), passed=False)
    end = month_end(month)
    assert SOURCES["lessons_completed"].count(cast.commune, None, month, end) == 2
    assert SOURCES["lessons_assisted"].count(cast.commune, None, month, end) == 1
    assert SOURCES["lessons_self"].count(cast.commune, None, month, end) == 1
    assert SOURCES["lessons_completed"].by_hamlet(cast.commune, month, end) == {cast.hamlet.pk: 2}
    previous = previous_month(month)
    assert (
        SOURCES["lessons_completed"].count(cast.commune, None, previous, month_end(previous)) == 1
    )


def test_commune_wide_figures_come_from_broadcasts_scams_teams_and_visits(cast, form, month):
    bulletin = Bulletin.objects.create(commune=cast.commune, title="Bản tin", script="Xin chào")
    for day in (2, 9):
        aired = Broadcast.objects.create(
            commune=cast.commune, bulletin=bulletin, aired_at=at(month + timedelta(days=day))
        )
        aired.hamlets.set([cast.hamlet, cast.other_hamlet])
    for status in (ScamReport.Status.NEW, ScamReport.Status.DISMISSED):
        ScamReport.objects.create(
            commune=cast.commune,
            channel=ScamReport.Channel.ZALO,
            content="Trúng thưởng",
            status=status,
            client_key=uuid.uuid4(),
            created_at=at(month + timedelta(days=4)),
            resident=cast.resident,
        )
    team = Team.objects.create(commune=cast.commune, hamlet=cast.hamlet, name="Tổ Ngọc Lâm")
    TeamMember.objects.create(
        commune=cast.commune,
        team=team,
        full_name="Lê Văn A",
        position="member",
        body="youth",
        joined_on=month + timedelta(days=10),
    )
    Visit.objects.create(
        commune=cast.commune,
        resident=Resident.objects.get(pk=cast.neighbour.pk),
        volunteer=cast.volunteer,
        visited_on=month + timedelta(days=12),
        done="Cài VNeID",
        client_key=uuid.uuid4(),
    )
    data = consolidation(cast.commune, form, month)
    totals = {line.indicator.code: line.total for line in data.lines}
    assert totals["broadcasts"] == 2
    assert totals["scams"] == 1  # the dismissed one is not a scam
    assert totals["team_members_new"] == 1
    assert totals["visits"] == 1
    assert SOURCES["broadcasts"].by_hamlet(cast.commune, month, month_end(month)) == {
        cast.hamlet.pk: 2,
        cast.other_hamlet.pk: 2,
    }
    assert SOURCES["visits"].by_hamlet(cast.commune, month, month_end(month)) == {
        cast.other_hamlet.pk: 1
    }
    assert ReportValue.objects.count() == 0  # consolidating writes nothing
