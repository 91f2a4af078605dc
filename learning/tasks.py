from django_tasks import task

from learning.models import Lesson
from learning.speech import SpeechUnavailable, get_engine, speakable


def lesson_script(lesson: Lesson) -> str:
    """The lesson as it should be heard: title, benefit, numbered steps, practice, safety."""
    from learning.selectors import lesson_steps

    parts = [lesson.title + ".", lesson.why]
    for number, step in enumerate(lesson_steps(lesson), 1):
        parts.append(f"Bước {number}. {step.title}.")
        parts.append(step.body)
    parts.append("Thử ngay. " + lesson.practice)
    if lesson.safety:
        parts.append("Lời khuyên an toàn. " + lesson.safety)
    return speakable("\n\n".join(parts))


@task()
def lesson_audio_generate(lesson_id: int, version: int) -> str:
    lesson = Lesson.objects.filter(pk=lesson_id, audio_version=version).first()
    if lesson is None:
        return "stale"  # edited again since; a newer task will make the audio
    engine = get_engine()
    try:
        engine.check()
        audio = engine.synthesize(lesson_script(lesson))
    except SpeechUnavailable as exc:
        Lesson.objects.filter(pk=lesson_id, audio_version=version).update(
            audio=None, audio_status=Lesson.AudioStatus.FAILED, audio_note=exc.reason[:300]
        )
        return "failed"
    Lesson.objects.filter(pk=lesson_id, audio_version=version).update(
        audio=audio.data,
        audio_status=Lesson.AudioStatus.READY,
        audio_note=f"{engine.name}, {len(audio.data) // 1024} KB",
    )
    return "ready"
