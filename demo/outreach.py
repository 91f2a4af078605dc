"""Invented outreach activity for the demo: teams, sessions, attendance, skills, mentoring.

Idempotent: objects are found by name or fixed keys, so a second run adds nothing.
"""

import random
import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Resident, Role, User
from learning.models import Lesson
from outreach.mentoring import mentorship_start, visit_log
from outreach.models import Session, SkillTick, Team
from outreach.services import attendance_record, skill_tick_record
from outreach.skills import SKILLS
from outreach.teams import member_add, session_create, team_create
from places.models import Organisation

_KEYS = uuid.UUID("6a1d2f0e-3c7b-4b1a-9e55-2d8f7c4a9b31")
MEMBER_NAMES = ["Hoàng Văn Tình", "Phan Thị Yến", "Lê Minh Quân", "Đậu Thị Hà", "Nguyễn Hữu Lộc"]
BODIES = ["youth", "women", "farmers", "police", "hamlet_head"]
PLACES = ["Nhà văn hóa {}", "Sân nhà văn hóa {}", "Hội trường {}"]
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
    decision_day = timezone.localdate().replace(month=8, day=15)
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
                decision_date=decision_day,
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
                    joined_on=decision_day,
                    is_influencer=position == 3,
                    user=user,
                )
        residents = list(Resident.objects.active().filter(hamlet=hamlet).order_by("pk"))
        # Two past sessions and one upcoming per hamlet.
        for number, days in enumerate([-40 - index, -12 - index, 5 + index]):
            place = PLACES[number % len(PLACES)].format(hamlet.name)
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
                    organiser=women if number % 2 else youth,
                    trainers="Tổ công nghệ số cộng đồng " + hamlet.name,
                    audience=["middle", "elderly"],
                    planned_participants=25,
                    topics=topic_picks[number],
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
        volunteer = volunteers.get(hamlet.pk)
        if volunteer:
            elderly = [r for r in residents if r.is_elderly][:2]
            for resident in elderly:
                mentorship_start(
                    actor=admin,
                    volunteer=volunteer,
                    resident=resident,
                    goals=["zalo", "vneid_level2"],
                )
                visit_log(
                    volunteer=volunteer,
                    resident=resident,
                    done="Cài Zalo, gọi video thử cho con ở xa.",
                    next_step="Hướng dẫn kích hoạt VNeID mức độ 2 cùng công an xã.",
                    client_key=_key("visit", resident.pk),
                    visited_on=timezone.localdate() - timedelta(days=20),
                )
    return counts
