"""Invented outreach activity for the demo: teams, sessions, attendance, skills, mentoring.

Idempotent: objects are found by name or fixed keys, so a second run adds nothing.
"""

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Resident, Role, User
from learning.models import Lesson
from outreach.mentoring import mentorship_start, visit_log
from outreach.models import Attendance, Mentorship, Session, SkillTick, Team
from outreach.services import attendance_record, skill_tick_record
from outreach.skills import SKILLS
from outreach.teams import member_add, session_create, team_create
from places.models import Organisation

_KEYS = uuid.UUID("6a1d2f0e-3c7b-4b1a-9e55-2d8f7c4a9b31")
MEMBER_NAMES = ["Hoàng Văn Tình", "Phan Thị Yến", "Lê Minh Quân", "Đậu Thị Hà", "Nguyễn Hữu Lộc"]
# Joined the teams in later months, one per team (with the two founders' names left over).
LATER_NAMES = [
    "Trần Văn Sáng",
    "Cao Thị Huệ",
    "Lương Đình Phúc",
    "Hồ Thị Nhàn",
    "Thái Văn Khiêm",
    "Nguyễn Thị Thắm",
    "Đinh Văn Toản",
    "Lê Thị Hòa",
    "Phạm Quang Vinh",
    "Võ Thị Lài",
]
BODIES = ["youth", "women", "farmers", "police", "hamlet_head"]
PLACES = ["Nhà văn hóa {}", "Sân nhà văn hóa {}", "Hội trường {}", "Nhà sinh hoạt cộng đồng {}"]
# What a volunteer did on successive visits to an elderly resident (done, next step).
VISIT_STEPS = [
    ("Cài Zalo, gọi video thử cho con ở xa.", "Kích hoạt VNeID mức độ 2 cùng công an xã."),
    ("Cùng công an xã kích hoạt VNeID mức độ 2.", "Tập đăng nhập VNeID, xem căn cước trên máy."),
    ("Tự đăng nhập VNeID được, đã nhớ mật khẩu.", "Mở tài khoản ngân hàng trên điện thoại."),
    ("Mở tài khoản ngân hàng, tập quét mã QR.", "Tự trả tiền điện tháng này bằng điện thoại."),
    ("Tự trả tiền điện bằng ứng dụng ngân hàng.", "Ôn cách nhận biết tin nhắn lừa đảo."),
    ("Ôn các kiểu lừa đảo, tự chặn một số lạ.", "Đặt lịch khám ở trạm y tế qua mạng."),
]


def month_start(today: date, months_back: int) -> date:
    """The first day of the month `months_back` months before today's month."""
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def decision_day(today: date) -> date:
    """The teams were set up mid-month, three months back: the demo's story starts there."""
    return month_start(today, 3) + timedelta(days=14)


KINDS = [Session.Kind.CULTURAL_HOUSE, Session.Kind.MEETING, Session.Kind.DOOR_TO_DOOR]


def _key(*parts) -> uuid.UUID:
    return uuid.uuid5(_KEYS, "-".join(str(p) for p in parts))


def demo_outreach_load(commune, seed: int = 793) -> dict:
    admin = User.objects.filter(commune=commune, role=Role.ADMIN).first()
    volunteers = {v.hamlet_id: v for v in User.objects.filter(commune=commune, role=Role.VOLUNTEER)}
    women = Organisation.objects.filter(commune=commune, name__startswith="Hội Liên hiệp").first()
    youth = Organisation.objects.filter(commune=commune, name__startswith="Đoàn").first()
    lessons = list(Lesson.objects.published().filter(commune=commune).order_by("topic", "order"))
    counts = {"teams": 0, "sessions": 0, "attendances": 0}
    today = timezone.localdate()
    founded = decision_day(today)
    for index, hamlet in enumerate(commune.hamlets.order_by("name")):
        # One generator per hamlet, drawn in the same order whatever already exists.
        rng = random.Random(f"{seed}-{index}")
        member_names = rng.sample(MEMBER_NAMES, 3)
        topic_picks = [rng.sample(lessons, min(2, len(lessons))) for _ in range(3)]
        team = Team.objects.filter(commune=commune, hamlet=hamlet).first()
        if team is None:
            team = team_create(
                actor=admin,
                commune=commune,
                hamlet=hamlet,
                decision_number=f"{215 + index}/QĐ-UBND",
                decision_date=founded,
            )
            counts["teams"] += 1
            volunteer = volunteers.get(hamlet.pk)
            people = [(volunteer.full_name, volunteer)] if volunteer else []
            people += [(name, None) for name in member_names]
            for position, (name, user) in enumerate(people):
                member_add(
                    actor=admin,
                    team=team,
                    full_name=name,
                    position=["leader", "deputy"][position] if position < 2 else "member",
                    body=BODIES[(index + position) % len(BODIES)],
                    joined_on=founded,
                    is_influencer=position == 3,
                    user=user,
                )
        # One newcomer per team in each month after the decision (none in the future).
        later = [n for n in MEMBER_NAMES if n not in member_names] + [LATER_NAMES[index]]
        for months_back, name in zip([2, 1, 0], later, strict=True):
            joined = min(month_start(today, months_back) + timedelta(days=3 + index * 2), today)
            if not team.members.filter(full_name=name).exists():
                member_add(
                    actor=admin,
                    team=team,
                    full_name=name,
                    position="member",
                    body=BODIES[(index + months_back) % len(BODIES)],
                    joined_on=joined,
                    is_influencer=False,
                    user=None,
                )
        residents = list(Resident.objects.active().filter(hamlet=hamlet).order_by("pk"))
        # Three past sessions and one upcoming per hamlet (the earliest drawn last, so the
        # random draws of the older three stay as they were).
        for number, days in enumerate([-40 - index, -12 - index, 5 + index, -75 - index]):
            place = PLACES[number].format(hamlet.name)
            starts = timezone.make_aware(
                datetime.combine(timezone.localdate() + timedelta(days=days), time(19, 30))
            )
            session = Session.objects.filter(hamlet=hamlet, place=place).first()
            if session is None:
                session = session_create(
                    actor=admin,
                    commune=commune,
                    hamlet=hamlet,
                    kind=KINDS[number % len(KINDS)],
                    place=place,
                    starts_at=starts,
                    organiser=women if (number + index) % 2 else youth,
                    trainers="Tổ công nghệ số cộng đồng " + hamlet.name,
                    audience=["middle", "elderly"],
                    planned_participants=25,
                    topics=topic_picks[number % len(topic_picks)],
                )
                counts["sessions"] += 1
            if days > 0:
                continue
            helper = volunteers.get(hamlet.pk) or admin
            for resident in residents:
                attends, practised = rng.random() < 0.45, rng.sample(list(SKILLS), 2)
                if not attends:
                    continue
                _, created = attendance_record(
                    session=session,
                    resident=resident,
                    method="list",
                    actor=helper,
                    client_key=_key("attend", session.pk, resident.pk),
                )
                counts["attendances"] += created
                for skill in practised:
                    skill_tick_record(
                        resident=resident,
                        skill=skill,
                        source=SkillTick.Source.VERIFIED,
                        actor=helper,
                        session=session,
                        client_key=_key("tick", session.pk, resident.pk, skill),
                    )
            # Recorded at the session, not when the demo was loaded.
            at_session = session.starts_at + timedelta(minutes=50)
            Attendance.objects.filter(session=session).update(created_at=at_session)
            SkillTick.objects.filter(session=session).update(recorded_at=at_session)
        volunteer = volunteers.get(hamlet.pk)
        if volunteer:
            elderly = [r for r in residents if r.is_elderly][:2]
            for number, resident in enumerate(elderly):
                mentorship, _ = mentorship_start(
                    actor=admin,
                    volunteer=volunteer,
                    resident=resident,
                    goals=["zalo", "vneid_level2", "payment"],
                )
                # Paired a few weeks after the team was set up; a visit every two to three
                # weeks since then, up to today.
                started = founded + timedelta(days=10 + index + 3 * number)
                if mentorship.started_on != started:
                    Mentorship.objects.filter(pk=mentorship.pk).update(started_on=started)
                visited, step = started + timedelta(days=2), 0
                while visited <= today:
                    done, next_step = VISIT_STEPS[min(step, len(VISIT_STEPS) - 1)]
                    visit_log(
                        volunteer=volunteer,
                        resident=resident,
                        done=done,
                        next_step=next_step,
                        client_key=_key("visit", resident.pk, *([step] if step else [])),
                        visited_on=visited,
                    )
                    visited += timedelta(days=14 + (index + step) % 8)
                    step += 1
    return counts
