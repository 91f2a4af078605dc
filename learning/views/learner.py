"""What residents and anonymous visitors see: lessons, check questions, audio, images."""

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.models import Purpose, Role
from accounts.selectors import granted_purposes
from learning.content import GOALS, TOPICS
from learning.models import Lesson, LessonImage
from learning.selectors import (
    goals_with_lessons,
    lesson_steps,
    lessons_by_topic,
    lessons_search,
    next_lesson,
    passed_lesson_ids,
    published_lessons,
    render_markdown,
)
from learning.services import attempt_submit, device_attempts_attach
from places.selectors import public_commune

DEVICE_COOKIE = "hvs_thiet_bi"


def _device(request) -> str:
    raw = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return ""


def _account_resident(request):
    user = request.user
    if user.is_authenticated and user.role == Role.RESIDENT and hasattr(user, "resident"):
        return user.resident
    return None


def _learner(request):
    """(commune, resident or None, device code) of whoever is learning on this phone.

    Progress is kept under a resident's name only with their consent for learning records;
    until then it stays with the phone's anonymous device code, like a visitor's.
    """
    user = request.user
    device = _device(request)
    resident = _account_resident(request)
    if resident is not None:
        if Purpose.LEARNING not in granted_purposes(resident):
            return resident.commune, None, device
        if device:
            device_attempts_attach(resident=resident, device=device)
        return resident.commune, resident, device
    commune = user.commune if user.is_authenticated and user.commune_id else public_commune()
    if commune is None:
        raise Http404("Chưa thiết lập xã")
    return commune, None, device


def lesson_list(request):
    commune, resident, device = _learner(request)
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    goal = request.GET.get("muc-dich", "")
    lessons = lessons_search(commune, query) if query else published_lessons(commune)
    if goal in GOALS:
        lessons = lessons.filter(goal=goal)
    lessons = list(lessons.order_by("topic", "order", "title"))
    return render(
        request,
        "learning/lesson_list.html",
        {
            "groups": lessons_by_topic(lessons),
            "count": len(lessons),
            "query": query,
            "goal": goal if goal in GOALS else "",
            "goal_label": GOALS.get(goal, ""),
            "goals": goals_with_lessons(commune),
            "passed": passed_lesson_ids(resident=resident, device=device),
        },
    )


def _lesson_or_404(commune, slug: str) -> Lesson:
    return get_object_or_404(published_lessons(commune).defer(None), slug=slug)


def _lesson_page(lesson: Lesson, **extra) -> dict:
    """What the lesson page shows: the lesson, its steps and texts, its check questions."""
    return {
        "lesson": lesson,
        "topic_title": TOPICS[lesson.topic],
        "steps": lesson_steps(lesson),
        "questions": lesson.questions.all(),
        "client_key": uuid.uuid4(),
        "why_html": render_markdown(lesson.why),
        "practice_html": render_markdown(lesson.practice),
        "safety_html": render_markdown(lesson.safety),
        **extra,
    }


def lesson_detail(request, slug: str):
    commune, resident, device = _learner(request)
    lesson = _lesson_or_404(commune, slug)
    passed = lesson.pk in passed_lesson_ids(resident=resident, device=device)
    return render(request, "learning/lesson_detail.html", _lesson_page(lesson, passed=passed))


@require_POST
def lesson_answer(request, slug: str):
    commune, resident, device = _learner(request)
    lesson = _lesson_or_404(commune, slug)
    questions = list(lesson.questions.all())
    answers: dict[int, int] = {}
    for question in questions:
        raw = request.POST.get(f"q{question.pk}", "")
        if raw.isascii() and raw.isdigit() and len(raw) <= 2 and int(raw) < len(question.options):
            answers[question.pk] = int(raw)
    try:
        client_key = uuid.UUID(request.POST.get("client_key", ""))
    except ValueError:
        client_key = uuid.uuid4()
    if len(answers) < len(questions):
        context = _lesson_page(
            lesson,
            questions=questions,
            client_key=client_key,
            chosen=answers,
            answer_error="Bác hãy chọn một đáp án cho mỗi câu hỏi rồi bấm Nộp bài.",
        )
        return render(request, "learning/lesson_detail.html", context, status=400)
    device = device or (str(uuid.uuid4()) if resident is None else "")
    attempt = attempt_submit(
        lesson=lesson, answers=answers, client_key=client_key, resident=resident, device=device
    )
    passed = passed_lesson_ids(resident=resident, device=device)
    results = [
        {
            "question": q,
            "chosen": attempt.answers.get(str(q.pk)),
            "right": attempt.answers.get(str(q.pk)) == q.answer,
        }
        for q in questions
    ]
    response = render(
        request,
        "learning/lesson_result.html",
        {
            "lesson": lesson,
            "attempt": attempt,
            "results": results,
            "next": next_lesson(lesson, passed) if attempt.passed else None,
            "needs_consent": resident is None and _account_resident(request) is not None,
            "certificate": attempt.passed
            and resident is not None
            and resident.certificates.filter(topic=lesson.topic, revoked_at__isnull=True).first(),
        },
    )
    if resident is None and not _device(request):
        response.set_cookie(
            DEVICE_COOKIE, device, max_age=3 * 365 * 24 * 3600, httponly=True, samesite="Lax"
        )
    return response


@cache_control(max_age=7 * 24 * 3600, public=True)
def lesson_image(request, commune_id: int, name: str):
    image = get_object_or_404(LessonImage, commune_id=commune_id, name=name)
    response = HttpResponse(bytes(image.data), content_type=image.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["ETag"] = f'"{image.digest}"'
    return response


@cache_control(max_age=7 * 24 * 3600, public=True)
def lesson_audio(request, slug: str, version: int):
    commune, _, _ = _learner(request)
    lesson = get_object_or_404(
        Lesson.objects.published(),
        commune=commune,
        slug=slug,
        audio_version=version,
        audio_status=Lesson.AudioStatus.READY,
    )
    return HttpResponse(bytes(lesson.audio), content_type="audio/mpeg")
