"""Lesson content files: parsing, loading into a commune (all or nothing), and the shipped set.

`write_lesson` and `line_of` are also used by the other learning tests to make small lessons.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from learning.content import DOMAINS, TOPICS, ContentError, parse_directory
from learning.models import Lesson, LessonImage, Question
from learning.services import CONTENT_DIR, lessons_load

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<rect width="10" height="10" fill="#2a6"/></svg>'
)

QUESTIONS = [
    {
        "text": "Muốn cài ứng dụng an toàn thì mở đâu?",
        "options": ["Đường link người lạ gửi", "CH Play", "Trang web bất kỳ"],
        "answer": 1,
        "explanation": "Chỉ cài từ CH Play: ứng dụng đã được kiểm tra.",
    },
    {
        "text": "Cài Zalo có mất tiền không?",
        "options": ["Không, Zalo miễn phí", "Có, mất 50 nghìn", "Phải nạp thẻ trước"],
        "answer": 0,
        "explanation": "Zalo miễn phí; nút ghi “Cài đặt” là không mất tiền.",
    },
]


def default_steps(slug: str) -> list[dict]:
    return [
        {
            "title": "Mở ứng dụng",
            "image": f"{slug}-1.svg",
            "alt": "Màn hình chính của điện thoại",
            "body": "Chạm vào biểu tượng **Cài đặt** trên màn hình.",
            "phone_only": True,
        },
        {
            "title": "Xem kết quả",
            "image": f"{slug}-2.svg",
            "alt": "Màn hình sau khi mở",
            "body": "Bác sẽ thấy danh sách tin nhắn.",
            "phone_only": False,
        },
    ]


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def lesson_text(
    slug: str,
    *,
    title: str = "Cài ứng dụng Zalo",
    topic: str = "dien-thoai",
    goal: str = "lien-lac",
    domain: str = "khai-thac",
    level: str = "co-ban",
    minutes: int = 5,
    order: int = 10,
    summary: str = "Tự cài ứng dụng vào điện thoại Android.",
    why: str = "Không phải nhờ con cháu hay mang máy ra tiệm.",
    practice: str = "Bác thử mở ứng dụng một lần",
    safety: str = "Không cài ứng dụng từ đường link người lạ gửi.",
    questions: list[dict] | None = None,
    steps: list[dict] | None = None,
) -> str:
    head = {
        "title": title,
        "topic": topic,
        "goal": goal,
        "domain": domain,
        "level": level,
        "minutes": minutes,
        "order": order,
        "summary": summary,
        "why": why,
        "practice": practice,
        "safety": safety,
    }
    lines = ["+++"] + [f"{key} = {_toml(value)}" for key, value in head.items()]
    for question in QUESTIONS if questions is None else questions:
        lines += ["", "[[questions]]"]
        lines += [f"{key} = {_toml(value)}" for key, value in question.items()]
    lines += ["+++", ""]
    for step in default_steps(slug) if steps is None else steps:
        lines.append(f"## {step['title']}{' {phone-only}' if step['phone_only'] else ''}")
        lines.append(f"![{step['alt']}]({step['image']})")
        lines += [step["body"], ""]
    return "\n".join(lines)


def write_lesson(directory: Path, slug: str, **fields) -> Path:
    """A valid lesson file in directory, with its SVG drawings in directory/images."""
    images = directory / "images"
    images.mkdir(parents=True, exist_ok=True)
    for step in fields.get("steps") or default_steps(slug):
        (images / step["image"]).write_text(SVG, encoding="utf-8")
    path = directory / f"{slug}.md"
    path.write_text(lesson_text(slug, **fields), encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding needle (its n-th occurrence)."""
    found = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    return found[occurrence - 1]


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def counts() -> tuple[int, int, int]:
    return Lesson.objects.count(), Question.objects.count(), LessonImage.objects.count()


@pytest.fixture
def content(tmp_path) -> Path:
    write_lesson(tmp_path, "cai-zalo", title="Cài ứng dụng Zalo", order=10)
    write_lesson(
        tmp_path,
        "dang-ky-khai-sinh",
        title="Đăng ký khai sinh cho con",
        topic="dich-vu-cong",
        goal="giay-to",
        domain="giai-quyet",
        order=20,
    )
    return tmp_path


# Loading ------------------------------------------------------------------------------------


def test_loading_creates_published_lessons_with_their_questions_and_images(cast, content):
    created, updated = lessons_load(commune=cast.commune, directory=content)

    assert (created, updated) == (2, 0)
    lesson = Lesson.objects.get(commune=cast.commune, slug="dang-ky-khai-sinh")
    assert lesson.title == "Đăng ký khai sinh cho con"
    assert lesson.topic == "dich-vu-cong"
    assert lesson.goal == "giay-to"
    assert lesson.domain == "giai-quyet"
    assert (lesson.minutes, lesson.order) == (5, 20)
    assert lesson.status == Lesson.Status.PUBLISHED
    assert lesson.safety == "Không cài ứng dụng từ đường link người lạ gửi."
    assert "## Mở ứng dụng {phone-only}" in lesson.body
    assert "dang ky khai sinh cho con" in lesson.search_text
    questions = list(lesson.questions.all())
    assert [q.text for q in questions] == [q["text"] for q in QUESTIONS]
    assert [q.answer for q in questions] == [1, 0]
    assert questions[0].options == QUESTIONS[0]["options"]
    assert questions[1].explanation == QUESTIONS[1]["explanation"]
    image = LessonImage.objects.get(commune=cast.commune, name="dang-ky-khai-sinh-1.svg")
    assert bytes(image.data) == SVG.encode()
    assert image.content_type == "image/svg+xml"
    assert LessonImage.objects.filter(commune=cast.commune).count() == 4


def test_loading_twice_updates_the_lessons_and_never_duplicates_them(cast, content):
    lessons_load(commune=cast.commune, directory=content)
    before = counts()
    edit(content / "cai-zalo.md", 'title = "Cài ứng dụng Zalo"', 'title = "Cài Zalo từ CH Play"')

    created, updated = lessons_load(commune=cast.commune, directory=content)

    assert (created, updated) == (0, 2)
    assert counts() == before
    assert Lesson.objects.get(slug="cai-zalo").title == "Cài Zalo từ CH Play"


def test_reloading_replaces_the_questions_of_a_lesson(cast, tmp_path):
    write_lesson(tmp_path, "cai-zalo")
    lessons_load(commune=cast.commune, directory=tmp_path)
    three = [*QUESTIONS, {**QUESTIONS[0], "text": "Câu hỏi thứ ba?"}]
    write_lesson(tmp_path, "cai-zalo", questions=three)

    lessons_load(commune=cast.commune, directory=tmp_path)

    texts = list(Lesson.objects.get(slug="cai-zalo").questions.values_list("text", flat=True))
    assert texts == [q["text"] for q in three]


def test_the_same_content_loads_separately_into_each_commune(cast, content):
    lessons_load(commune=cast.commune, directory=content)
    lessons_load(commune=cast.commune2, directory=content)

    assert Lesson.objects.filter(commune=cast.commune).count() == 2
    assert Lesson.objects.filter(commune=cast.commune2).count() == 2


def test_a_lesson_edited_by_staff_is_not_overwritten_by_reloading(cast, content):
    lessons_load(commune=cast.commune, directory=content)
    lesson = Lesson.objects.get(slug="cai-zalo")
    lesson.title = "Cài Zalo (bản của xã)"
    lesson.edited_by_staff = True
    lesson.save()
    lesson.questions.filter(position=1).delete()
    edit(content / "cai-zalo.md", 'title = "Cài ứng dụng Zalo"', 'title = "Tiêu đề gốc mới"')

    created, updated = lessons_load(commune=cast.commune, directory=content)

    assert (created, updated) == (0, 1)
    lesson.refresh_from_db()
    assert lesson.title == "Cài Zalo (bản của xã)"
    assert lesson.questions.count() == 1


# Malformed files: the error names the file and the line; nothing at all is loaded ----------


def _missing_opening(path):
    edit(path, "+++\n", "")
    return 1


def _missing_closing(path):
    text = path.read_text(encoding="utf-8").splitlines()
    closing = [i for i, line in enumerate(text) if line == "+++"][1]
    del text[closing]
    path.write_text("\n".join(text), encoding="utf-8")
    return len(text)


def _bad_toml(path):
    edit(path, 'level = "co-ban"', "level = co-ban")
    return line_of(path, "level = co-ban")


def _unknown_topic(path):
    edit(path, 'topic = "dien-thoai"', 'topic = "xem-phim"')
    return line_of(path, 'topic = "xem-phim"')


def _one_question(path):
    path.write_text(lesson_text(path.stem, questions=QUESTIONS[:1]), encoding="utf-8")
    return line_of(path, "[[questions]]")


def _answer_out_of_range_first_question(path):
    edit(path, "answer = 1", "answer = 3")
    return line_of(path, "answer = 3")


def _answer_out_of_range_second_question(path):
    edit(path, "answer = 0", "answer = 7")
    return line_of(path, "answer = 7")


def _step_without_image(path):
    edit(path, "![Màn hình sau khi mở](b-hong-2.svg)\n", "")
    return line_of(path, "## Xem kết quả")


def _image_file_missing(path):
    (path.parent / "images" / "b-hong-2.svg").unlink()
    return line_of(path, "(b-hong-2.svg)")


def _text_before_first_step(path):
    edit(path, "+++\n\n## Mở ứng dụng", "+++\nLời mở đầu không thuộc bước nào.\n## Mở ứng dụng")
    return line_of(path, "Lời mở đầu")


def _minutes(value):
    def make(path):
        edit(path, "minutes = 5", f"minutes = {value}")
        return line_of(path, f"minutes = {value}")

    return make


MALFORMED = {
    "missing opening +++": _missing_opening,
    "missing closing +++": _missing_closing,
    "bad TOML": _bad_toml,
    "unknown topic": _unknown_topic,
    "only one question": _one_question,
    "answer out of range in the first question": _answer_out_of_range_first_question,
    "answer out of range in the second question": _answer_out_of_range_second_question,
    "step without an image": _step_without_image,
    "image file missing": _image_file_missing,
    "text before the first step": _text_before_first_step,
    "two minutes": _minutes(2),
    "nine minutes": _minutes(9),
    "minutes as text": _minutes('"5"'),
}


@pytest.fixture(params=MALFORMED.values(), ids=MALFORMED.keys())
def broken(request, tmp_path) -> tuple[Path, Path, int]:
    """(directory, bad file, expected line): good lessons either side of one bad file."""
    write_lesson(tmp_path, "a-tot")
    bad = write_lesson(tmp_path, "b-hong")
    write_lesson(tmp_path, "c-tot")
    line = request.param(bad)
    return tmp_path, bad, line


def test_a_malformed_file_names_itself_and_the_right_line(broken):
    directory, bad, line = broken

    with pytest.raises(ContentError) as caught:
        parse_directory(directory)

    assert caught.value.path == bad
    assert str(caught.value).startswith(f"{bad}, dòng ")
    assert caught.value.line == line, str(caught.value)


def test_one_malformed_file_among_several_loads_nothing_at_all(cast, broken):
    directory, _, _ = broken

    with pytest.raises(ContentError):
        lessons_load(commune=cast.commune, directory=directory)

    assert counts() == (0, 0, 0)


def test_a_malformed_file_leaves_lessons_loaded_earlier_untouched(cast, content):
    lessons_load(commune=cast.commune, directory=content)
    before = counts()
    edit(content / "cai-zalo.md", 'title = "Cài ứng dụng Zalo"', 'title = "Đã đổi tên"')
    bad = write_lesson(content, "hong", minutes=20)

    with pytest.raises(ContentError) as caught:
        lessons_load(commune=cast.commune, directory=content)

    assert caught.value.path == bad
    assert counts() == before
    assert Lesson.objects.get(slug="cai-zalo").title == "Cài ứng dụng Zalo"


# The management command and the checker ----------------------------------------------------


def test_the_command_loads_a_directory_into_one_commune(cast, content, capsys):
    call_command("lessons_load", "--dir", str(content), "--commune-code", str(cast.commune.code))

    assert "2 bài mới, 0 bài cập nhật" in capsys.readouterr().out
    assert Lesson.objects.filter(commune=cast.commune).count() == 2
    assert Lesson.objects.filter(commune=cast.commune2).count() == 0


def test_the_command_refuses_a_malformed_directory_and_exits_non_zero(cast, content):
    bad = write_lesson(content, "hong", topic="xem-phim")

    with pytest.raises(CommandError) as caught:
        call_command("lessons_load", "--dir", str(content))

    message = str(caught.value)
    assert "Lỗi nội dung" in message
    assert f"{bad}, dòng {line_of(bad, 'topic =')}" in message
    assert caught.value.returncode != 0
    assert counts() == (0, 0, 0)


def test_the_checker_reports_each_bad_file_with_its_line_and_exits_non_zero(content):
    bad = write_lesson(content, "hong", minutes=1)

    done = subprocess.run(
        [sys.executable, "-m", "learning.content", str(content)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert f"{bad}, dòng {line_of(bad, 'minutes =')}" in done.stdout
    assert "3 tệp, 1 tệp có lỗi" in done.stdout


def test_the_checker_passes_a_good_directory(content):
    done = subprocess.run(
        [sys.executable, "-m", "learning.content", str(content)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stdout
    assert "2 tệp, 0 tệp có lỗi" in done.stdout


def test_parse_directory_returns_every_lesson_in_file_order(content):
    specs = parse_directory(content)

    assert [s.slug for s in specs] == ["cai-zalo", "dang-ky-khai-sinh"]
    assert [s.title for s in specs[0].steps] == ["Mở ứng dụng", "Xem kết quả"]
    assert [s.phone_only for s in specs[0].steps] == [True, False]


# The shipped lessons ------------------------------------------------------------------------


def test_every_shipped_lesson_parses():
    specs = parse_directory(CONTENT_DIR)

    assert specs, f"no lessons in {CONTENT_DIR}"
    assert len({s.slug for s in specs}) == len(specs)


def test_the_shipped_lessons_cover_every_topic_and_domain_with_small_images():
    """The acceptance check for the lesson set (passes once every lesson is written)."""
    specs = parse_directory(CONTENT_DIR)
    images = CONTENT_DIR / "images"

    assert set(TOPICS) - {s.topic for s in specs} == set(), "topics without a lesson"
    assert set(DOMAINS) - {s.domain for s in specs} == set(), "domains without a lesson"
    for spec in specs:
        assert 2 <= len(spec.questions) <= 3, spec.slug
        for step in spec.steps:
            size = (images / step.image).stat().st_size
            assert size <= settings.LESSON_IMAGE_MAX_BYTES, f"{spec.slug}: {step.image} {size} B"
