"""Reads for learning: what a learner sees, their progress, and staff statistics."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from markdown_it import MarkdownIt

from accounts.access import residents_for_user
from accounts.models import Resident
from learning.content import GOALS, TOPICS, ContentError, parse_steps
from learning.models import Attempt, Certificate, ExternalCourse, Lesson, LessonImage
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


AGE_BANDS = [
    (0, 29, "Dưới 30"),
    (30, 44, "30–44"),
    (45, 59, "45–59"),
    (60, 69, "60–69"),
    (70, 200, "Từ 70 trở lên"),
]


def age_band(birth_year: int, this_year: int) -> str:
    age = this_year - birth_year
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def learning_stats(commune: Commune) -> dict:
    """Learners, completions (self and assisted), certificates by topic, hamlet, age and sex.

    A completion is one learner passing one lesson; it counts as assisted when the learner
    only ever passed that lesson with a volunteer beside them.
    """
    this_year = timezone.localdate().year
    pairs: dict[tuple, dict] = {}
    for row in Attempt.objects.filter(commune=commune, passed=True).values(
        "lesson_id",
        "lesson__topic",
        "resident_id",
        "device",
        "assisted_by_id",
        "resident__hamlet__name",
        "resident__birth_year",
        "resident__sex",
    ):
        key = (row["resident_id"] or f"device:{row['device']}", row["lesson_id"])
        pair = pairs.setdefault(key, {**row, "assisted": True})
        pair["assisted"] = pair["assisted"] and row["assisted_by_id"] is not None

    def blank():
        return {"learners": set(), "self": 0, "assisted": 0, "certificates": 0}

    by = {"topic": {}, "hamlet": {}, "age": {}, "sex": {}}
    anonymous = 0
    for (learner, _), pair in pairs.items():
        if pair["resident_id"] is None:
            anonymous += 1
            continue
        keys = {
            "topic": TOPICS.get(pair["lesson__topic"], pair["lesson__topic"]),
            "hamlet": pair["resident__hamlet__name"],
            "age": age_band(pair["resident__birth_year"], this_year),
            "sex": "Nam" if pair["resident__sex"] == "nam" else "Nữ",
        }
        for dimension, label in keys.items():
            cell = by[dimension].setdefault(label, blank())
            cell["learners"].add(learner)
            cell["assisted" if pair["assisted"] else "self"] += 1
    certificates = Certificate.objects.filter(commune=commune, revoked_at__isnull=True).values(
        "topic", "resident__hamlet__name", "resident__birth_year", "resident__sex"
    )
    for c in certificates:
        keys = {
            "topic": TOPICS.get(c["topic"], c["topic"]),
            "hamlet": c["resident__hamlet__name"],
            "age": age_band(c["resident__birth_year"], this_year),
            "sex": "Nam" if c["resident__sex"] == "nam" else "Nữ",
        }
        for dimension, label in keys.items():
            by[dimension].setdefault(label, blank())["certificates"] += 1

    def rows(dimension: str, order: list[str] | None = None) -> list[dict]:
        labels = order or sorted(by[dimension])
        out = []
        for label in labels:
            cell = by[dimension].get(label)
            if cell is None:
                continue
            done = cell["self"] + cell["assisted"]
            out.append(
                {
                    "label": label,
                    "learners": len(cell["learners"]),
                    "completions": done,
                    "assisted": cell["assisted"],
                    "assisted_share": round(100 * cell["assisted"] / done) if done else 0,
                    "certificates": cell["certificates"],
                }
            )
        return out

    residents = {p["resident_id"] for p in pairs.values() if p["resident_id"]}
    total_done = sum(1 for p in pairs.values() if p["resident_id"])
    assisted_done = sum(1 for p in pairs.values() if p["resident_id"] and p["assisted"])
    return {
        "learners": len(residents),
        "completions": total_done,
        "assisted": assisted_done,
        "assisted_share": round(100 * assisted_done / total_done) if total_done else 0,
        "anonymous_completions": anonymous,
        "certificates": Certificate.objects.filter(
            commune=commune, revoked_at__isnull=True
        ).count(),
        "external_declared": ExternalCourse.objects.filter(commune=commune).count(),
        "external_confirmed": ExternalCourse.objects.filter(
            commune=commune, confirmed_at__isnull=False
        ).count(),
        "by_topic": rows("topic", list(TOPICS.values())),
        "by_hamlet": rows("hamlet"),
        "by_age": rows("age", [label for *_, label in AGE_BANDS]),
        "by_sex": rows("sex", ["Nam", "Nữ"]),
    }


def certificates_for_user(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(resident__in=residents_for_user(user)).select_related(
        "resident", "resident__hamlet"
    )


def external_courses_for_user(user) -> QuerySet[ExternalCourse]:
    return ExternalCourse.objects.filter(resident__in=residents_for_user(user)).select_related(
        "resident", "resident__hamlet", "confirmed_by"
    )
