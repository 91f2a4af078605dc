"""Reads for learning: what a learner sees, their progress, and staff statistics."""

from dataclasses import dataclass

from django.db.models import QuerySet
from markdown_it import MarkdownIt

from accounts.models import Resident
from learning.content import GOALS, TOPICS, ContentError, parse_steps
from learning.models import Attempt, Certificate, Lesson, LessonImage
from lib.vntext import fold
from places.models import Commune

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@dataclass
class StepView:
    number: int
    title: str
    image: str
    image_alt: str
    body: str  # Markdown source, for audio
    html: str
    phone_only: bool


def render_markdown(text: str) -> str:
    return _markdown.render(text)


def lesson_steps(lesson: Lesson) -> list[StepView]:
    names = set(
        LessonImage.objects.filter(commune_id=lesson.commune_id).values_list("name", flat=True)
    )
    try:
        steps = parse_steps(lesson.body.splitlines(), image_exists=names.__contains__)
    except ContentError:
        return []
    return [
        StepView(n, s.title, s.image, s.image_alt, s.body, render_markdown(s.body), s.phone_only)
        for n, s in enumerate(steps, 1)
    ]


def published_lessons(commune: Commune) -> QuerySet[Lesson]:
    return Lesson.objects.published().filter(commune=commune).defer("audio", "body", "search_text")


def lessons_search(commune: Commune, query: str) -> QuerySet[Lesson]:
    """Every word must appear, diacritics ignored: "dang ky khai sinh" finds "Đăng ký khai sinh"."""
    lessons = published_lessons(commune)
    for word in fold(query).split()[:10]:
        lessons = lessons.filter(search_text__contains=word)
    return lessons


def lessons_by_topic(lessons) -> list[tuple[str, str, list[Lesson]]]:
    groups: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        groups.setdefault(lesson.topic, []).append(lesson)
    return [(key, title, groups[key]) for key, title in TOPICS.items() if key in groups]


def goals_with_lessons(commune: Commune) -> list[tuple[str, str]]:
    present = set(published_lessons(commune).values_list("goal", flat=True))
    return [(key, label) for key, label in GOALS.items() if key in present]


def learner_attempts(*, resident: Resident | None, device: str) -> QuerySet[Attempt]:
    if resident is not None:
        return Attempt.objects.filter(resident=resident)
    if device:
        return Attempt.objects.filter(device=device, resident__isnull=True)
    return Attempt.objects.none()


def passed_lesson_ids(*, resident: Resident | None, device: str) -> set[int]:
    attempts = learner_attempts(resident=resident, device=device).filter(passed=True)
    return set(attempts.values_list("lesson_id", flat=True))


def next_lesson(lesson: Lesson, passed: set[int]) -> Lesson | None:
    """The next unfinished lesson: later in the same topic first, then any other."""
    candidates = [
        other
        for other in published_lessons(Commune(pk=lesson.commune_id)).order_by("topic", "order")
        if other.pk != lesson.pk and other.pk not in passed
    ]
    same_topic = [c for c in candidates if c.topic == lesson.topic]
    later = [c for c in same_topic if (c.order, c.title) > (lesson.order, lesson.title)]
    return (later or same_topic or candidates or [None])[0]


def certificates_of(resident: Resident) -> QuerySet[Certificate]:
    return Certificate.objects.filter(resident=resident).order_by("-issued_at")
