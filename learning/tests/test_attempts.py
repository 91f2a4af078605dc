"""Answering check questions: grading, replays, device progress, consent, certificates."""

import uuid

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.models import Consent, Purpose
from accounts.services import consent_set
from learning.models import Attempt, Certificate, Lesson
from learning.services import lessons_load
from learning.tests.test_content_loader import write_lesson
from learning.views.learner import DEVICE_COOKIE

RIGHT = [1, 0]  # the right options of the two questions every test lesson has
MISSING_ANSWER = "Bác hãy chọn một đáp án cho mỗi câu hỏi rồi bấm Nộp bài."
SAFETY_TOPIC = "An toàn trên mạng, phòng lừa đảo"


@pytest.fixture
def lessons(cast, tmp_path) -> dict[str, Lesson]:
    """A small topic (an-toan) with two lessons, and a lesson of another topic."""
    safety = {"topic": "an-toan", "goal": "khong-bi-lua", "domain": "an-toan"}
    write_lesson(tmp_path, "tin-nhan-lua-dao", title="Nhận biết tin nhắn lừa đảo", **safety)
    write_lesson(tmp_path, "mat-khau-manh", title="Đặt mật khẩu mạnh", order=20, **safety)
    write_lesson(tmp_path, "cai-zalo", title="Cài ứng dụng Zalo")
    lessons_load(commune=cast.commune, directory=tmp_path)
    return {lesson.slug: lesson for lesson in Lesson.objects.filter(commune=cast.commune)}


def post_answers(client: Client, lesson: Lesson, answers, client_key=None, **extra):
    data = {f"q{q.pk}": str(a) for q, a in zip(lesson.questions.all(), answers, strict=False)}
    data["client_key"] = str(client_key or uuid.uuid4())
    data.update(extra)
    return client.post(f"/hoc/{lesson.slug}/tra-loi/", data)


def withdraw_learning_consent(resident) -> None:
    consent_set(
        resident=resident,
        purpose=Purpose.LEARNING,
        granted=False,
        actor=None,
        method=Consent.Method.SELF,
    )


def ticked(content: str, lesson: Lesson) -> bool:
    return f'aria-label="Đã học xong">✓</span> {lesson.title}' in content


# Grading ------------------------------------------------------------------------------------


def test_all_right_answers_pass_the_lesson_and_suggest_the_next_one(client, lessons):
    lesson = lessons["tin-nhan-lua-dao"]

    response = post_answers(client, lesson, RIGHT)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Bác đã học xong bài" in content
    assert "Học bài tiếp: Đặt mật khẩu mạnh" in content
    assert 'href="/hoc/mat-khau-manh/"' in content
    assert "Làm lại" not in content
    attempt = Attempt.objects.get()
    assert (attempt.lesson, attempt.correct, attempt.total, attempt.passed) == (lesson, 2, 2, True)


def test_one_wrong_answer_shows_the_score_the_explanations_and_a_retry(client, lessons):
    lesson = lessons["tin-nhan-lua-dao"]
    second = lesson.questions.all()[1]

    response = post_answers(client, lesson, [1, 2])

    content = response.content.decode()
    assert response.status_code == 200
    assert "Bác đúng 1/2 câu" in content
    assert "Làm lại" in content
    assert 'href="/hoc/tin-nhan-lua-dao/#cau-hoi"' in content
    assert "✗ Chưa đúng." in content
    assert second.explanation in content
    assert "Học bài tiếp" not in content
    attempt = Attempt.objects.get()
    assert (attempt.correct, attempt.passed) == (1, False)
    assert attempt.answers == {
        str(q.pk): a for q, a in zip(lesson.questions.all(), [1, 2], strict=True)
    }


def test_after_the_last_lesson_of_a_topic_the_next_suggestion_is_another_topic(client, lessons):
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)

    content = post_answers(client, lessons["mat-khau-manh"], RIGHT).content.decode()

    assert "Học bài tiếp: Cài ứng dụng Zalo" in content


def test_a_missing_answer_is_refused_with_a_vietnamese_message_and_nothing_saved(client, lessons):
    lesson = lessons["tin-nhan-lua-dao"]
    first = lesson.questions.all()[0]

    response = post_answers(client, lesson, [1])

    assert response.status_code == 400
    content = response.content.decode()
    assert MISSING_ANSWER in content
    assert f'name="q{first.pk}" value="1" checked' in content  # the chosen answer is kept
    assert Attempt.objects.count() == 0


GARBAGE = {
    "letters": "abc",
    "negative": "-1",
    "past the last option": "3",
    "superscript two": "²",  # str.isdigit() says yes
    "arabic-indic one": "١",  # int() accepts it
    "mathematical bold one": "𝟙",
    "thirty digits": "9" * 30,
    "five thousand digits": "9" * 5000,  # past Python's int() digit limit
    "empty": "",
    "leading space": " 1",
    "decimal": "1.0",
    "nul": "\x00",
    "exponent": "1e3",
}


@pytest.mark.parametrize("value", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_garbage_answer_is_refused_as_missing_and_never_breaks(client, lessons, value):
    response = post_answers(client, lessons["tin-nhan-lua-dao"], [value, 0])

    assert response.status_code == 400
    assert MISSING_ANSWER in response.content.decode()
    assert Attempt.objects.count() == 0


@pytest.mark.parametrize(
    "key",
    ["", "khong-phai-uuid", "\x00", "{" * 100, "9" * 5000],
    ids=["empty", "words", "nul", "braces", "five thousand digits"],
)
def test_a_garbage_client_key_still_records_the_attempt_once(client, lessons, key):
    response = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT, client_key=key)

    assert response.status_code == 200
    assert Attempt.objects.count() == 1


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=st.text(max_size=40), second=st.text(max_size=40), key=st.text(max_size=40))
def test_any_posted_text_gives_a_result_or_a_400_never_an_error(
    client, lessons, first, second, key
):
    lesson = lessons["tin-nhan-lua-dao"]
    questions = list(lesson.questions.all())
    data = {f"q{questions[0].pk}": first, f"q{questions[1].pk}": second, "client_key": key}

    response = client.post("/hoc/tin-nhan-lua-dao/tra-loi/", data)

    assert response.status_code in {200, 400}


def test_answering_needs_a_post(client, lessons):
    assert client.get("/hoc/tin-nhan-lua-dao/tra-loi/").status_code == 405


# Replays ------------------------------------------------------------------------------------


def test_the_same_client_key_posted_twice_records_one_attempt_and_replays_the_first(
    client, lessons
):
    lesson = lessons["tin-nhan-lua-dao"]
    key = uuid.uuid4()
    post_answers(client, lesson, RIGHT, client_key=key)

    replay = post_answers(client, lesson, [0, 0], client_key=key)

    assert replay.status_code == 200
    assert "Bác đã học xong bài" in replay.content.decode()
    attempt = Attempt.objects.get()
    assert (attempt.client_key, attempt.passed) == (key, True)


def test_a_resident_replaying_a_key_gets_one_attempt_and_one_certificate(cast, client, lessons):
    client.force_login(cast.resident.user)
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    key = uuid.uuid4()

    for _ in range(3):
        post_answers(client, lessons["mat-khau-manh"], RIGHT, client_key=key)

    assert Attempt.objects.filter(lesson=lessons["mat-khau-manh"]).count() == 1
    assert Certificate.objects.count() == 1


# Anonymous visitors: progress kept on the phone ---------------------------------------------


def test_an_anonymous_visitor_gets_a_device_cookie_and_sees_their_progress(client, lessons):
    lesson = lessons["tin-nhan-lua-dao"]

    response = post_answers(client, lesson, RIGHT)

    cookie = response.cookies[DEVICE_COOKIE]
    assert str(uuid.UUID(cookie.value)) == cookie.value
    assert cookie["httponly"]
    assert cookie["max-age"] >= 365 * 24 * 3600
    attempt = Attempt.objects.get()
    assert (attempt.resident, attempt.device) == (None, cookie.value)
    content = client.get("/hoc/").content.decode()
    assert ticked(content, lesson)
    assert not ticked(content, lessons["mat-khau-manh"])
    assert "✓ Đã học xong" in client.get(f"/hoc/{lesson.slug}/").content.decode()


def test_another_phone_does_not_see_this_phones_progress(client, lessons):
    lesson = lessons["tin-nhan-lua-dao"]
    post_answers(client, lesson, RIGHT)

    assert not ticked(Client().get("/hoc/").content.decode(), lesson)


def test_the_device_cookie_is_set_once_and_reused(client, lessons):
    first = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)

    second = post_answers(client, lessons["mat-khau-manh"], RIGHT)

    assert DEVICE_COOKIE not in second.cookies
    assert set(Attempt.objects.values_list("device", flat=True)) == {
        first.cookies[DEVICE_COOKIE].value
    }


def test_a_forged_device_cookie_is_replaced_by_a_fresh_one(client, lessons):
    client.cookies[DEVICE_COOKIE] = "'; DROP TABLE learning_attempt; --"

    response = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)

    value = response.cookies[DEVICE_COOKIE].value
    assert Attempt.objects.get().device == str(uuid.UUID(value))


def test_an_anonymous_visitor_passing_a_whole_topic_gets_no_certificate(client, lessons):
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    post_answers(client, lessons["mat-khau-manh"], RIGHT)

    assert Certificate.objects.count() == 0


# Residents and consent ----------------------------------------------------------------------


def test_a_resident_without_learning_consent_learns_under_the_device_code_only(
    cast, client, lessons
):
    withdraw_learning_consent(cast.resident)
    client.force_login(cast.resident.user)

    response = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)

    attempt = Attempt.objects.get()
    assert attempt.resident is None
    assert attempt.device == response.cookies[DEVICE_COOKIE].value
    content = response.content.decode()
    assert "chưa gắn với tên bác" in content
    assert 'href="/toi/quyen-rieng-tu/"' in content
    assert "đồng ý lưu quá trình học tập" in content


def test_granting_consent_attaches_the_phones_earlier_attempts_to_the_resident(
    cast, client, lessons
):
    withdraw_learning_consent(cast.resident)
    client.force_login(cast.resident.user)
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    post_answers(client, lessons["mat-khau-manh"], [0, 0])
    consent_set(
        resident=cast.resident,
        purpose=Purpose.LEARNING,
        granted=True,
        actor=None,
        method=Consent.Method.SELF,
    )

    content = client.get("/hoc/").content.decode()

    assert Attempt.objects.filter(resident=cast.resident, device="").count() == 2
    assert not Attempt.objects.filter(resident__isnull=True).exists()
    assert ticked(content, lessons["tin-nhan-lua-dao"])
    assert not ticked(content, lessons["mat-khau-manh"])


def test_attaching_earlier_progress_issues_the_certificate_it_earned(cast, client, lessons):
    withdraw_learning_consent(cast.resident)
    client.force_login(cast.resident.user)
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    post_answers(client, lessons["mat-khau-manh"], RIGHT)
    assert Certificate.objects.count() == 0
    consent_set(
        resident=cast.resident,
        purpose=Purpose.LEARNING,
        granted=True,
        actor=None,
        method=Consent.Method.SELF,
    )

    client.get("/hoc/")

    certificate = Certificate.objects.get()
    assert (certificate.resident, certificate.topic) == (cast.resident, "an-toan")


def test_another_phones_progress_is_not_attached(cast, client, lessons):
    stranger = Client()
    post_answers(stranger, lessons["tin-nhan-lua-dao"], RIGHT)
    client.force_login(cast.resident.user)

    client.get("/hoc/")

    assert Attempt.objects.get().resident is None


def test_a_resident_with_consent_learns_under_their_own_name(cast, client, lessons):
    client.force_login(cast.resident.user)

    response = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)

    attempt = Attempt.objects.get()
    assert (attempt.resident, attempt.device) == (cast.resident, "")
    assert DEVICE_COOKIE not in response.cookies
    assert "chưa gắn với tên bác" not in response.content.decode()


# Certificates -------------------------------------------------------------------------------


def test_passing_every_lesson_of_a_topic_issues_exactly_one_certificate(cast, client, lessons):
    client.force_login(cast.resident.user)
    first = post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    assert Certificate.objects.count() == 0
    assert "hoàn thành cả chủ đề" not in first.content.decode()

    last = post_answers(client, lessons["mat-khau-manh"], RIGHT)

    certificate = Certificate.objects.get()
    assert (certificate.resident, certificate.topic) == (cast.resident, "an-toan")
    assert certificate.commune == cast.commune
    assert not certificate.assisted
    assert f"Bác vừa hoàn thành cả chủ đề “{SAFETY_TOPIC}”" in last.content.decode()
    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    post_answers(client, lessons["mat-khau-manh"], RIGHT)
    assert Certificate.objects.get().code == certificate.code


def test_a_failed_attempt_does_not_count_toward_the_certificate(cast, client, lessons):
    client.force_login(cast.resident.user)
    post_answers(client, lessons["tin-nhan-lua-dao"], [0, 0])

    post_answers(client, lessons["mat-khau-manh"], RIGHT)

    assert Certificate.objects.count() == 0


def test_a_draft_lesson_does_not_hold_back_the_certificate(cast, client, lessons, tmp_path):
    write_lesson(tmp_path / "nhap", "nhap-an-toan", topic="an-toan", goal="khong-bi-lua")
    lessons_load(commune=cast.commune, directory=tmp_path / "nhap")
    Lesson.objects.filter(slug="nhap-an-toan").update(status=Lesson.Status.DRAFT)
    client.force_login(cast.resident.user)

    post_answers(client, lessons["tin-nhan-lua-dao"], RIGHT)
    post_answers(client, lessons["mat-khau-manh"], RIGHT)

    assert Certificate.objects.filter(resident=cast.resident, topic="an-toan").count() == 1
