"""Lesson audio in the background: made on load and on publish, served as MP3, or a reason why not.

Real espeak-ng (CI installs it); tasks run inline (TASK_BACKEND=immediate) once the loading
transaction commits, which django_capture_on_commit_callbacks(execute=True) stands in for.
"""

import shutil

import pytest
from django.test import Client

from learning.models import Lesson
from learning.services import lesson_audio_request, lessons_load
from learning.tasks import lesson_audio_generate, lesson_script
from learning.tests.test_content_loader import edit, write_lesson


def is_mp3(data: bytes) -> bool:
    """An ID3 tag or an MPEG audio frame sync (eleven 1 bits)."""
    return data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """conftest.py sets TASK_BACKEND=immediate too late: pytest-django has already read the
    settings by then, so without this the tasks would wait in the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def espeak(settings):
    assert shutil.which("espeak-ng"), "espeak-ng is not installed: apt-get install espeak-ng"
    settings.SPEECH_ENGINE = "espeak"


@pytest.fixture
def load(cast, tmp_path, django_capture_on_commit_callbacks):
    """Write one short lesson and load it into cast.commune, running the audio task."""

    def run(write: bool = True, **fields) -> Lesson:
        if write:
            write_lesson(tmp_path, "goi-video", title="Gọi video cho con", **fields)
        with django_capture_on_commit_callbacks(execute=True):
            lessons_load(commune=cast.commune, directory=tmp_path)
        return Lesson.objects.get(commune=cast.commune, slug="goi-video")

    run.directory = tmp_path
    return run


def test_loading_a_lesson_makes_its_mp3_with_espeak(espeak, load):
    lesson = load()

    assert lesson.audio_status == Lesson.AudioStatus.READY
    assert lesson.audio_version == 1
    assert is_mp3(bytes(lesson.audio))
    assert len(lesson.audio) > 1000
    assert lesson.audio_note.startswith("espeak-ng, ")


def test_the_audio_url_serves_the_mp3_and_the_page_plays_it(espeak, load, client):
    lesson = load()
    url = f"/hoc/goi-video/doc-{lesson.audio_version}.mp3"

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response.content == bytes(lesson.audio)
    page = client.get("/hoc/goi-video/").content.decode()
    assert f'<audio id="nghe" controls preload="none" src="{url}">' in page


def test_an_old_audio_version_or_another_commune_gets_a_404(espeak, load, client, cast):
    lesson = load()
    other = Client()
    other.force_login(cast.resident2.user)

    assert client.get(f"/hoc/goi-video/doc-{lesson.audio_version + 1}.mp3").status_code == 404
    assert other.get(f"/hoc/goi-video/doc-{lesson.audio_version}.mp3").status_code == 404


def test_reloading_unchanged_text_keeps_the_audio_and_changed_text_remakes_it(espeak, load):
    first = load()
    again = load()
    assert again.audio_version == first.audio_version
    assert bytes(again.audio) == bytes(first.audio)

    edit(
        load.directory / "goi-video.md",
        "Không phải nhờ con cháu",
        "Gọi video miễn phí, không phải nhờ con cháu",
    )
    changed = load(write=False)

    assert changed.audio_version == first.audio_version + 1
    assert changed.audio_status == Lesson.AudioStatus.READY
    assert bytes(changed.audio) != bytes(first.audio)


def test_publishing_a_draft_makes_its_audio_and_a_draft_gets_none(
    espeak, load, django_capture_on_commit_callbacks
):
    lesson = load()
    Lesson.objects.filter(pk=lesson.pk).update(
        status=Lesson.Status.DRAFT, audio=None, audio_status=Lesson.AudioStatus.NONE
    )
    lesson.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_audio_request(lesson=lesson)
    lesson.refresh_from_db()
    assert (lesson.audio_status, lesson.audio_version) == (Lesson.AudioStatus.NONE, 1)

    lesson.status = Lesson.Status.PUBLISHED
    lesson.save()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_audio_request(lesson=lesson)

    lesson.refresh_from_db()
    assert lesson.audio_status == Lesson.AudioStatus.READY
    assert lesson.audio_version == 2
    assert is_mp3(bytes(lesson.audio))


def test_without_a_speech_engine_the_audio_fails_with_a_reason_and_the_page_still_works(
    load, client
):
    lesson = load()

    assert lesson.audio_status == Lesson.AudioStatus.FAILED
    assert lesson.audio is None
    assert "Chưa bật đọc bài tự động" in lesson.audio_note
    response = client.get("/hoc/goi-video/")
    assert response.status_code == 200
    assert "<audio" not in response.content.decode()
    assert client.get(f"/hoc/goi-video/doc-{lesson.audio_version}.mp3").status_code == 404


def test_a_missing_espeak_binary_fails_with_a_vietnamese_reason_saying_what_to_install(
    espeak, settings, load
):
    settings.SPEECH_ESPEAK_BINARY = "/khong/co/espeak-ng"

    lesson = load()

    assert lesson.audio_status == Lesson.AudioStatus.FAILED
    assert "Máy chủ chưa cài espeak-ng" in lesson.audio_note
    assert "apt-get install espeak-ng" in lesson.audio_note


def test_a_task_for_a_stale_version_does_nothing(load):
    lesson = load()
    old = lesson.audio_version
    lesson_audio_request(lesson=lesson)  # a newer version is pending; its task has not run
    lesson.refresh_from_db()

    result = lesson_audio_generate.enqueue(lesson.pk, old)

    assert result.return_value == "stale"
    lesson.refresh_from_db()
    assert (lesson.audio_status, lesson.audio_version) == (Lesson.AudioStatus.PENDING, old + 1)
    assert lesson.audio_note == ""


def test_a_task_for_a_deleted_lesson_does_nothing(load):
    lesson = load()
    pk, version = lesson.pk, lesson.audio_version
    lesson.delete()

    assert lesson_audio_generate.enqueue(pk, version).return_value == "stale"


def test_the_script_reads_the_title_numbered_steps_practice_and_safety(load):
    lesson = load(practice="Bác thử gọi video cho một người thân")

    script = lesson_script(lesson)

    assert script.startswith("Gọi video cho con.")
    assert "Bước 1. Mở ứng dụng." in script
    assert "Bước 2. Xem kết quả." in script
    assert script.index("Bước 1") < script.index("Bước 2") < script.index("Thử ngay")
    assert "Bác thử gọi video cho một người thân" in script
    assert "Lời khuyên an toàn. Không cài ứng dụng từ đường link người lạ gửi." in script
    assert "Chạm vào biểu tượng Cài đặt trên màn hình." in script
    assert "**" not in script
    assert ".svg" not in script
