"""What a visitor sees: the lesson list (topics, search, goals), a lesson page, its images."""

import re
import uuid

import pytest
from django.test import Client

from learning.models import Lesson
from learning.services import lessons_load
from learning.tests.test_content_loader import SVG, write_lesson


def step(title: str, image: str, body: str, phone_only: bool = False) -> dict:
    return {
        "title": title,
        "image": image,
        "alt": f"Hình: {title}",
        "body": body,
        "phone_only": phone_only,
    }


VIDEO_STEPS = [
    step("Mở Zalo", "goi-video-1.svg", "Chạm vào biểu tượng **Zalo** màu xanh."),
    step("Chọn người thân", "goi-video-2.svg", "Chọn tên con trong danh bạ.", phone_only=True),
    step("Bấm nút máy quay", "goi-video-3.svg", "Bấm hình **máy quay** ở góc trên."),
]


@pytest.fixture
def lessons(cast, tmp_path) -> dict[str, Lesson]:
    write_lesson(tmp_path, "cai-zalo", title="Cài ứng dụng Zalo", order=10)
    write_lesson(
        tmp_path,
        "goi-video",
        title="Gọi video cho con cháu",
        order=20,
        practice="Bác thử gọi video cho một người thân",
        steps=VIDEO_STEPS,
    )
    write_lesson(
        tmp_path,
        "dang-ky-khai-sinh",
        title="Đăng ký khai sinh cho con",
        topic="dich-vu-cong",
        goal="giay-to",
        domain="giai-quyet",
    )
    write_lesson(
        tmp_path,
        "nhan-biet-lua-dao",
        title="Nhận biết tin nhắn lừa đảo",
        topic="an-toan",
        goal="khong-bi-lua",
        domain="an-toan",
        summary="Kẻ gian hay nhắn tin qua zalo, giả làm người quen.",
    )
    write_lesson(tmp_path, "ban-nhap", title="Bài đang soạn về Zalo", order=30)
    lessons_load(commune=cast.commune, directory=tmp_path)
    Lesson.objects.filter(slug="ban-nhap").update(status=Lesson.Status.DRAFT)
    return {lesson.slug: lesson for lesson in Lesson.objects.filter(commune=cast.commune)}


def listed(content: str) -> list[str]:
    """Slugs of the lessons linked from a lesson list, in page order."""
    return re.findall(r'<a href="/hoc/([a-z0-9-]+)/">', content)


def sections(content: str) -> list[tuple[str, list[str]]]:
    """(topic heading, lesson slugs) for each topic section of the lesson list."""
    return [
        (re.search(r"<h2>(.*?)</h2>", block).group(1), listed(block))
        for block in content.split("<section>")[1:]
    ]


# The list -----------------------------------------------------------------------------------


def test_a_visitor_sees_published_lessons_grouped_by_topic_in_topic_order(client, lessons):
    response = client.get("/hoc/")

    assert response.status_code == 200
    assert sections(response.content.decode()) == [
        ("Dùng điện thoại thông minh", ["cai-zalo", "goi-video"]),
        ("Làm thủ tục hành chính qua mạng", ["dang-ky-khai-sinh"]),
        ("An toàn trên mạng, phòng lừa đảo", ["nhan-biet-lua-dao"]),
    ]


def test_a_draft_lesson_is_neither_listed_nor_found_nor_shown(client, lessons):
    assert "ban-nhap" not in listed(client.get("/hoc/").content.decode())
    assert "ban-nhap" not in listed(client.get("/hoc/", {"q": "dang soan"}).content.decode())
    assert client.get("/hoc/ban-nhap/").status_code == 404


def test_searching_without_accents_finds_an_accented_title(client, lessons):
    content = client.get("/hoc/", {"q": "dang ky khai sinh"}).content.decode()

    assert listed(content) == ["dang-ky-khai-sinh"]
    assert "Đăng ký khai sinh cho con" in content
    assert "1 bài có “dang ky khai sinh”" in content


def test_searching_with_accents_and_capitals_finds_the_same_lesson(client, lessons):
    content = client.get("/hoc/", {"q": "  KHAI  Sinh "}).content.decode()

    assert listed(content) == ["dang-ky-khai-sinh"]


def test_searching_zalo_finds_every_lesson_mentioning_zalo_in_title_summary_or_steps(
    client, lessons
):
    content = client.get("/hoc/", {"q": "zalo"}).content.decode()

    assert sorted(listed(content)) == ["cai-zalo", "goi-video", "nhan-biet-lua-dao"]


def test_a_search_that_finds_nothing_says_so_and_suggests_other_words(client, lessons):
    content = client.get("/hoc/", {"q": "máy cày"}).content.decode()

    assert listed(content) == []
    assert "Chưa tìm thấy bài nào" in content


@pytest.mark.parametrize("query", ["x" * 5000, "%", "_", "' OR 1=1 --", "ｚａｌｏ"])
def test_odd_search_text_never_breaks_the_list(client, lessons, query):
    assert client.get("/hoc/", {"q": query}).status_code == 200


def test_a_search_with_a_nul_character_is_refused_with_a_message(client, lessons):
    response = client.get("/hoc/", {"q": "zalo\x00"})

    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


def test_the_goal_filter_keeps_only_lessons_for_that_goal(client, lessons):
    content = client.get("/hoc/", {"muc-dich": "giay-to"}).content.decode()

    assert listed(content) == ["dang-ky-khai-sinh"]
    assert "Làm giấy tờ không phải đi xa" in content


def test_an_unknown_goal_shows_every_lesson(client, lessons):
    content = client.get("/hoc/", {"muc-dich": "khong-co"}).content.decode()

    assert sorted(listed(content)) == [
        "cai-zalo",
        "dang-ky-khai-sinh",
        "goi-video",
        "nhan-biet-lua-dao",
    ]


def test_the_goal_chips_offer_only_goals_that_have_lessons(client, lessons):
    content = client.get("/hoc/").content.decode()

    assert 'href="?muc-dich=lien-lac"' in content
    assert 'href="?muc-dich=giay-to"' in content
    assert 'href="?muc-dich=lam-an"' not in content


def test_the_lesson_list_uses_the_same_few_queries_however_many_lessons(
    cast, client, lessons, tmp_path, django_assert_max_num_queries
):
    resident = Client()
    resident.force_login(cast.resident.user)
    with django_assert_max_num_queries(5):
        assert client.get("/hoc/").status_code == 200
    with django_assert_max_num_queries(10):
        assert resident.get("/hoc/").status_code == 200
    more = tmp_path / "more"
    for n in range(12):
        write_lesson(more, f"them-{n}", title=f"Bài thêm {n}", order=40 + n)
    lessons_load(commune=cast.commune, directory=more)

    with django_assert_max_num_queries(5):
        assert len(listed(client.get("/hoc/").content.decode())) == 16
    with django_assert_max_num_queries(10):
        assert resident.get("/hoc/").status_code == 200


# A lesson page ------------------------------------------------------------------------------


def test_a_lesson_page_shows_its_steps_in_order_with_their_images(cast, client, lessons):
    content = client.get("/hoc/goi-video/").content.decode()

    steps = content.split('<li class="step"')[1:]
    assert len(steps) == 3
    for number, (block, expected) in enumerate(zip(steps, VIDEO_STEPS, strict=True), 1):
        assert f'<span class="step-no">Bước {number}</span> {expected["title"]}' in block
        assert f'<img src="/hoc/anh/{cast.commune.pk}/{expected["image"]}"' in block
        assert f'alt="{expected["alt"]}"' in block
    assert "<strong>Zalo</strong>" in steps[0]


def test_only_phone_only_steps_say_they_need_a_smartphone(client, lessons):
    content = client.get("/hoc/goi-video/").content.decode()

    steps = content.split('<li class="step"')[1:]
    phone_only = ["Chỉ làm được trên điện thoại thông minh" in block for block in steps]
    assert phone_only == [False, True, False]


def test_a_lesson_page_shows_why_practice_and_safety(client, lessons):
    content = client.get("/hoc/goi-video/").content.decode()

    assert "Không phải nhờ con cháu hay mang máy ra tiệm." in content
    assert "Bác thử gọi video cho một người thân" in content
    assert "Không cài ứng dụng từ đường link người lạ gửi." in content


def test_a_lesson_page_has_the_questions_form_with_a_fresh_client_key(client, lessons):
    first = client.get("/hoc/goi-video/").content.decode()
    second = client.get("/hoc/goi-video/").content.decode()

    keys = [
        re.search(r'<input type="hidden" name="client_key" value="([^"]+)">', page).group(1)
        for page in (first, second)
    ]
    assert all(uuid.UUID(key) for key in keys)
    assert keys[0] != keys[1]
    assert 'action="/hoc/goi-video/tra-loi/"' in first
    questions = list(lessons["goi-video"].questions.all())
    assert f"Câu 1. {questions[0].text}" in first
    assert f"Câu 2. {questions[1].text}" in first
    assert first.count(f'name="q{questions[0].pk}"') == len(questions[0].options)


def test_an_unknown_lesson_is_a_404(client, lessons):
    assert client.get("/hoc/khong-co-bai-nay/").status_code == 404


def test_a_resident_of_another_commune_cannot_open_this_communes_lesson(cast, client, lessons):
    client.force_login(cast.resident2.user)

    assert client.get("/hoc/goi-video/").status_code == 404
    assert listed(client.get("/hoc/").content.decode()) == []


def test_a_resident_of_the_commune_opens_the_lesson(cast, client, lessons):
    client.force_login(cast.resident.user)

    assert client.get("/hoc/goi-video/").status_code == 200


# Images -------------------------------------------------------------------------------------


def test_an_image_is_served_with_its_bytes_type_and_a_locked_down_csp(cast, client, lessons):
    response = client.get(f"/hoc/anh/{cast.commune.pk}/goi-video-2.svg")

    assert response.status_code == 200
    assert response.content == SVG.encode()
    assert response["Content-Type"] == "image/svg+xml"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
    assert "max-age=" in response["Cache-Control"]


def test_an_unknown_image_is_a_404(cast, client, lessons):
    assert client.get(f"/hoc/anh/{cast.commune.pk}/khong-co.svg").status_code == 404
    assert client.get(f"/hoc/anh/{cast.commune2.pk}/goi-video-2.svg").status_code == 404
