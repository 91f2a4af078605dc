"""The coordinator's lesson editor: scoped reads, then the writes (save, publish, images).

Lessons edited here are marked edited_by_staff, so reloading the shipped content never
overwrites them. Edits never touch Attempt rows: a resident who passed a lesson keeps it.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record, snapshot
from learning.content import NEEDS_SAFETY, ContentError, parse_steps
from learning.images import webp_from_upload
from learning.models import Lesson, LessonImage, Question
from learning.selectors import StepView, render_markdown
from learning.services import image_store, lesson_audio_request, lesson_search_text
from lib.vntext import fold
from places.models import Commune

EDITORS = (Role.ADMIN, Role.COORDINATOR)
LESSON_FIELDS = [
    "title",
    "topic",
    "goal",
    "domain",
    "level",
    "minutes",
    "summary",
    "why",
    "practice",
    "safety",
    "body",
]
SPOKEN_FIELDS = ["title", "why", "body", "practice", "safety"]  # what the audio reads
SLUG_MAX = 70  # leaves room for a "-12" suffix inside the 80 characters of Lesson.slug


# Reads: every lesson or image the editor shows comes through these ----------------------


def lessons_for_editor(user: User) -> QuerySet[Lesson]:
    """Lessons of the user's own commune, drafts included; nothing for other roles."""
    if user.role not in EDITORS or not user.commune_id:
        return Lesson.objects.none()
    return Lesson.objects.filter(commune_id=user.commune_id)


def get_lesson_for_editor(user: User, lesson_id: int) -> Lesson:
    return get_object_or_404(lessons_for_editor(user).defer("audio"), pk=lesson_id)


def images_for_editor(user: User) -> QuerySet[LessonImage]:
    if user.role not in EDITORS or not user.commune_id:
        return LessonImage.objects.none()
    return LessonImage.objects.filter(commune_id=user.commune_id).defer("data").order_by("name")


def _image_names(commune_id: int) -> set[str]:
    return set(LessonImage.objects.filter(commune_id=commune_id).values_list("name", flat=True))


def body_preview(*, commune_id: int, body: str) -> tuple[list[StepView], str]:
    """(steps as a learner will see them, "") or ([], the Vietnamese error with its line)."""
    names = _image_names(commune_id)
    try:
        steps = parse_steps(body.splitlines(), image_exists=names.__contains__)
    except ContentError as exc:
        return [], f"Dòng {exc.line}: {exc.message}"
    return [
        StepView(n, s.title, s.image, s.image_alt, s.body, render_markdown(s.body), s.phone_only)
        for n, s in enumerate(steps, 1)
    ], ""


# Writes ----------------------------------------------------------------------------------


def _normalized_body(body: str) -> str:
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip() + "\n"


def _check_body(*, commune_id: int, body: str) -> None:
    """Raise ValidationError on the body field, with the line the coordinator must fix."""
    names = _image_names(commune_id)
    try:
        parse_steps(body.splitlines(), image_exists=names.__contains__)
    except ContentError as exc:
        raise ValidationError(
            {
                "body": ValidationError(
                    "Dòng %(line)s: %(message)s",
                    code="content",
                    params={"line": exc.line, "message": exc.message},
                )
            }
        ) from None


def _check_questions(questions: list[dict]) -> None:
    if not 2 <= len(questions) <= 3:
        raise ValidationError("Mỗi bài cần 2 hoặc 3 câu hỏi kiểm tra.", code="questions")
    for number, q in enumerate(questions, 1):
        options = q["options"]
        if not 3 <= len(options) <= 4 or not all(o.strip() for o in options):
            raise ValidationError(
                f"Câu hỏi {number} cần 3 hoặc 4 lựa chọn, không để trống.", code="questions"
            )
        if not 0 <= q["answer"] < len(options):
            raise ValidationError(f"Câu hỏi {number}: hãy chọn đáp án đúng.", code="questions")
        if not q["text"].strip() or not q["explanation"].strip():
            raise ValidationError(
                f"Câu hỏi {number} cần cả câu hỏi và lời giải thích.", code="questions"
            )


def _unique_slug(commune: Commune, title: str) -> str:
    base = slugify(fold(title))[:SLUG_MAX].strip("-") or "bai-hoc"
    taken = set(
        Lesson.objects.filter(commune=commune, slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _question_rows(lesson: Lesson) -> list[dict]:
    return [
        {"text": q.text, "options": q.options, "answer": q.answer, "explanation": q.explanation}
        for q in lesson.questions.all()
    ]


def _questions_replace(lesson: Lesson, questions: list[dict]) -> None:
    """Rewrite questions in place by position, so a page a learner has open still submits."""
    existing = list(lesson.questions.all())
    for position, q in enumerate(questions):
        row = (
            existing[position]
            if position < len(existing)
            else Question(lesson=lesson, commune_id=lesson.commune_id)
        )
        row.position = position
        row.text, row.options = q["text"].strip(), [o.strip() for o in q["options"]]
        row.answer, row.explanation = q["answer"], q["explanation"].strip()
        row.save()
    Question.objects.filter(pk__in=[q.pk for q in existing[len(questions) :]]).delete()


@transaction.atomic
def lesson_save(
    *,
    actor: User,
    commune: Commune,
    lesson: Lesson | None = None,
    data: dict,
    questions: list[dict],
) -> Lesson:
    """Create a draft lesson or save an edit; all or nothing.

    Raises ValidationError (Vietnamese; body errors carry the line) and writes nothing then.
    """
    if lesson is not None and lesson.commune_id != commune.pk:
        raise ValueError("the lesson belongs to another commune")
    data = {name: data[name] for name in LESSON_FIELDS}
    data["body"] = _normalized_body(data["body"])
    for name in ("title", "summary", "why", "practice", "safety"):
        data[name] = data[name].strip()
    if data["topic"] in NEEDS_SAFETY and not data["safety"]:
        raise ValidationError(
            {"safety": "Bài về tiền, giấy tờ hay dữ liệu cá nhân cần có lời khuyên an toàn."}
        )
    _check_body(commune_id=commune.pk, body=data["body"])
    _check_questions(questions)

    is_new = lesson is None
    if is_new:
        lesson = Lesson(commune=commune, slug=_unique_slug(commune, data["title"]))
        before, questions_before = {}, []
    else:
        before, questions_before = snapshot(lesson, LESSON_FIELDS), _question_rows(lesson)
    spoken_before = snapshot(lesson, SPOKEN_FIELDS)
    for name, value in data.items():
        setattr(lesson, name, value)
    after = snapshot(lesson, LESSON_FIELDS)
    changed = [name for name in LESSON_FIELDS if before.get(name) != after[name]]
    questions_changed = questions_before != [
        {
            "text": q["text"].strip(),
            "options": [o.strip() for o in q["options"]],
            "answer": q["answer"],
            "explanation": q["explanation"].strip(),
        }
        for q in questions
    ]
    if not is_new and not changed and not questions_changed:
        return lesson  # nothing to write: a shipped lesson stays a shipped lesson

    lesson.edited_by_staff = True
    lesson.search_text = lesson_search_text(lesson)
    spoken_changed = snapshot(lesson, SPOKEN_FIELDS) != spoken_before
    stale_audio = not is_new and spoken_changed and lesson.status != Lesson.Status.PUBLISHED
    if stale_audio:
        # A draft's audio is made again when it is published; a newer version also makes
        # any audio task still queued for the old text give up.
        lesson.audio, lesson.audio_note = None, ""
        lesson.audio_status = Lesson.AudioStatus.NONE
        lesson.audio_version += 1
    if is_new:
        lesson.save()
    else:
        fields = [*changed, "edited_by_staff", "search_text", "updated_at"]
        if stale_audio:
            fields += ["audio", "audio_note", "audio_status", "audio_version"]
        lesson.save(update_fields=fields)
    if questions_changed:
        _questions_replace(lesson, questions)

    changes_after = {name: after[name] for name in changed}
    if questions_changed:
        changes_after["questions"] = [q["text"] for q in questions]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if is_new else AuditEntry.Action.UPDATE,
        target=lesson,
        before=None if is_new else {name: before[name] for name in changed},
        after=changes_after,
    )
    if spoken_changed and lesson.status == Lesson.Status.PUBLISHED:
        lesson_audio_request(lesson=lesson)
    return lesson


@transaction.atomic
def lesson_publish(*, actor: User, lesson: Lesson) -> None:
    """Show the lesson to residents; its read-aloud audio is made if it has none yet."""
    if lesson.status == Lesson.Status.PUBLISHED:
        return
    _check_body(commune_id=lesson.commune_id, body=lesson.body)
    if not 2 <= lesson.questions.count() <= 3:
        raise ValidationError("Mỗi bài cần 2 hoặc 3 câu hỏi kiểm tra.", code="questions")
    lesson.status = Lesson.Status.PUBLISHED
    lesson.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=lesson,
        before={"status": Lesson.Status.DRAFT},
        after={"status": Lesson.Status.PUBLISHED},
    )
    if lesson.audio_status != Lesson.AudioStatus.READY:
        lesson_audio_request(lesson=lesson)


@transaction.atomic
def lesson_unpublish(*, actor: User, lesson: Lesson) -> None:
    """Hide the lesson from residents. Their attempts and certificates are kept."""
    if lesson.status == Lesson.Status.DRAFT:
        return
    lesson.status = Lesson.Status.DRAFT
    lesson.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=lesson,
        before={"status": Lesson.Status.PUBLISHED},
        after={"status": Lesson.Status.DRAFT},
    )


def lesson_image_upload(*, actor: User, commune: Commune, uploaded_file) -> LessonImage:
    """Store an uploaded picture as a small WebP named after the file, e.g. zalo-mo-a1b2c3d4.webp.

    The same picture uploaded twice keeps one row (the name ends with its content hash).
    """
    cap = settings.LESSON_UPLOAD_MAX_BYTES
    limit = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KB"
    too_big = ValidationError(
        f"Tệp quá lớn. Mỗi ảnh tải lên tối đa {limit}; hãy chọn ảnh nhỏ hơn hoặc chụp lại.",
        code="upload_too_big",
    )
    if uploaded_file.size is None or uploaded_file.size > cap:
        raise too_big
    data = uploaded_file.read(cap + 1)
    if len(data) > cap:  # the declared size was wrong
        raise too_big
    webp = webp_from_upload(data)
    stem = slugify(fold(Path(uploaded_file.name or "").stem))[:40].strip("-_") or "anh"
    name = f"{stem}-{hashlib.sha256(webp).hexdigest()[:8]}.webp"
    with transaction.atomic():
        image = image_store(commune=commune, name=name, data=webp, content_type="image/webp")
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=image,
            after={"ảnh bài học": name, "dung lượng": len(webp)},
        )
    return image
