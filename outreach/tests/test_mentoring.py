"""The skill checklist (verified and self-declared), visits, 1-1 mentoring and its reminders."""

import uuid
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Role
from accounts.services import staff_user_create
from outreach.mentoring import mentorship_start, overdue_mentees, visit_log
from outreach.models import Mentorship, SkillTick, Visit

ME_URL = "/toi/ky-nang/"
MENTORING_URL = "/can-bo/kem-cap/"
TODAY = timezone.localdate()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def checklist_url(resident) -> str:
    return f"/can-bo/nguoi-dan/{resident.pk}/ky-nang/"


def tick_form(skill: str, has_skill: bool = True, key=None) -> dict:
    return {
        "skill": skill,
        "has_skill": "1" if has_skill else "0",
        "client_key": key or uuid.uuid4(),
    }


def states(response) -> dict[str, tuple]:
    """skill -> (has skill, source) from the checklist page; None where nothing is recorded."""
    return {
        row.key: (row.tick.has_skill, row.tick.source) if row.tick else None
        for row in response.context["rows"]
    }


# -- Skill checklist ---------------------------------------------------------------------------


def test_the_checklist_lists_every_skill_with_nothing_recorded_yet(cast):
    response = logged_in(cast.volunteer).get(checklist_url(cast.resident))
    assert response.status_code == 200
    assert set(states(response).values()) == {None}
    assert len(states(response)) == 8
    assert "Chưa ghi nhận" in response.content.decode()


def test_a_volunteer_verifies_a_skill_with_date_and_name(cast):
    client = logged_in(cast.volunteer)
    response = client.post(checklist_url(cast.resident), tick_form("zalo"))
    assert response.status_code == 302
    page = client.get(checklist_url(cast.resident))
    assert states(page)["zalo"] == (True, SkillTick.Source.VERIFIED)
    row = next(r for r in page.context["rows"] if r.key == "zalo")
    assert row.tick.recorded_by == cast.volunteer
    html = page.content.decode()
    assert f"Tinhnguyen xác nhận · {TODAY:%d/%m/%Y}" in html
    assert AuditEntry.objects.filter(actor=cast.volunteer, target_id=str(cast.resident.pk)).exists()


def test_unticking_appends_a_no_and_keeps_the_history(cast):
    client = logged_in(cast.volunteer)
    client.post(checklist_url(cast.resident), tick_form("qr"))
    client.post(checklist_url(cast.resident), tick_form("qr", has_skill=False))
    assert states(client.get(checklist_url(cast.resident)))["qr"] == (False, "verified")
    assert list(
        SkillTick.objects.filter(resident=cast.resident).order_by("id").values_list("has_skill")
    ) == [(True,), (False,)]


def test_a_replayed_tick_is_counted_once(cast):
    client = logged_in(cast.volunteer)
    form = tick_form("vneid_level2")
    client.post(checklist_url(cast.resident), form)
    client.post(checklist_url(cast.resident), form)
    assert SkillTick.objects.filter(resident=cast.resident).count() == 1
    assert AuditEntry.objects.filter(after__has_key="kỹ năng:vneid_level2").count() == 1


def test_each_button_on_the_page_carries_its_own_key(cast):
    html = logged_in(cast.volunteer).get(checklist_url(cast.resident)).content.decode()
    keys = [part.split('"')[0] for part in html.split('name="client_key" value="')[1:]]
    assert len(keys) == 8 and len(set(keys)) == 8
    assert all(uuid.UUID(k) for k in keys)


def test_a_resident_self_declares_and_a_volunteer_can_then_verify(cast):
    me = logged_in(cast.resident.user)
    page = me.get(ME_URL)
    assert page.status_code == 200
    assert "Kỹ năng số của tôi" in page.content.decode()
    me.post(ME_URL, tick_form("payment"))
    assert states(me.get(ME_URL))["payment"] == (True, SkillTick.Source.SELF)
    assert not AuditEntry.objects.filter(after__has_key="kỹ năng:payment").exists()  # own data

    staff = logged_in(cast.volunteer)
    staff_page = staff.get(checklist_url(cast.resident))
    assert "Người dân tự khai" in staff_page.content.decode()
    row = next(r for r in staff_page.context["rows"] if r.key == "payment")
    assert row.has_skill and not row.verified  # so the "Xác nhận" button is still offered
    staff.post(checklist_url(cast.resident), tick_form("payment"))
    assert states(me.get(ME_URL))["payment"] == (True, SkillTick.Source.VERIFIED)


def test_a_resident_can_say_they_cannot_do_it_after_all(cast):
    me = logged_in(cast.resident.user)
    me.post(ME_URL, tick_form("sells_online"))
    me.post(ME_URL, tick_form("sells_online", has_skill=False))
    assert states(me.get(ME_URL))["sells_online"] == (False, SkillTick.Source.SELF)


def test_an_unknown_skill_records_nothing(cast):
    response = logged_in(cast.resident.user).post(ME_URL, tick_form("flying"), follow=True)
    assert "Không ghi được" in response.content.decode()
    assert not SkillTick.objects.exists()


def test_the_checklist_is_scoped_like_the_residents_themselves(cast):
    volunteer = logged_in(cast.volunteer)
    assert volunteer.get(checklist_url(cast.neighbour)).status_code == 404  # other hamlet
    assert volunteer.post(checklist_url(cast.resident2), tick_form("qr")).status_code == 404
    assert logged_in(cast.coordinator).get(checklist_url(cast.neighbour)).status_code == 200
    assert logged_in(cast.coordinator2).get(checklist_url(cast.resident)).status_code == 404
    assert logged_in(cast.officer).get(checklist_url(cast.resident)).status_code == 403
    assert logged_in(cast.resident.user).get(checklist_url(cast.resident)).status_code == 403
    assert logged_in(cast.volunteer).get(ME_URL).status_code == 403


# -- 1-1 mentoring -----------------------------------------------------------------------------


def start(cast, goals=("zalo", "qr"), volunteer=None) -> Mentorship:
    mentorship, _ = mentorship_start(
        actor=cast.coordinator,
        volunteer=volunteer or cast.volunteer,
        resident=cast.resident,
        goals=list(goals),
    )
    return mentorship


def backdate(mentorship: Mentorship, days: int) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(started_on=TODAY - timedelta(days=days))


def visit_on(mentorship: Mentorship, days_ago: int) -> Visit:
    visit, _ = visit_log(
        volunteer=mentorship.volunteer,
        resident=mentorship.resident,
        done="Luyện gọi video",
        client_key=uuid.uuid4(),
        visited_on=TODAY - timedelta(days=days_ago),
    )
    return visit


def test_a_volunteer_pairs_with_a_resident_and_goals_come_from_the_checklist(cast):
    client = logged_in(cast.volunteer)
    url = f"/can-bo/kem-cap/bat-dau/{cast.resident.pk}/"
    assert "volunteer" not in client.get(url).context["form"].fields
    response = client.post(url, {"goals": ["zalo", "public_service"]})
    mentorship = Mentorship.objects.get()
    assert response["Location"] == f"/can-bo/kem-cap/{mentorship.pk}/"
    assert (mentorship.volunteer, mentorship.goals) == (cast.volunteer, ["zalo", "public_service"])
    client.post(url, {"goals": ["qr"]})  # the same pair again: still one open mentorship
    assert Mentorship.objects.count() == 1
    assert client.post(url, {"goals": []}).context["form"].errors["goals"]


def test_a_coordinator_pairs_a_volunteer_of_the_residents_hamlet(cast):
    url = f"/can-bo/kem-cap/bat-dau/{cast.resident.pk}/"
    client = logged_in(cast.coordinator)
    form = client.get(url).context["form"]
    assert list(form.fields["volunteer"].queryset) == [cast.volunteer]
    client.post(url, {"volunteer": cast.volunteer.pk, "goals": ["qr"]})
    assert Mentorship.objects.get().volunteer == cast.volunteer


def test_a_visit_joins_the_mentorship_and_progress_shows_ticks_over_time(cast):
    mentorship = start(cast)
    client = logged_in(cast.volunteer)
    client.post(
        f"/can-bo/tham-nha/{cast.resident.pk}/",
        {"visited_on": TODAY.isoformat(), "done": "Cài Zalo", "client_key": uuid.uuid4()},
    )
    assert Visit.objects.get().mentorship == mentorship
    client.post(checklist_url(cast.resident), tick_form("zalo"))
    client.post(checklist_url(cast.resident), tick_form("smartphone"))
    page = client.get(f"/can-bo/kem-cap/{mentorship.pk}/")
    progress = page.context["progress"]
    assert progress["goals_met"] == 1
    assert [(e.tick.skill, e.is_goal) for e in progress["timeline"]] == [
        ("zalo", True),
        ("smartphone", False),
    ]
    assert "Mục tiêu: đạt 1/2" in page.content.decode()
    assert "Cài Zalo" in page.content.decode()


def test_a_visit_in_the_future_is_refused(cast):
    response = logged_in(cast.volunteer).post(
        f"/can-bo/tham-nha/{cast.resident.pk}/",
        {
            "visited_on": (TODAY + timedelta(days=2)).isoformat(),
            "done": "x",
            "client_key": uuid.uuid4(),
        },
    )
    assert response.context["form"].errors["visited_on"]
    assert not Visit.objects.exists()


def test_mentorships_are_visible_to_their_volunteer_and_the_commune_only(cast):
    mentorship = start(cast)
    other = staff_user_create(
        username="tn-khac",
        password="x",
        full_name="Tình nguyện khác",
        role=Role.VOLUNTEER,
        commune=cast.commune,
        hamlet=cast.hamlet,
    )
    url = f"/can-bo/kem-cap/{mentorship.pk}/"
    assert logged_in(cast.volunteer).get(url).status_code == 200
    assert logged_in(cast.coordinator).get(url).status_code == 200
    assert logged_in(other).get(url).status_code == 404
    assert logged_in(cast.coordinator2).get(url).status_code == 404
    assert logged_in(cast.leader).get(url).status_code == 403


def test_ending_a_mentorship(cast):
    mentorship = start(cast)
    logged_in(cast.volunteer).post(f"/can-bo/kem-cap/{mentorship.pk}/ket-thuc/")
    mentorship.refresh_from_db()
    assert mentorship.ended_on == TODAY
    assert overdue_mentees(cast.volunteer, today=TODAY + timedelta(days=100)) == []


def test_a_mentee_not_visited_for_the_reminder_days_is_shown_prominently(cast, settings):
    settings.MENTORING_REMINDER_DAYS = 14
    mentorship = start(cast)
    backdate(mentorship, 20)
    page = logged_in(cast.volunteer).get(MENTORING_URL)
    assert [m.resident for m in page.context["overdue"]] == [cast.resident]
    assert page.context["overdue"][0].days == 20
    html = page.content.decode()
    assert "Cần đến thăm" in html and "20 ngày chưa đến thăm" in html
    work = logged_in(cast.volunteer).get("/can-bo/viec-cua-toi/")
    assert "Lâu chưa đến thăm" in work.content.decode()


def test_a_recent_visit_clears_the_reminder_until_the_setting_says_otherwise(cast, settings):
    settings.MENTORING_REMINDER_DAYS = 14
    mentorship = start(cast)
    backdate(mentorship, 40)
    visit_on(mentorship, 10)
    assert overdue_mentees(cast.volunteer) == []
    settings.MENTORING_REMINDER_DAYS = 7
    assert [m.days for m in overdue_mentees(cast.volunteer)] == [10]
    settings.MENTORING_REMINDER_DAYS = 10
    assert len(overdue_mentees(cast.volunteer)) == 1  # exactly 10 days counts
    settings.MENTORING_REMINDER_DAYS = 11
    assert overdue_mentees(cast.volunteer) == []


def test_a_fresh_pairing_is_not_overdue(cast, settings):
    settings.MENTORING_REMINDER_DAYS = 14
    start(cast)
    assert overdue_mentees(cast.volunteer) == []


def test_the_reminder_command_prints_overdue_pairs_per_volunteer(cast, settings):
    settings.MENTORING_REMINDER_DAYS = 14
    out = StringIO()
    call_command("mentoring_reminders", stdout=out)
    assert "Không có ai quá 14 ngày" in out.getvalue()
    backdate(start(cast), 15)
    out = StringIO()
    call_command("mentoring_reminders", stdout=out)
    assert "Tinhnguyen (tinhnguyen): 1 người cần đến thăm" in out.getvalue()
    assert "Nguyễn Thị Lành, Xóm Ngọc Lâm: 15 ngày chưa thăm lần nào" in out.getvalue()
    out = StringIO()
    call_command("mentoring_reminders", commune=cast.commune2.code, stdout=out)
    assert "Không có ai" in out.getvalue()
