"""Reads shared by outreach screens."""

from accounts.models import Resident
from outreach.models import SkillTick
from outreach.skills import SKILLS


def current_skills(resident: Resident) -> dict[str, SkillTick | None]:
    """The latest observation per skill (None: never recorded)."""
    latest: dict[str, SkillTick | None] = dict.fromkeys(SKILLS)
    for tick in resident.skill_ticks.order_by("-recorded_at", "-id"):
        if latest[tick.skill] is None:
            latest[tick.skill] = tick
    return latest
