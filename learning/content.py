"""Lesson content files: TOML front matter between +++ lines, then Markdown steps.

    +++
    title = "Cài ứng dụng từ CH Play"
    topic = "dien-thoai"            # see TOPICS
    goal = "lien-lac"               # see GOALS: the "what do you want to do?" entry
    domain = "khai-thac"            # see DOMAINS (national digital-competence framework)
    level = "co-ban"                # co-ban | nang-cao
    minutes = 5                     # 3..8
    order = 10                      # position inside the topic
    summary = "One sentence shown in lists."
    why = "What it saves you: a trip, time, money, a middleman."
    practice = "A short 'try it now' task."
    safety = "Safety tip (required for money, identity and data topics)."

    [[questions]]                   # 2 or 3
    text = "…"
    options = ["…", "…", "…"]       # 3 or 4
    answer = 1                      # index of the right option, from 0
    explanation = "Why; for wrong options, the mistake people really make."
    +++

    ## Step title {phone-only}
    ![Alt text describing the drawing](image-name.svg)
    Markdown text of the step. Name buttons in **bold**. Say what the reader will see.

Every "## " heading starts a step (2 to 8 of them); each has exactly one image from
content/lessons/images/. Run `python -m learning.content content/lessons` to check files.
"""

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

TOPICS = {
    "chuyen-doi-so": "Chuyển đổi số là gì",
    "dien-thoai": "Dùng điện thoại thông minh",
    "dich-vu-cong": "Làm thủ tục hành chính qua mạng",
    "ngan-hang-so": "Ngân hàng số, trả tiền qua điện thoại",
    "ban-hang": "Bán nông sản trên mạng",
    "nong-nghiep": "Ứng dụng cho nhà nông",
    "an-toan": "An toàn trên mạng, phòng lừa đảo",
}
GOALS = {
    "hieu-chuyen-doi-so": "Hiểu chuyển đổi số giúp gì cho tôi",
    "lien-lac": "Liên lạc với con cháu, bạn bè",
    "giay-to": "Làm giấy tờ không phải đi xa",
    "tra-tien": "Trả tiền, chuyển tiền không cần tiền mặt",
    "ban-hang": "Bán được nhiều hàng hơn",
    "lam-an": "Làm ruộng, chăn nuôi giỏi hơn",
    "suc-khoe": "Chăm lo sức khỏe",
    "khong-bi-lua": "Không bị lừa, giữ an toàn",
}
DOMAINS = {
    "khai-thac": "Khai thác dữ liệu và thông tin",
    "giao-tiep": "Giao tiếp và hợp tác trong môi trường số",
    "sang-tao": "Sáng tạo nội dung số",
    "an-toan": "An toàn",
    "giai-quyet": "Giải quyết vấn đề",
    "tri-tue-nhan-tao": "Ứng dụng trí tuệ nhân tạo",
}
LEVELS = {"co-ban": "Cơ bản", "nang-cao": "Nâng cao"}
NEEDS_SAFETY = {"dich-vu-cong", "ngan-hang-so", "ban-hang", "an-toan"}
PHONE_ONLY = "{phone-only}"

_IMAGE = re.compile(r"^!\[([^\]]*)\]\(([A-Za-z0-9._-]+)\)\s*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class ContentError(ValueError):
    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path}, dòng {line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Step:
    title: str
    image: str
    image_alt: str
    body: str
    phone_only: bool


@dataclass
class Question:
    text: str
    options: list[str]
    answer: int
    explanation: str


@dataclass
class LessonSpec:
    slug: str
    title: str
    topic: str
    goal: str
    domain: str
    level: str
    minutes: int
    order: int
    summary: str
    why: str
    practice: str
    safety: str
    steps: list[Step] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)


def _line_of(lines: list[str], key: str, default: int = 1, after: int = 0) -> int:
    """Line number (from 1) of `key = …` or of a `[[key]]` table, searching from `after`."""
    pattern = re.compile(rf"^\s*({re.escape(key)}\s*=|\[\[{re.escape(key)}\]\])")
    for number, line in enumerate(lines[after:], after + 1):
        if pattern.match(line):
            return number
    return default


def parse_lesson(path: Path, images_dir: Path | None = None) -> LessonSpec:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        raise ContentError(path, 1, "tệp phải bắt đầu bằng dòng +++ (phần thông tin TOML)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        raise ContentError(path, len(lines), "phần thông tin thiếu dòng +++ đóng lại") from None
    head = lines[1:end]
    try:
        meta = tomllib.loads("\n".join(head))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ContentError(path, int(match.group(1)) + 1 if match else 1, str(exc)) from None

    def fail(key: str, message: str, after: int = 0):
        raise ContentError(path, _line_of(head, key, after, after) + 1, message)

    def text_of(key: str, required: bool = True) -> str:
        value = meta.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            fail(key, f"'{key}' phải là một đoạn chữ, không được để trống")
        return value.strip()

    def choice(key: str, allowed: dict) -> str:
        value = meta.get(key)
        if value not in allowed:
            fail(key, f"'{key}' phải là một trong: {', '.join(allowed)}; đang là {value!r}")
        return value

    slug = path.stem
    if not _SLUG.match(slug):
        raise ContentError(path, 1, "tên tệp phải là chữ thường không dấu, nối bằng dấu '-'")
    topic = choice("topic", TOPICS)
    minutes = meta.get("minutes")
    if not isinstance(minutes, int) or not 3 <= minutes <= 8:
        fail("minutes", "'minutes' phải là số nguyên từ 3 đến 8")
    order = meta.get("order", 100)
    if not isinstance(order, int):
        fail("order", "'order' phải là số nguyên")
    spec = LessonSpec(
        slug=slug,
        title=text_of("title"),
        topic=topic,
        goal=choice("goal", GOALS),
        domain=choice("domain", DOMAINS),
        level=choice("level", LEVELS),
        minutes=minutes,
        order=order,
        summary=text_of("summary"),
        why=text_of("why"),
        practice=text_of("practice"),
        safety=text_of("safety", required=topic in NEEDS_SAFETY),
    )
    allowed = {"title", "topic", "goal", "domain", "level", "minutes", "order", "summary", "why"}
    allowed |= {"practice", "safety", "questions"}
    unknown = set(meta) - allowed
    if unknown:
        fail(sorted(unknown)[0], f"khóa không hợp lệ: {', '.join(sorted(unknown))}")

    questions = meta.get("questions", [])
    if not isinstance(questions, list) or not 2 <= len(questions) <= 3:
        fail("questions", "mỗi bài cần 2 hoặc 3 câu hỏi [[questions]]")
    starts = [i for i, line in enumerate(head) if line.strip() == "[[questions]]"]
    for index, q in enumerate(questions):
        at = starts[index] if index < len(starts) else 0

        def fail(key: str, message: str, at: int = at):
            raise ContentError(path, _line_of(head, key, at, at) + 1, message)

        options = q.get("options")
        answer = q.get("answer")
        if not isinstance(q.get("text"), str) or not q["text"].strip():
            fail("text", "câu hỏi nào cũng cần 'text'")
        if not isinstance(options, list) or not 3 <= len(options) <= 4:
            fail("options", f"câu hỏi '{q['text'][:40]}' cần 3 hoặc 4 lựa chọn")
        if not all(isinstance(o, str) and o.strip() for o in options):
            fail("options", "các lựa chọn không được để trống")
        if not isinstance(answer, int) or not 0 <= answer < len(options):
            fail("answer", f"câu hỏi '{q['text'][:40]}': 'answer' phải từ 0 đến {len(options) - 1}")
        if not isinstance(q.get("explanation"), str) or not q["explanation"].strip():
            fail("explanation", f"câu hỏi '{q['text'][:40]}' cần 'explanation' (giải thích)")
        spec.questions.append(Question(q["text"].strip(), options, answer, q["explanation"]))

    images = images_dir or path.parent / "images"
    spec.steps = parse_steps(
        lines, start=end + 1, path=path, image_exists=lambda name: (images / name).is_file()
    )
    return spec


def body_of(path: Path) -> str:
    """The Markdown steps of a lesson file (everything after the front matter)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    return "\n".join(lines[end + 1 :]).strip() + "\n"


def parse_steps(
    lines: list[str], *, start: int = 0, path: Path | str = "bài học", image_exists
) -> list[Step]:
    """Steps from Markdown lines; line numbers in errors count from the file's first line."""
    path = Path(path)
    steps: list[Step] = []
    current: dict | None = None

    def close(line_number: int):
        if current is None:
            return
        if not current["image"]:
            raise ContentError(
                path, current["line"], "mỗi bước cần một dòng hình ![mô tả](ten-hinh.svg)"
            )
        body = "\n".join(current["body"]).strip()
        if not body:
            raise ContentError(path, current["line"], "bước này chưa có nội dung")
        steps.append(
            Step(current["title"], current["image"], current["alt"], body, current["phone"])
        )

    for number in range(start, len(lines)):
        line = lines[number]
        if line.startswith("## "):
            close(number)
            title = line[3:].strip()
            phone = title.endswith(PHONE_ONLY)
            title = title.removesuffix(PHONE_ONLY).strip()
            if not title:
                raise ContentError(path, number + 1, "tiêu đề bước (## ...) không được để trống")
            current = {
                "title": title,
                "phone": phone,
                "image": "",
                "alt": "",
                "body": [],
                "line": number + 1,
            }
        elif current is None:
            if line.strip():
                raise ContentError(
                    path, number + 1, "có chữ nằm trước tiêu đề bước đầu tiên (## ...)"
                )
        elif match := _IMAGE.match(line.strip()):
            if current["image"]:
                raise ContentError(path, number + 1, "mỗi bước chỉ có một hình")
            alt, name = match.groups()
            if not alt.strip():
                raise ContentError(
                    path, number + 1, "hình cần có mô tả trong ngoặc vuông ![mô tả](...)"
                )
            if not image_exists(name):
                raise ContentError(path, number + 1, f"không tìm thấy hình {name}")
            current["image"], current["alt"] = name, alt.strip()
        elif line.lstrip().startswith("!["):
            raise ContentError(path, number + 1, "dòng hình phải có dạng ![mô tả](ten-hinh.svg)")
        else:
            current["body"].append(line)
    close(len(lines))
    if not 2 <= len(steps) <= 8:
        raise ContentError(path, start + 1, f"mỗi bài cần từ 2 đến 8 bước, đang có {len(steps)}")
    return steps


def parse_directory(directory: Path) -> list[LessonSpec]:
    """Parse every lesson; raise the first error so nothing half-valid is loaded."""
    specs = [parse_lesson(p) for p in sorted(directory.glob("*.md"))]
    return specs


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "content/lessons")
    errors = 0
    for file in sorted(folder.glob("*.md")):
        try:
            parse_lesson(file)
        except ContentError as exc:
            errors += 1
            print(exc)
    print(f"{len(list(folder.glob('*.md')))} tệp, {errors} tệp có lỗi")
    sys.exit(1 if errors else 0)
