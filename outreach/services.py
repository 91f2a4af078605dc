"""Writes shared by every outreach screen: attendance and skill ticks, both idempotent."""

import uuid

from django.db import IntegrityError, transaction

from accounts.models import Resident, User
from outreach.models import Attendance, Session, SkillTick
from outreach.skills import SKILLS


def attendance_record(
    *, session: Session, resident: Resident, method: str, actor: User, client_key: uuid.UUID
) -> tuple[Attendance, bool]:
    """(attendance, created). A replayed key or a second tick of the same person changes nothing."""
    if done := Attendance.objects.filter(client_key=client_key).first():
        return done, False
    if done := Attendance.objects.filter(session=session, resident=resident).first():
        return done, False
    if resident.commune_id != session.commune_id:
        raise ValueError("resident and session belong to different communes")
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                commune_id=session.commune_id,
                session=session,
                resident=resident,
                method=method,
                recorded_by=actor,
                client_key=client_key,
            )
    except IntegrityError:  # the same record arrived twice at once
        return Attendance.objects.get(session=session, resident=resident), False
    return attendance, True


def skill_tick_record(
    *,
    resident: Resident,
    skill: str,
    source: str,
    actor: User | None,
    client_key: uuid.UUID,
    has_skill: bool = True,
    session: Session | None = None,
) -> SkillTick:
    if skill not in SKILLS:
        raise ValueError(f"unknown skill {skill}")
    if done := SkillTick.objects.filter(client_key=client_key).first():
        return done
    try:
        with transaction.atomic():
            return SkillTick.objects.create(
                commune_id=resident.commune_id,
                resident=resident,
                skill=skill,
                has_skill=has_skill,
                source=source,
                recorded_by=actor,
                session=session,
                client_key=client_key,
            )
    except IntegrityError:
        return SkillTick.objects.get(client_key=client_key)
