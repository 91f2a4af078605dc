"""A contest's question bank from Excel: the template, the row checks, the all-or-nothing import.

Every row is checked before anything is written; one bad row means no question is imported and
the organiser gets each problem with its Excel row and column, in Vietnamese.
"""

from __future__ import annotations

import logging
import unicodedata
import zipfile
from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from contests.models import Question
from lib.vntext import fold

logger = logging.getLogger("contests")

MAX_UPLOAD = 2 * 1024 * 1024
MAX_UNZIPPED = 25 * 1024 * 1024
MAX_QUESTIONS = 1000
MAX_SCANNED_ROWS = 5000
TEXT_MAX = 1000
OPTION_MAX = 300
LETTERS = "ABCD"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# (key, header, width)
COLUMNS = [
    ("text", "Câu hỏi", 50),
    ("option_a", "Phương án A", 24),
    ("option_b", "Phương án B", 24),
    ("option_c", "Phương án C", 24),
    ("option_d", "Phương án D", 24),
    ("answer", "Đáp án đúng (A, B, C, D)", 14),
    ("topic", "Chủ đề", 22),
    ("difficulty", "Độ khó (Dễ, Trung bình, Khó)", 16),
]
HEADERS = {key: header for key, header, _ in COLUMNS}
OPTION_KEYS = ["option_a", "option_b", "option_c", "option_d"]
EXAMPLE = [
    "Khi nhận tin nhắn báo trúng thưởng kèm đường link lạ, bạn nên làm gì?",
    "Bấm vào link để nhận thưởng",
    "Không bấm, báo cho công an xã hoặc Tổ công nghệ số",
    "Gửi mã OTP cho người nhắn",
    "",
    "B",
    "An toàn trên mạng",
    "Dễ",
]
NOTE = (
    "Mỗi dòng một câu hỏi, 2 đến 4 phương án (ghi liền từ cột Phương án A). Đáp án đúng ghi "
    "một chữ A, B, C hoặc D. Độ khó để trống được tính là Trung bình. Dòng mẫu (chữ nghiêng, "
    "màu xám) được bỏ qua nếu để nguyên."
)
DIFFICULTIES = {
    "de": Question.Difficulty.EASY,
    "trung binh": Question.Difficulty.MEDIUM,
    "tb": Question.Difficulty.MEDIUM,
    "kho": Question.Difficulty.HARD,
}


class FileRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the key of COLUMNS
    reason: str

    def __str__(self) -> str:
        letter = get_column_letter([k for k, _, _ in COLUMNS].index(self.column) + 1)
        return f"Dòng {self.row}, cột {letter} ({HEADERS[self.column]}): {self.reason}"


@dataclass
class CheckResult:
    rows: list[dict]
    problems: list[Problem]

    @property
    def importable(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


def question_key(text: str) -> str:
    """Two questions are the same if their text folds the same (case, accents, spaces)."""
    return fold(text)


def template_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append([NOTE])
    last = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, color="9C0006")
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 48
    sheet.append([header for _, header, _ in COLUMNS])
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append(EXAMPLE)
    for cell in sheet[3]:
        cell.font = Font(italic=True, color="808080")
    sheet.freeze_panes = "A3"
    end = 3 + MAX_QUESTIONS
    answer_rule = DataValidation(
        type="list", formula1='"A,B,C,D"', allow_blank=True, showErrorMessage=True
    )
    answer_rule.error = "Ghi một chữ A, B, C hoặc D."
    answer_rule.add(f"F3:F{end}")
    level_rule = DataValidation(
        type="list", formula1='"Dễ,Trung bình,Khó"', allow_blank=True, showErrorMessage=True
    )
    level_rule.error = "Chọn Dễ, Trung bình hoặc Khó."
    level_rule.add(f"H3:H{end}")
    sheet.add_data_validation(answer_rule)
    sheet.add_data_validation(level_rule)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _match(header: str) -> str | None:
    h = fold(header)
    if h.startswith("cau hoi") or h == "noi dung":
        return "text"
    for key, letter in zip(OPTION_KEYS, LETTERS, strict=True):
        if h in {f"phuong an {letter.lower()}", letter.lower()}:
            return key
    if h.startswith(("dap an", "dung")):
        return "answer"
    if h.startswith("chu de"):
        return "topic"
    if h.startswith("do kho"):
        return "difficulty"
    return None


def _open(name: str, data: bytes):
    if not (name or "").lower().endswith(".xlsx"):
        raise FileRefused("Chỉ nhận tệp Excel đuôi .xlsx (như tệp mẫu ở bước 1).")
    if not data:
        raise FileRefused("Tệp trống. Hãy chọn tệp câu hỏi đã điền (.xlsx).")
    if len(data) > MAX_UPLOAD:
        raise FileRefused("Tệp lớn hơn 2 MB. Hãy xóa ảnh, trang tính thừa hoặc chia nhỏ tệp.")
    corrupt = "Không đọc được tệp: tệp bị hỏng hoặc không phải tệp Excel. Hãy lưu lại thành .xlsx."
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if sum(e.file_size for e in archive.infolist()) > MAX_UNZIPPED:
                raise FileRefused("Tệp chứa quá nhiều dữ liệu. Hãy chép câu hỏi sang tệp mẫu.")
        return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception:
        logger.info("unreadable question file", exc_info=True)
        raise FileRefused(corrupt) from None


def _read(book) -> list[tuple[int, dict]]:
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(max_col=len(COLUMNS) + 4, values_only=True)
    columns: dict[str, int] | None = None
    found: list[tuple[int, dict]] = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_SCANNED_ROWS:
            raise FileRefused(f"Tệp quá dài: tối đa {MAX_QUESTIONS} câu hỏi mỗi lần nhập.")
        if columns is None:
            keys = {_match(_text(v)): i for i, v in enumerate(row) if v is not None}
            keys.pop(None, None)
            if "text" in keys and "answer" in keys:
                columns = keys
            elif number >= 10:
                break
            continue
        values = {key: _text(row[i]) if i < len(row) else "" for key, i in columns.items()}
        if any(values.values()):
            found.append((number, values))
            if len(found) > MAX_QUESTIONS + 1:
                raise FileRefused(f"Tệp có hơn {MAX_QUESTIONS} câu hỏi. Hãy chia thành nhiều tệp.")
    if columns is None:
        raise FileRefused(
            "Không tìm thấy dòng tiêu đề có cột “Câu hỏi” và “Đáp án đúng”. "
            "Hãy dùng tệp mẫu ở bước 1 (giữ nguyên dòng tiêu đề)."
        )
    missing = [HEADERS[k] for k in OPTION_KEYS[:2] if k not in columns]
    if missing:
        raise FileRefused("Thiếu cột: " + ", ".join(f"“{m}”" for m in missing) + ".")
    return found


def check_rows(found: list[tuple[int, dict]], *, existing: set[str]) -> CheckResult:
    """Check every row; `existing` holds the question keys already in the bank."""
    problems: list[Problem] = []
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for number, values in found:
        if [values.get(k, "") for k, _, _ in COLUMNS] == EXAMPLE:
            continue
        here: list[Problem] = []
        text = values.get("text", "")
        if not text:
            here.append(Problem(number, "text", "chưa có nội dung câu hỏi"))
        elif len(text) > TEXT_MAX:
            here.append(Problem(number, "text", f"câu hỏi dài quá {TEXT_MAX} ký tự"))
        raw = [values.get(k, "") for k in OPTION_KEYS]
        while raw and not raw[-1]:
            raw.pop()
        for key, value in zip(OPTION_KEYS, raw, strict=False):
            if not value:
                here.append(Problem(number, key, "để trống nhưng các cột sau lại có phương án"))
            elif len(value) > OPTION_MAX:
                here.append(Problem(number, key, f"phương án dài quá {OPTION_MAX} ký tự"))
        if len([o for o in raw if o]) < 2:
            here.append(Problem(number, "option_b", "cần ít nhất 2 phương án (Phương án A và B)"))
        letter = values.get("answer", "").upper().strip(". ")
        answer = None
        if not letter:
            here.append(Problem(number, "answer", "chưa ghi đáp án đúng (A, B, C hoặc D)"))
        elif letter not in LETTERS:
            here.append(Problem(number, "answer", f"“{letter[:10]}” không phải A, B, C hoặc D"))
        elif LETTERS.index(letter) >= len(raw) or not raw[LETTERS.index(letter)]:
            here.append(
                Problem(number, "answer", f"đáp án {letter} nhưng Phương án {letter} để trống")
            )
        else:
            answer = LETTERS.index(letter)
        level = fold(values.get("difficulty", ""))
        difficulty = DIFFICULTIES.get(level) if level else Question.Difficulty.MEDIUM
        if difficulty is None:
            here.append(
                Problem(
                    number,
                    "difficulty",
                    f"“{values['difficulty'][:20]}” không hợp lệ: ghi Dễ, Trung bình hoặc Khó",
                )
            )
        topic = values.get("topic", "")[:100]
        if text:
            key = question_key(text)
            if key in seen:
                here.append(Problem(number, "text", f"trùng với câu hỏi ở dòng {seen[key]}"))
            elif key in existing:
                here.append(Problem(number, "text", "câu hỏi này đã có trong ngân hàng câu hỏi"))
            else:
                seen[key] = number
        problems += here
        if not here:
            rows.append(
                {
                    "row": number,
                    "text": text,
                    "options": raw,
                    "answer": answer,
                    "topic": topic,
                    "difficulty": str(difficulty),
                }
            )
    if not found or (not rows and not problems):
        raise FileRefused("Tệp chưa có câu hỏi nào (ngoài dòng mẫu).")
    return CheckResult(rows=rows if not problems else [], problems=problems)


def check_file(name: str, data: bytes, *, existing: set[str]) -> CheckResult:
    """Read and check an uploaded question file. Writes nothing. Raises FileRefused."""
    book = _open(name, data)
    try:
        found = _read(book)
    except FileRefused:
        raise
    except Exception:
        logger.info("unreadable question file", exc_info=True)
        raise FileRefused("Không đọc được tệp. Hãy lưu lại thành .xlsx rồi tải lên.") from None
    finally:
        book.close()
    return check_rows(found, existing=existing)
