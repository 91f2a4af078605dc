"""Invented learning activity for the demo: lessons passed alone or with a volunteer."""

import random
import uuid
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from accounts.models import Purpose, Resident, Role, User
from accounts.selectors import granted_purposes
from demo.outreach import decision_day
from learning.models import Attempt, Certificate, Lesson
from learning.services import attempt_submit, external_course_confirm, external_course_declare

_KEYS = uuid.UUID("0f7d6c1a-9a43-4c65-8a63-3d8b1c2e5f70")
COURSES = ["Kỹ năng số cơ bản cho mọi người", "An toàn thông tin cho người dân"]


def demo_learning_load(commune, seed: int = 46) -> int:
    """Idempotent: every attempt has a fixed key, so a second run adds nothing."""
    rng = random.Random(seed)
    lessons = list(Lesson.objects.published().filter(commune=commune).order_by("topic", "order"))
    if not lessons:
        return 0
    volunteers = {v.hamlet_id: v for v in User.objects.filter(role=Role.VOLUNTEER, commune=commune)}
    answers = {lesson.pk: {q.pk: q.answer for q in lesson.questions.all()} for lesson in lessons}
    before = Attempt.objects.filter(commune=commune).count()
    residents = Resident.objects.active().filter(commune=commune).order_by("pk")
    # Lessons were passed from the day the teams were set up (the demo's story) up to today.
    span = (timezone.localdate() - decision_day(timezone.localdate())).days
    for resident in residents:
        if rng.random() > 0.45 or Purpose.LEARNING not in granted_purposes(resident):
            continue
        start = rng.randrange(len(lessons))
        count = rng.randint(1, 8)
        helper = volunteers.get(resident.hamlet_id) if resident.is_elderly else None
        for offset in range(count):
            lesson = lessons[(start + offset) % len(lessons)]
            with_helper, days = rng.random() < 0.7, rng.randint(0, 120)
            attempt = attempt_submit(
                lesson=lesson,
                answers=answers[lesson.pk],
                client_key=uuid.uuid5(_KEYS, f"{resident.pk}-{lesson.slug}"),
                resident=resident,
                assisted_by=helper if helper and with_helper else None,
            )
            if attempt.created_at > timezone.now() - timedelta(minutes=5):  # just made: backdate
                Attempt.objects.filter(pk=attempt.pk).update(
                    created_at=timezone.now() - timedelta(days=days * span // 120)
                )
        # Draw every random number whatever the database holds, so reruns stay in step.
        declares, title, days, confirms = (
            rng.random() < 0.15,
            rng.choice(COURSES),
            rng.randint(1, 60),
            rng.random() < 0.6,
        )
        if declares:
            course = external_course_declare(
                resident=resident,
                title=title,
                completed_on=timezone.localdate() - timedelta(days=days),
            )
            helper = volunteers.get(resident.hamlet_id)
            if helper and confirms and course.confirmed_at is None:
                external_course_confirm(course=course, actor=helper)
    _certificates_backdate(commune)
    return Attempt.objects.filter(commune=commune).count() - before


def _certificates_backdate(commune) -> None:
    """A certificate is issued when its topic's last lesson is passed: the attempts were just
    backdated over the past months, so date each new certificate a little after that pass."""
    now = timezone.now()
    fresh = Certificate.objects.filter(commune=commune, issued_at__gt=now - timedelta(minutes=5))
    for certificate in fresh:
        last_pass = Attempt.objects.filter(
            resident_id=certificate.resident_id, passed=True, lesson__topic=certificate.topic
        ).aggregate(last=Max("created_at"))["last"]
        if last_pass is not None:
            issued = min(last_pass + timedelta(minutes=2 + certificate.pk % 50), now)
            Certificate.objects.filter(pk=certificate.pk).update(issued_at=issued)
