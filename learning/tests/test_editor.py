"""The lesson editor: write, preview, publish, edit without losing progress, upload images."""

import io
import os
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import AuditEntry
from learning.editor import lesson_publish, lesson_save, lesson_unpublish
from learning.models import Attempt, Certificate, Lesson, LessonImage, Question
from learning.services import image_store, lessons_load

LIST_URL = "/can-bo/bai-hoc/"
NEW_URL = "/can-bo/bai-hoc/moi/"
PREVIEW_URL = "/can-bo/bai-hoc/xem-truoc/"
IMAGES_URL = "/can-bo/bai-hoc/hinh/"

BODY = """## Mở Zalo {phone-only}
![Màn hình có biểu tượng Zalo màu xanh](zalo-mo.webp)
Chạm vào biểu tượng **Zalo** trên màn hình.

## Gọi video
![Nút gọi video ở góc trên bên phải](zalo-goi.webp)
Mở tin nhắn với con cháu, bấm nút **Gọi video**. Bạn sẽ thấy mặt người thân.
"""

QUESTIONS = [
    {
        "text": "Muốn gọi video cho con, bác bấm nút nào?",
        "options": ["Nút Gọi video", "Nút Xóa tin nhắn", "Nút Chặn"],
        "answer": 0,
        "explanation": "Nút Gọi video ở góc trên bên phải; Xóa và Chặn không gọi được.",
    },
    {
        "text": "Gọi video qua Zalo bằng Wi-Fi có mất tiền cước gọi không?",
        "options": [
            "Mất như gọi thường",
            "Không mất tiền cước gọi",
            "Phải nạp thẻ trước",
            "Mất gấp đôi",
        ],
        "answer": 1,
        "explanation": "Dùng Wi-Fi thì không mất cước gọi; dùng 3G/4G thì chỉ tốn dung lượng mạng.",
    },
]


def lesson_data(**overrides) -> dict:
    data = {
        "title": "Gọi video cho con cháu",
        "topic": "dien-thoai",
        "goal": "lien-lac",
        "domain": "giao-tiep",
        "level": "co-ban",
        "minutes": 5,
        "summary": "Nhìn thấy mặt con cháu ở xa, miễn phí qua Zalo.",
        "why": "Không phải chờ con về mới được gặp mặt.",
        "practice": "Bác thử gọi video cho một người trong nhà.",
        "safety": "",
        "body": BODY,
    }
    data.update(overrides)
    return data


def form_post(questions=QUESTIONS, initial_forms: int = 0, **overrides) -> dict:
    """What the browser sends: the lesson fields and the question formset (prefix "cau").

    initial_forms is how many questions the lesson had when the page was opened.
    """
    post = {k: str(v) for k, v in lesson_data(**overrides).items()}
    post.update(
        {
            "cau-TOTAL_FORMS": "3",
            "cau-INITIAL_FORMS": str(initial_forms),
            "cau-MIN_NUM_FORMS": "2",
            "cau-MAX_NUM_FORMS": "3",
            "action": "save",
        }
    )
    for i, q in enumerate(questions):
        post[f"cau-{i}-text"] = q["text"]
        for n, option in enumerate(q["options"], 1):
            post[f"cau-{i}-option_{n}"] = option
        post[f"cau-{i}-answer"] = str(q["answer"])
        post[f"cau-{i}-explanation"] = q["explanation"]
    return post


def tiny_webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 32), (30, 120, 200)).save(out, format="WEBP")
    return out.getvalue()


def picture(fmt: str, width: int = 3000, height: int = 2000) -> bytes:
    """A photo-like picture: coarse random texture over a gradient, a few MB as PNG."""
    texture = Image.frombytes(
        "RGB", (width // 20, height // 20), os.urandom(width * height * 3 // 400)
    )
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    Image.blend(base, texture.resize((width, height), Image.Resampling.BICUBIC), 0.5).save(
        out, format=fmt
    )
    return out.getvalue()


@pytest.fixture
def images(cast):
    for commune in (cast.commune, cast.commune2):
        for name in ("zalo-mo.webp", "zalo-goi.webp"):
            image_store(commune=commune, name=name, data=tiny_webp(), content_type="image/webp")


@pytest.fixture
def draft(cast, images) -> Lesson:
    return lesson_save(
        actor=cast.coordinator, commune=cast.commune, data=lesson_data(), questions=QUESTIONS
    )


@pytest.fixture
def published(cast, draft) -> Lesson:
    lesson_publish(actor=cast.coordinator, lesson=draft)
    draft.refresh_from_db()
    return draft


def edit_url(lesson: Lesson) -> str:
    return f"/can-bo/bai-hoc/{lesson.pk}/"


@pytest.fixture
def resident_client(cast) -> Client:
    """The resident on their own phone (a separate browser from the coordinator's)."""
    client = Client()
    client.force_login(cast.resident.user)
    return client


def resident_passes(client, lesson: Lesson) -> None:
    answers = {f"q{q.pk}": str(q.answer) for q in lesson.questions.all()}
    response = client.post(
        f"/hoc/{lesson.slug}/tra-loi/", {**answers, "client_key": str(uuid.uuid4())}
    )
    assert response.status_code == 200


# Writing and previewing ---------------------------------------------------------------------


def test_a_coordinator_writes_a_draft_that_residents_cannot_see_yet(
    client, cast, images, resident_client
):
    client.force_login(cast.coordinator)

    response = client.post(NEW_URL, form_post())

    lesson = Lesson.objects.get(commune=cast.commune)
    assert response.status_code == 302
    assert response["Location"] == edit_url(lesson)
    assert lesson.status == Lesson.Status.DRAFT
    assert lesson.slug == "goi-video-cho-con-chau"
    assert lesson.edited_by_staff
    assert "zalo" in lesson.search_text
    assert [q.text for q in lesson.questions.all()] == [q["text"] for q in QUESTIONS]
    assert lesson.questions.all()[1].options[3] == "Mất gấp đôi"
    assert "Gọi video cho con cháu" not in resident_client.get("/hoc/").content.decode()
    assert resident_client.get(f"/hoc/{lesson.slug}/").status_code == 404


def test_the_new_lesson_page_shows_the_form_with_the_live_preview_wired_to_htmx(client, cast):
    client.force_login(cast.coordinator)

    page = client.get(NEW_URL).content.decode()

    assert "Soạn bài mới" in page
    assert f'hx-post="{PREVIEW_URL}"' in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page
    assert "django_htmx/htmx" in page
    assert 'name="action" value="preview"' in page  # the button that works without JavaScript


def test_the_preview_button_shows_the_steps_as_learners_see_them_and_saves_nothing(
    client, cast, images
):
    client.force_login(cast.coordinator)

    response = client.post(NEW_URL, {**form_post(), "action": "preview"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Bước 1" in page and "Bước 2" in page
    assert "<strong>Gọi video</strong>" in page
    assert f"/hoc/anh/{cast.commune.pk}/zalo-goi.webp" in page
    assert "Chỉ làm được trên điện thoại thông minh" in page
    assert "Gọi video cho con cháu" in page  # what was typed is still there
    assert not Lesson.objects.exists()


def test_the_live_preview_answers_htmx_with_a_fragment_and_plain_posts_with_a_page(
    client, cast, images
):
    client.force_login(cast.coordinator)

    fragment = client.post(PREVIEW_URL, {"body": BODY}, headers={"HX-Request": "true"})
    page = client.post(PREVIEW_URL, {"body": BODY})

    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert "<strong>Zalo</strong>" in fragment.content.decode()
    assert "<html" in page.content.decode()
    assert "<strong>Zalo</strong>" in page.content.decode()


def test_the_live_preview_names_the_line_of_a_mistake(client, cast, images):
    client.force_login(cast.coordinator)
    body = BODY.replace("zalo-goi.webp", "khong-co.webp")

    fragment = client.post(PREVIEW_URL, {"body": body}, headers={"HX-Request": "true"})

    assert "Dòng 6: không tìm thấy hình khong-co.webp" in fragment.content.decode()


@pytest.mark.parametrize(
    "body, error",
    [
        (
            BODY.replace("![Nút gọi video ở góc trên bên phải](zalo-goi.webp)\n", ""),
            "Dòng 5: mỗi bước cần một dòng hình",
        ),
        (BODY.replace("zalo-goi.webp", "khong-co.webp"), "Dòng 6: không tìm thấy hình"),
        ("Chào bà con\n" + BODY, "Dòng 1: có chữ nằm trước tiêu đề bước đầu tiên"),
        (BODY.split("## Gọi video")[0], "mỗi bài cần từ 2 đến 8 bước, đang có 1"),
    ],
    ids=["step-without-image", "unknown-image", "text-before-first-step", "one-step"],
)
def test_a_malformed_body_shows_the_vietnamese_error_with_its_line_and_saves_nothing(
    client, cast, images, body, error
):
    client.force_login(cast.coordinator)

    response = client.post(NEW_URL, form_post(body=body))

    page = response.content.decode()
    assert response.status_code == 200
    assert error in page
    assert "Chưa lưu." in page
    assert not Lesson.objects.exists()
    assert not Question.objects.exists()
    assert not AuditEntry.objects.filter(target_type="bài học").exists()


def test_a_malformed_edit_leaves_the_saved_lesson_as_it_was(client, cast, published):
    client.force_login(cast.coordinator)
    broken = form_post(title="Tên mới", body="## Chỉ một bước\n", initial_forms=2)

    response = client.post(edit_url(published), broken)

    published.refresh_from_db()
    assert "mỗi bước cần một dòng hình" in response.content.decode()
    assert published.title == "Gọi video cho con cháu"
    assert published.body == BODY


def test_another_communes_images_cannot_be_used(client, cast):
    image_store(
        commune=cast.commune2, name="chi-xa-kia.webp", data=tiny_webp(), content_type="image/webp"
    )
    image_store(
        commune=cast.commune, name="zalo-mo.webp", data=tiny_webp(), content_type="image/webp"
    )
    client.force_login(cast.coordinator)
    body = BODY.replace("zalo-goi.webp", "chi-xa-kia.webp")

    response = client.post(NEW_URL, form_post(body=body))

    assert "không tìm thấy hình chi-xa-kia.webp" in response.content.decode()
    assert not Lesson.objects.exists()


def test_a_money_lesson_needs_a_safety_tip(client, cast, images):
    client.force_login(cast.coordinator)

    response = client.post(NEW_URL, form_post(topic="ngan-hang-so", goal="tra-tien"))

    assert "cần có lời khuyên an toàn" in response.content.decode()
    assert not Lesson.objects.exists()


def test_minutes_outside_3_to_8_and_a_single_question_are_refused(client, cast, images):
    client.force_login(cast.coordinator)

    response = client.post(NEW_URL, form_post(minutes=12, questions=QUESTIONS[:1]))

    page = response.content.decode()
    assert "Chưa lưu." in page
    assert "Bài học ngắn: từ 3 đến 8 phút." in page
    assert "Mỗi bài cần ít nhất 2 câu hỏi kiểm tra." in page
    assert not Lesson.objects.exists()


def test_a_fourth_option_left_empty_cannot_be_the_answer(client, cast, images):
    client.force_login(cast.coordinator)
    wrong = [QUESTIONS[0] | {"answer": 3}, QUESTIONS[1]]

    response = client.post(NEW_URL, form_post(questions=wrong))

    assert "Lựa chọn 4 đang để trống" in response.content.decode()
    assert not Lesson.objects.exists()


def test_two_lessons_with_the_same_title_get_different_addresses(client, cast, images):
    client.force_login(cast.coordinator)

    client.post(NEW_URL, form_post())
    client.post(NEW_URL, form_post())

    assert sorted(Lesson.objects.values_list("slug", flat=True)) == [
        "goi-video-cho-con-chau",
        "goi-video-cho-con-chau-2",
    ]


# Publishing ---------------------------------------------------------------------------------


def test_publishing_shows_the_lesson_to_residents(client, cast, draft, resident_client):
    client.force_login(cast.coordinator)

    response = client.post(f"/can-bo/bai-hoc/{draft.pk}/dang/")

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == Lesson.Status.PUBLISHED
    assert "Gọi video cho con cháu" in resident_client.get("/hoc/").content.decode()
    lesson_page = resident_client.get(f"/hoc/{draft.slug}/").content.decode()
    assert "Gọi video" in lesson_page and "Muốn gọi video cho con" in lesson_page


def test_unpublishing_hides_the_lesson_again(client, cast, published, resident_client):
    client.force_login(cast.coordinator)

    client.post(f"/can-bo/bai-hoc/{published.pk}/go/")

    published.refresh_from_db()
    assert published.status == Lesson.Status.DRAFT
    assert resident_client.get(f"/hoc/{published.slug}/").status_code == 404


def test_the_list_shows_why_a_published_lesson_has_no_audio(
    client, cast, draft, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/can-bo/bai-hoc/{draft.pk}/dang/")

    page = client.get(LIST_URL).content.decode()

    draft.refresh_from_db()
    assert draft.audio_status == Lesson.AudioStatus.FAILED
    assert "Đã đăng" in page
    assert "Không tạo được" in page
    assert "Chưa bật đọc bài tự động (SPEECH_ENGINE=none)." in page


def test_a_draft_says_its_audio_comes_when_it_is_published(client, cast, draft):
    client.force_login(cast.coordinator)

    page = client.get(LIST_URL).content.decode()

    assert "Bản nháp" in page and "Sẽ tạo khi đăng bài." in page


def test_editing_the_spoken_text_of_a_published_lesson_remakes_its_audio_and_the_summary_does_not(
    cast, published
):
    version = published.audio_version

    lesson_save(
        actor=cast.coordinator,
        commune=cast.commune,
        lesson=published,
        data=lesson_data(summary="Một câu tóm tắt khác."),
        questions=QUESTIONS,
    )
    assert Lesson.objects.get(pk=published.pk).audio_version == version

    lesson_save(
        actor=cast.coordinator,
        commune=cast.commune,
        lesson=published,
        data=lesson_data(summary="Một câu tóm tắt khác.", why="Gặp mặt con cháu mỗi ngày."),
        questions=QUESTIONS,
    )
    lesson = Lesson.objects.get(pk=published.pk)
    assert lesson.audio_version == version + 1
    assert lesson.audio_status == Lesson.AudioStatus.PENDING


def test_audio_of_an_edited_draft_is_made_again_when_it_is_published(cast, published):
    Lesson.objects.filter(pk=published.pk).update(audio_status=Lesson.AudioStatus.READY)
    lesson_unpublish(actor=cast.coordinator, lesson=published)
    version = published.audio_version

    lesson_save(
        actor=cast.coordinator,
        commune=cast.commune,
        lesson=published,
        data=lesson_data(practice="Bác gọi thử cho cháu."),
        questions=QUESTIONS,
    )
    stale = Lesson.objects.get(pk=published.pk)
    assert stale.audio_status == Lesson.AudioStatus.NONE
    assert stale.audio_version == version + 1  # an old queued task can no longer write
    lesson_publish(actor=cast.coordinator, lesson=stale)

    assert Lesson.objects.get(pk=published.pk).audio_status == Lesson.AudioStatus.PENDING


def test_drafts_come_first_in_the_list(client, cast, images):
    lessons_load(commune=cast.commune)
    lesson_save(
        actor=cast.coordinator,
        commune=cast.commune,
        data=lesson_data(title="Bài nháp mới", topic="an-toan", safety="Cẩn thận."),
        questions=QUESTIONS,
    )
    client.force_login(cast.coordinator)

    page = client.get(LIST_URL).content.decode()

    assert page.index("Bài nháp mới") < page.index("Cài ứng dụng từ CH Play")


# Editing after residents learned --------------------------------------------------------------


def test_editing_after_a_resident_passed_keeps_their_progress(
    client, cast, published, resident_client
):
    resident_passes(resident_client, published)
    attempt = Attempt.objects.get(lesson=published)
    assert attempt.passed and attempt.resident == cast.resident
    certificates = Certificate.objects.filter(resident=cast.resident).count()
    question_ids = list(published.questions.values_list("pk", flat=True))

    client.force_login(cast.coordinator)
    edited = [QUESTIONS[0] | {"text": "Bác bấm nút nào để gọi video cho con?"}, QUESTIONS[1]]
    response = client.post(
        edit_url(published),
        form_post(
            questions=edited,
            initial_forms=2,
            body=BODY.replace("Bạn sẽ thấy mặt người thân.", "Chờ con bắt máy."),
        ),
    )
    assert response.status_code == 302

    attempt.refresh_from_db()
    assert attempt.passed and attempt.resident == cast.resident
    assert Attempt.objects.filter(lesson=published).count() == 1
    assert Certificate.objects.filter(resident=cast.resident).count() == certificates
    assert list(published.questions.values_list("pk", flat=True)) == question_ids
    assert published.questions.first().text == "Bác bấm nút nào để gọi video cho con?"
    page = resident_client.get(f"/hoc/{published.slug}/").content.decode()
    assert "Đã học xong" in page
    assert "Chờ con bắt máy." in page


def test_a_page_a_learner_opened_before_an_edit_still_submits(cast, published, resident_client):
    answers = {f"q{q.pk}": str(q.answer) for q in published.questions.all()}
    lesson_save(
        actor=cast.coordinator,
        commune=cast.commune,
        lesson=published,
        data=lesson_data(),
        questions=[QUESTIONS[0] | {"explanation": "Giải thích rõ hơn."}, QUESTIONS[1]],
    )

    response = resident_client.post(
        f"/hoc/{published.slug}/tra-loi/", {**answers, "client_key": str(uuid.uuid4())}
    )

    assert response.status_code == 200
    assert Attempt.objects.get(lesson=published).passed


def test_a_third_question_can_be_added_and_removed_again(client, cast, draft):
    client.force_login(cast.coordinator)
    third = {
        "text": "Con không bắt máy thì sao?",
        "options": ["Gọi lại sau", "Gọi liên tục 20 lần", "Xóa Zalo"],
        "answer": 0,
        "explanation": "Con có thể đang bận; gọi lại sau hoặc nhắn tin.",
    }
    client.post(edit_url(draft), form_post(questions=[*QUESTIONS, third], initial_forms=2))
    assert draft.questions.count() == 3

    post = form_post(questions=[*QUESTIONS, third], initial_forms=3)
    post["cau-2-DELETE"] = "on"
    client.post(edit_url(draft), post)

    assert [q.text for q in draft.questions.all()] == [q["text"] for q in QUESTIONS]


def test_editing_a_shipped_lesson_and_changing_nothing_keeps_it_a_shipped_lesson(client, cast):
    lessons_load(commune=cast.commune)
    shipped = Lesson.objects.get(commune=cast.commune, slug="cai-ung-dung-tu-ch-play")
    client.force_login(cast.coordinator)
    page = client.get(edit_url(shipped))
    form, formset = page.context["form"], page.context["formset"]
    post = {name: form[name].value() for name in form.fields}
    post.update({f"cau-{k}": v for k, v in formset.management_form.initial.items()})
    for i, qform in enumerate(formset.forms):
        for name in qform.fields:
            value = qform[name].value()
            if value is not None and name != "DELETE":
                post[f"cau-{i}-{name}"] = value

    response = client.post(edit_url(shipped), post)

    shipped.refresh_from_db()
    assert response.status_code == 302
    assert not shipped.edited_by_staff
    assert not AuditEntry.objects.filter(target_type="bài học").exists()


# Audit --------------------------------------------------------------------------------------


def test_every_write_is_in_the_audit_log_with_the_fields_that_changed(client, cast, images):
    client.force_login(cast.coordinator)
    client.post(NEW_URL, form_post())
    lesson = Lesson.objects.get()
    client.post(edit_url(lesson), form_post(title="Gọi video qua Zalo", initial_forms=2))
    client.post(f"/can-bo/bai-hoc/{lesson.pk}/dang/")
    client.post(f"/can-bo/bai-hoc/{lesson.pk}/go/")

    entries = list(AuditEntry.objects.filter(target_type="bài học").order_by("at", "id"))

    assert [e.action for e in entries] == ["create", "update", "update", "update"]
    assert {e.actor for e in entries} == {cast.coordinator}
    assert {e.commune_id for e in entries} == {cast.commune.pk}
    assert entries[0].after["title"] == "Gọi video cho con cháu"
    assert entries[1].before == {"title": "Gọi video cho con cháu"}
    assert entries[1].after == {"title": "Gọi video qua Zalo"}
    assert entries[2].after == {"status": "published"}
    assert entries[3].after == {"status": "draft"}


# Images -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt, filename", [("PNG", "Màn hình Zalo.png"), ("JPEG", "goi.jpg")])
def test_an_uploaded_photo_becomes_a_small_webp_ready_to_use_in_a_lesson(
    client, cast, fmt, filename
):
    client.force_login(cast.coordinator)
    upload = SimpleUploadedFile(filename, picture(fmt), content_type=f"image/{fmt.lower()}")

    response = client.post(IMAGES_URL, {"image": upload}, follow=True)

    image = LessonImage.objects.get(commune=cast.commune)
    stored = bytes(image.data)
    decoded = Image.open(io.BytesIO(stored))
    assert len(stored) <= 40 * 1024
    assert decoded.format == "WEBP"
    assert decoded.width == 800
    assert image.content_type == "image/webp"
    assert image.name.startswith("man-hinh-zalo-" if fmt == "PNG" else "goi-")
    assert image.name.endswith(".webp")
    page = response.content.decode()
    assert f"![mô tả]({image.name})" in page
    served = client.get(f"/hoc/anh/{cast.commune.pk}/{image.name}")
    assert served["Content-Type"] == "image/webp"
    entry = AuditEntry.objects.get(action="create", after__has_key="ảnh bài học")
    assert entry.actor == cast.coordinator and entry.commune_id == cast.commune.pk


def test_the_same_picture_uploaded_twice_is_stored_once(client, cast):
    client.force_login(cast.coordinator)
    data = picture("PNG", 400, 300)

    for _ in range(2):
        client.post(IMAGES_URL, {"image": SimpleUploadedFile("anh.png", data)})

    assert LessonImage.objects.filter(commune=cast.commune).count() == 1


def test_a_text_file_renamed_jpg_is_refused_with_the_vietnamese_message(client, cast):
    client.force_login(cast.coordinator)
    fake = SimpleUploadedFile("anh.jpg", b"Day khong phai la anh\n" * 100, "image/jpeg")

    response = client.post(IMAGES_URL, {"image": fake})

    assert response.status_code == 200
    assert "Tệp này không phải là ảnh. Hãy chọn ảnh JPG, PNG hoặc WebP." in (
        response.content.decode()
    )
    assert not LessonImage.objects.exists()


def test_an_oversized_upload_is_refused_and_nothing_is_stored(client, cast, settings):
    settings.LESSON_UPLOAD_MAX_BYTES = 2048
    client.force_login(cast.coordinator)
    big = SimpleUploadedFile("to.png", picture("PNG", 200, 200), "image/png")
    assert big.size > 2048

    response = client.post(IMAGES_URL, {"image": big})

    assert "Tệp quá lớn. Mỗi ảnh tải lên tối đa 2 KB" in response.content.decode()
    assert not LessonImage.objects.exists()
    assert not AuditEntry.objects.filter(after__has_key="ảnh bài học").exists()


def test_a_post_without_a_file_asks_for_one(client, cast):
    client.force_login(cast.coordinator)

    response = client.post(IMAGES_URL, {})

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not LessonImage.objects.exists()


# Who may do what ----------------------------------------------------------------------------


def editor_urls(lesson: Lesson) -> list[tuple[str, str]]:
    return [
        ("get", LIST_URL),
        ("get", NEW_URL),
        ("post", NEW_URL),
        ("post", PREVIEW_URL),
        ("get", IMAGES_URL),
        ("post", IMAGES_URL),
        ("get", edit_url(lesson)),
        ("post", edit_url(lesson)),
        ("post", f"/can-bo/bai-hoc/{lesson.pk}/dang/"),
        ("post", f"/can-bo/bai-hoc/{lesson.pk}/go/"),
    ]


@pytest.mark.parametrize(
    "who", ["volunteer", "officer", "leader", "resident", "province", "volunteer2", "resident2"]
)
def test_only_coordinators_and_admins_may_use_the_editor(client, cast, draft, who):
    client.force_login(cast.users()[who])
    for method, url in editor_urls(draft):
        assert getattr(client, method)(url).status_code == 403, f"{method} {url}"
    draft.refresh_from_db()
    assert draft.status == Lesson.Status.DRAFT


def test_anonymous_visitors_are_sent_to_the_login_page(client, draft):
    for method, url in editor_urls(draft):
        response = getattr(client, method)(url)
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("who", ["coordinator2", "admin2"])
def test_another_communes_staff_get_404_on_this_communes_lesson(client, cast, published, who):
    client.force_login(cast.users()[who])

    assert client.get(edit_url(published)).status_code == 404
    edit = form_post(title="Bị sửa", initial_forms=2)
    assert client.post(edit_url(published), edit).status_code == 404
    assert client.post(f"/can-bo/bai-hoc/{published.pk}/go/").status_code == 404
    assert "Gọi video cho con cháu" not in client.get(LIST_URL).content.decode()
    published.refresh_from_db()
    assert published.status == Lesson.Status.PUBLISHED
    assert published.title == "Gọi video cho con cháu"


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_coordinators_and_admins_of_the_commune_open_every_page(client, cast, draft, who):
    client.force_login(cast.users()[who])
    for url in (LIST_URL, NEW_URL, IMAGES_URL, edit_url(draft)):
        assert client.get(url).status_code == 200, url


def test_another_communes_images_are_not_listed(client, cast, images):
    image_store(
        commune=cast.commune2, name="chi-xa-kia.webp", data=tiny_webp(), content_type="image/webp"
    )
    client.force_login(cast.coordinator)

    page = client.get(IMAGES_URL).content.decode()

    assert "zalo-mo.webp" in page
    assert "chi-xa-kia.webp" not in page


def test_the_staff_home_links_to_the_editor_for_coordinators_only(client, cast):
    client.force_login(cast.coordinator)
    assert LIST_URL in client.get("/can-bo/").content.decode()
    client.force_login(cast.volunteer)
    assert LIST_URL not in client.get("/can-bo/").content.decode()


def test_the_list_page_takes_the_same_few_queries_for_many_lessons(
    client, cast, images, django_assert_max_num_queries
):
    for n in range(12):
        lesson_save(
            actor=cast.coordinator,
            commune=cast.commune,
            data=lesson_data(title=f"Bài số {n}"),
            questions=QUESTIONS,
        )
    client.force_login(cast.coordinator)

    with django_assert_max_num_queries(8):
        response = client.get(LIST_URL)

    assert response.content.decode().count("Bài số") == 12
