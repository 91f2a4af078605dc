"""Writes for learning: loading content, answering check questions, certificates."""

import hashlib
import secrets
import uuid
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose, Resident, User
from accounts.selectors import granted_purposes
from accounts.services import audit_record, consent_set
from learning.content import LessonSpec, body_of, parse_directory
from learning.models import Attempt, Certificate, ExternalCourse, Lesson, LessonImage, Question
from lib.vntext import fold
from places.models import Commune

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "lessons"
IMAGE_TYPES = {".svg": "image/svg+xml", ".webp": "image/webp", ".png": "image/png"}


def lesson_search_text(lesson: Lesson) -> str:
    return fold(" ".join([lesson.title, lesson.summary, lesson.get_topic_display(), lesson.body]))


def image_store(*, commune: Commune, name: str, data: bytes, content_type: str) -> LessonImage:
    digest = hashlib.sha256(data).hexdigest()[:16]
    image, _ = LessonImage.objects.update_or_create(
        commune=commune,
        name=name,
        defaults={"data": data, "content_type": content_type, "digest": digest},
    )
    return image


def _apply_spec(lesson: Lesson, spec: LessonSpec, body: str) -> None:
    for name in ("title", "topic", "goal", "domain", "level", "minutes", "order", "summary"):
        setattr(lesson, name, getattr(spec, name))
    lesson.why, lesson.practice, lesson.safety = spec.why, spec.practice, spec.safety
    lesson.body = body
    lesson.search_text = lesson_search_text(lesson)


def _spoken_fields(lesson: Lesson) -> tuple:
    return (lesson.title, lesson.why, lesson.body, lesson.practice, lesson.safety)


@transaction.atomic
def lessons_load(*, commune: Commune, directory: Path = CONTENT_DIR) -> tuple[int, int]:
    """Load shipped lessons into a commune, all or nothing. Lessons staff edited are kept.

    Raises ContentError (file and line) before writing anything if any file is malformed.
    """
    specs = parse_directory(directory)
    created = updated = 0
    images = {name for spec in specs for name in (s.image for s in spec.steps)}
    for name in sorted(images):
        path = directory / "images" / name
        image_store(
            commune=commune,
            name=name,
            data=path.read_bytes(),
            content_type=IMAGE_TYPES.get(path.suffix, "application/octet-stream"),
        )
    for spec in specs:
        lesson = Lesson.objects.filter(commune=commune, slug=spec.slug).first()
        if lesson is not None and lesson.edited_by_staff:
            continue
        is_new = lesson is None
        lesson = lesson or Lesson(commune=commune, slug=spec.slug, status=Lesson.Status.PUBLISHED)
        spoken_before = _spoken_fields(lesson)
        _apply_spec(lesson, spec, body_of(directory / f"{spec.slug}.md"))
        lesson.save()
        if is_new or _spoken_fields(lesson) != spoken_before:
            lesson_audio_request(lesson=lesson)
        lesson.questions.all().delete()
        Question.objects.bulk_create(
            Question(
                commune=commune,
                lesson=lesson,
                position=i,
                text=q.text,
                options=q.options,
                answer=q.answer,
                explanation=q.explanation,
            )
            for i, q in enumerate(spec.questions)
        )
        created += is_new
        updated += not is_new
    return created, updated


def lesson_audio_request(*, lesson: Lesson) -> None:
    """Make (again) the read-aloud audio of a published lesson, in the background."""
    if lesson.status != Lesson.Status.PUBLISHED:
        return
    from learning.tasks import lesson_audio_generate

    version = lesson.audio_version + 1
    Lesson.objects.filter(pk=lesson.pk).update(
        audio_version=version, audio_status=Lesson.AudioStatus.PENDING, audio_note=""
    )
    lesson.audio_version, lesson.audio_status = version, Lesson.AudioStatus.PENDING
    transaction.on_commit(lambda: lesson_audio_generate.enqueue(lesson.pk, version))


def grade(lesson: Lesson, answers: dict[int, int]) -> tuple[int, int]:
    """(correct, total) for answers keyed by question id."""
    questions = list(lesson.questions.all())
    correct = sum(1 for q in questions if answers.get(q.pk) == q.answer)
    return correct, len(questions)


def attempt_submit(
    *,
    lesson: Lesson,
    answers: dict[int, int],
    client_key: uuid.UUID,
    resident: Resident | None = None,
    device: str = "",
    assisted_by: User | None = None,
) -> Attempt:
    """Record one submission of a lesson's check questions. A replayed key returns the first.

    A resident's attempt is kept under their name only with consent for learning records;
    otherwise it stays with the anonymous device code.
    """
    if done := Attempt.objects.filter(client_key=client_key).first():
        if done.lesson_id == lesson.pk:
            return done
        client_key = uuid.uuid4()  # a key reused for another lesson is not a replay
    if resident is not None and Purpose.LEARNING not in granted_purposes(resident):
        resident = None
    correct, total = grade(lesson, answers)
    attempt = Attempt(
        commune_id=lesson.commune_id,
        lesson=lesson,
        resident=resident,
        device=device if resident is None else "",
        answers={str(k): v for k, v in answers.items()},
        correct=correct,
        total=total,
        passed=total > 0 and correct == total,
        assisted_by=assisted_by,
        client_key=client_key,
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # the same key arrived twice at once
        return Attempt.objects.get(client_key=client_key)
    if attempt.passed and resident is not None:
        certificate_issue_if_complete(resident=resident, topic=lesson.topic)
    return attempt


@transaction.atomic
def assisted_completion_record(
    *, volunteer: User, resident: Resident, lesson: Lesson, consent_given_now: bool
) -> Attempt:
    """A volunteer went through a lesson with a resident ("có hỗ trợ")."""
    if consent_given_now and Purpose.LEARNING not in granted_purposes(resident):
        consent_set(
            resident=resident,
            purpose=Purpose.LEARNING,
            granted=True,
            actor=volunteer,
            method=Consent.Method.ASSISTED,
        )
    answers = {q.pk: q.answer for q in lesson.questions.all()}
    attempt = attempt_submit(
        lesson=lesson,
        answers=answers,
        client_key=uuid.uuid4(),
        resident=resident,
        assisted_by=volunteer,
    )
    audit_record(
        actor=volunteer,
        action=AuditEntry.Action.CREATE,
        target=resident,
        after={"học có hỗ trợ": lesson.title},
    )
    return attempt


def device_attempts_attach(*, resident: Resident, device: str) -> int:
    """Give a resident the progress they made on this phone before logging in."""
    if not device or Purpose.LEARNING not in granted_purposes(resident):
        return 0
    attached = Attempt.objects.filter(
        device=device, resident__isnull=True, commune_id=resident.commune_id
    ).update(resident=resident, device="")
    if attached:
        for topic in set(
            Attempt.objects.filter(resident=resident, passed=True).values_list(
                "lesson__topic", flat=True
            )
        ):
            certificate_issue_if_complete(resident=resident, topic=topic)
    return attached


def certificate_issue_if_complete(*, resident: Resident, topic: str) -> Certificate | None:
    """Issue the topic's certificate once every published lesson of it has been passed."""
    lessons = set(
        Lesson.objects.published()
        .filter(commune_id=resident.commune_id, topic=topic)
        .values_list("pk", flat=True)
    )
    passed = Attempt.objects.filter(resident=resident, passed=True, lesson__topic=topic)
    done = set(passed.values_list("lesson_id", flat=True))
    if not lessons or not lessons <= done:
        return None
    assisted = passed.filter(assisted_by__isnull=False).exists()
    try:
        with transaction.atomic():
            certificate, _ = Certificate.objects.get_or_create(
                resident=resident,
                topic=topic,
                defaults={
                    "commune_id": resident.commune_id,
                    "code": secrets.token_hex(5).upper(),
                    "assisted": assisted,
                },
            )
    except IntegrityError:
        certificate = Certificate.objects.get(resident=resident, topic=topic)
    return certificate


def certificate_revoke(*, certificate: Certificate, actor: User, reason: str) -> None:
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason[:200]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=certificate.resident,
        after={"thu hồi chứng nhận": certificate.code, "lý do": reason},
    )


def external_course_declare(*, resident: Resident, title: str, completed_on) -> ExternalCourse:
    course, _ = ExternalCourse.objects.get_or_create(
        resident=resident,
        title=title.strip(),
        defaults={"commune_id": resident.commune_id, "completed_on": completed_on},
    )
    return course


def external_course_confirm(*, course: ExternalCourse, actor: User) -> None:
    course.confirmed_by = actor
    course.confirmed_at = timezone.now()
    course.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=course.resident,
        after={"xác nhận khóa học quốc gia": course.title},
    )
