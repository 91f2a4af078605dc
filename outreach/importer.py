"""Residents from a hamlet's Excel list: the template, the checks, the all-or-nothing import.

Every row is checked before anything is written; one bad row means nobody is imported and the
official gets the list of bad rows (Excel row number and the reason, in Vietnamese) to fix the
file. Citizen-ID numbers are never read: a file with such a column is refused as a whole, and
columns this module does not know are skipped without reading their values.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.access import hamlets_for_user
from accounts.models import Resident, User
from accounts.phone import PHONE_HELP, normalize_phone
from accounts.services import resident_register
from lib.vntext import fold
from places.models import Hamlet

logger = logging.getLogger(__name__)

HARD_UPLOAD_LIMIT = 2 * 1024 * 1024
MAX_ROWS = 2000  # people per file: a hamlet list is a few hundred; ~6 ms each to import
MAX_SCANNED_ROWS = 20_000  # rows read, blank ones included
MAX_COLUMNS = 40
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024  # a zip bomb is refused before openpyxl sees it
HEADER_SEARCH_ROWS = 10
NAME_MAX = 100

# (key, header in the template, column width)
COLUMNS = [
    ("full_name", "Họ và tên", 28),
    ("birth_year", "Năm sinh", 10),
    ("sex", "Giới tính (Nam/Nữ)", 12),
    ("hamlet", "Xóm", 22),
    ("phone", "Số điện thoại (nếu có)", 18),
    ("has_disability", "Người khuyết tật (x nếu có)", 15),
    ("is_poor_household", "Hộ nghèo, cận nghèo (x nếu có)", 17),
]
HEADERS = {key: header for key, header, _ in COLUMNS}
FLAG_KEYS = ("has_disability", "is_poor_household")
TEMPLATE_HEADER_ROW = 2
TEMPLATE_EXAMPLE_ROW = 3
EXAMPLE = {
    "full_name": "Nguyễn Văn Mẫu",
    "birth_year": 1958,
    "sex": "Nam",
    "phone": "0912345678",
    "has_disability": "",
    "is_poor_household": "x",
}
NOTE = (
    "Lưu ý: KHÔNG ghi số căn cước công dân, chứng minh nhân dân hay mã định danh cá nhân — "
    "Học vụ số không bao giờ lưu các số này. Mỗi dòng ghi một người. Dòng mẫu (chữ nghiêng, "
    "màu xám) được bỏ qua nếu để nguyên; có thể xóa hoặc ghi đè lên dòng đó."
)
NO_ID_EXPLANATION = (
    "Học vụ số không bao giờ lưu số căn cước công dân, chứng minh nhân dân hay mã định danh: "
    "để hướng dẫn người dân chỉ cần họ tên, năm sinh, giới tính, xóm và số điện thoại (nếu có)."
)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A header naming a personal identification number. Matched on folded text.
_ID_HEADER = re.compile(
    r"\b(cccd|cmnd|cmt|cmtnd|can cuoc|chung minh|dinh danh|ho chieu|passport)\b"
)
_HAMLET_PREFIX = re.compile(r"^(xom|thon|to dan pho|to|ban|ap|khoi)\s+")
_TRUE = {"x", "co", "1", "true", "yes", "v", "✓", "✔"}
_FALSE = {"", "0", "khong", "false", "no", "-"}
_NAMESPACE = uuid.UUID("6f1c2b0e-3d0a-4f5e-9a57-0b1f3c7d2e91")


class FileRefused(Exception):
    """The file as a whole cannot be read or must not be read; the message says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int  # the row number Excel shows
    reason: str

    def __str__(self) -> str:
        return f"Dòng {self.row}: {self.reason}"


@dataclass
class CheckResult:
    rows: list[dict]  # the good rows, ready for import (JSON-serialisable)
    problems: list[Problem]
    data_rows: int  # rows holding a person (not blank, not the untouched example)
    sheet: str = ""
    example_skipped: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def importable(self) -> bool:
        return not self.problems and bool(self.rows)


class ImportBlocked(Exception):
    """Rows that were good at the preview are not any more; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class ImportOutcome:
    count: int
    by_hamlet: list[tuple[str, int]]
    already_done: bool = False  # a repeat of a confirm that had already imported these rows


def upload_limit() -> int:
    """The size cap for a list: DATA_UPLOAD_MAX_MEMORY_SIZE or 2 MB, whichever is smaller."""
    configured = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None)
    return min(configured, HARD_UPLOAD_LIMIT) if configured else HARD_UPLOAD_LIMIT


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{max(1, n // 1024)} KB"


def year_bounds() -> tuple[int, int]:
    """The same range as the registration form."""
    this_year = timezone.localdate().year
    return this_year - 120, this_year


# The template ----------------------------------------------------------------------------


def template_workbook(hamlets: Sequence[Hamlet]) -> bytes:
    """An empty list to fill in: a note, the headers, one grey example row, dropdowns."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách người dân"
    last_col = get_column_letter(len(COLUMNS))

    sheet.append([NOTE])
    sheet.merge_cells(f"A1:{last_col}1")
    sheet["A1"].font = Font(bold=True, color="9C0006")
    sheet["A1"].fill = PatternFill("solid", fgColor="FFF4D6")
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 48

    sheet.append([header for _, header, _ in COLUMNS])
    for index, (_, _, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=TEMPLATE_HEADER_ROW, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[TEMPLATE_HEADER_ROW].height = 32

    example_hamlet = hamlets[0].name if hamlets else "Xóm …"
    sheet.append([EXAMPLE[key] if key != "hamlet" else example_hamlet for key, _, _ in COLUMNS])
    for cell in sheet[TEMPLATE_EXAMPLE_ROW]:
        cell.font = Font(italic=True, color="808080")
    sheet["E3"].number_format = "@"
    sheet.freeze_panes = f"A{TEMPLATE_EXAMPLE_ROW}"
    # Phone numbers as text, so Excel keeps the leading 0.
    sheet.column_dimensions["E"].number_format = "@"

    first, last = TEMPLATE_EXAMPLE_ROW, TEMPLATE_EXAMPLE_ROW + MAX_ROWS
    low, high = year_bounds()
    year_rule = DataValidation(
        type="whole",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Năm sinh",
        error=f"Ghi năm sinh bằng 4 chữ số, từ {low} đến {high}.",
    )
    year_rule.add(f"B{first}:B{last}")
    sex_rule = DataValidation(
        type="list",
        formula1='"Nam,Nữ"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giới tính",
        error="Chọn Nam hoặc Nữ.",
    )
    sex_rule.add(f"C{first}:C{last}")
    flag_rule = DataValidation(
        type="list",
        formula1='"x"',
        allow_blank=True,
        showErrorMessage=True,
        error="Ghi x nếu có, để trống nếu không.",
    )
    flag_rule.add(f"F{first}:G{last}")
    rules = [year_rule, sex_rule, flag_rule]
    if hamlets:
        # The names live on a hidden sheet: an inline list breaks on commas and 255 characters.
        names = book.create_sheet("Danh mục xóm")
        for hamlet in hamlets:
            names.append([hamlet.name])
        names.sheet_state = "hidden"
        hamlet_rule = DataValidation(
            type="list",
            formula1=f"'Danh mục xóm'!$A$1:$A${len(hamlets)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Xóm",
            error="Chọn xóm trong danh sách.",
        )
        hamlet_rule.add(f"D{first}:D{last}")
        rules.append(hamlet_rule)
    for rule in rules:
        sheet.add_data_validation(rule)

    out = BytesIO()
    book.save(out)
    return out.getvalue()


# Reading a file --------------------------------------------------------------------------


def _ext(name: str) -> str:
    name = (name or "").strip().lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def _refuse_wrong_kind(name: str, data: bytes) -> None:
    ext = _ext(name)
    save_as = (
        "Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) → Excel Workbook (.xlsx), rồi tải lên lại."
    )
    if not data:
        raise FileRefused("Tệp trống, không có gì để đọc. Hãy chọn đúng tệp danh sách (.xlsx).")
    if ext == "xls" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise FileRefused(
            "Đây là tệp Excel kiểu cũ (.xls) hoặc tệp có đặt mật khẩu, hệ thống chưa đọc được. "
            + save_as
        )
    if ext == "csv":
        raise FileRefused(
            "Không nhận tệp .csv: tệp này dễ mất dấu tiếng Việt và số 0 ở đầu số điện thoại. "
            "Hãy dùng tệp mẫu .xlsx ở bước 1."
        )
    if ext == "ods":
        raise FileRefused(
            "Đây là tệp LibreOffice (.ods). Hãy chọn Lưu thành (Save As) → Excel 2007-365 (.xlsx), "
            "rồi tải lên lại."
        )
    if ext != "xlsx":
        raise FileRefused(
            "Chỉ nhận tệp Excel đuôi .xlsx (như tệp mẫu ở bước 1). Tệp bạn chọn không phải .xlsx."
        )
    if not data.startswith(b"PK"):
        raise FileRefused(_corrupt_message())


def _corrupt_message() -> str:
    return (
        "Không đọc được tệp này: tệp bị hỏng hoặc không phải tệp Excel thật. Hãy mở tệp bằng "
        "Excel, lưu lại thành .xlsx rồi tải lên lần nữa."
    )


def _refuse_bad_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            unzipped = sum(entry.file_size for entry in entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise FileRefused(_corrupt_message()) from None
    if "[Content_Types].xml" not in names:
        raise FileRefused(_corrupt_message())
    if unzipped > MAX_UNZIPPED_BYTES:
        raise FileRefused(
            "Tệp Excel này chứa quá nhiều dữ liệu (có thể có ảnh hoặc nhiều trang tính lớn). "
            "Hãy chép riêng danh sách người dân sang tệp mẫu rồi tải lên."
        )


def _text(value) -> str:
    """A cell as trimmed text with single spaces, NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", " ".join(str(value).split()))


def _shown(text: str) -> str:
    """A cell value safe to echo back: short, and never a long number (an ID could hide there)."""
    if re.search(r"\d{7,}", text):
        return ""
    return text if len(text) <= 40 else text[:40] + "…"


def _quoted(text: str) -> str:
    shown = _shown(text)
    return f" “{shown}”" if shown else ""


def _match_column(header: str) -> str | None:
    h = fold(header)
    if h.startswith(("ho va ten", "ho ten", "ho, ten")):
        return "full_name"
    if h.startswith("nam sinh") or h == "ns":
        return "birth_year"
    if h.startswith("gioi tinh") or h == "gioi":
        return "sex"
    if h.startswith(("xom", "thon", "to dan pho", "ban ")) or h == "ban":
        return "hamlet"
    if h.startswith(("so dien thoai", "dien thoai", "sdt", "so dt", "dt ")):
        return "phone"
    if "khuyet tat" in h:
        return "has_disability"
    if "ngheo" in h:
        return "is_poor_household"
    return None


def _find_header(rows: list[tuple]) -> int | None:
    """The first row naming the "Họ và tên" column and at least one other known column."""
    for index, row in enumerate(rows):
        keys = {_match_column(_text(v)) for v in row if v is not None} - {None}
        if "full_name" in keys and len(keys) >= 2:
            return index
    return None


def _refuse_id_columns(header: tuple) -> None:
    for col, value in enumerate(header, start=1):
        text = _text(value)
        if text and _ID_HEADER.search(fold(text)):
            raise FileRefused(
                f"Tệp có cột “{text[:60]}” (cột {get_column_letter(col)}) ghi số giấy tờ tùy thân. "
                f"{NO_ID_EXPLANATION} Hãy xóa hẳn cột này khỏi tệp (không chỉ ẩn đi) rồi tải lên "
                "lại. Chưa có dòng nào được đọc hay lưu."
            )


def _map_columns(header: tuple, *, hamlet_optional: bool) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, value in enumerate(header):
        text = _text(value)
        if not text:
            continue
        key = _match_column(text)
        if key is None:
            ignored.append(text[:60])
            continue
        if key in columns:
            first = get_column_letter(columns[key] + 1)
            raise FileRefused(
                f"Có hai cột “{HEADERS[key]}” (cột {first} và cột {get_column_letter(index + 1)}). "
                "Hãy giữ một cột rồi tải lên lại."
            )
        columns[key] = index
    required = ["full_name", "birth_year", "sex"] + ([] if hamlet_optional else ["hamlet"])
    missing = [HEADERS[k] for k in required if k not in columns]
    if missing:
        raise FileRefused(
            "Thiếu cột: "
            + ", ".join(f"“{m}”" for m in missing)
            + ". Hãy dùng tệp mẫu ở bước 1 (giữ nguyên dòng tiêu đề)."
        )
    return columns, ignored


class _HamletFinder:
    """A hamlet name typed any way (no accents, no "Xóm") to one of the uploader's hamlets."""

    def __init__(self, mine: Iterable[Hamlet], commune_hamlets: Iterable[Hamlet]):
        self.mine = {h.pk: h for h in mine}
        self.exact: dict[str, Hamlet] = {}
        self.loose: dict[str, list[Hamlet]] = {}
        for hamlet in commune_hamlets:
            self.exact[hamlet.name.casefold()] = hamlet
            for key in self._keys(hamlet.name):
                bucket = self.loose.setdefault(key, [])
                if hamlet not in bucket:
                    bucket.append(hamlet)

    @staticmethod
    def _keys(name: str) -> set[str]:
        folded = fold(name)
        return {folded, _HAMLET_PREFIX.sub("", folded)}

    def only(self) -> Hamlet | None:
        return next(iter(self.mine.values())) if len(self.mine) == 1 else None

    def find(self, text: str) -> tuple[Hamlet | None, str | None]:
        if not text:
            only = self.only()
            return (only, None) if only else (None, "Chưa ghi xóm")
        hamlet = self.exact.get(text.casefold())
        if hamlet is None:
            found: list[Hamlet] = []
            for key in self._keys(text):
                for candidate in self.loose.get(key, []):
                    if candidate not in found:
                        found.append(candidate)
            if len(found) > 1:
                names = ", ".join(h.name for h in found)
                return None, f"Xóm{_quoted(text)} có thể là {names}: hãy ghi đúng tên có dấu"
            hamlet = found[0] if found else None
        if hamlet is None:
            names = ", ".join(h.name for h in self.mine.values())
            return None, f"Không có xóm{_quoted(text)} trong xã (các xóm: {names})"
        if hamlet.pk not in self.mine:
            names = ", ".join(h.name for h in self.mine.values())
            return (
                None,
                f"{hamlet.name} không phải xóm bạn phụ trách; bạn chỉ nhập được cho {names}",
            )
        return hamlet, None


def _name(value) -> tuple[str | None, str | None]:
    name = _text(value)
    if not name:
        return None, "Chưa ghi họ và tên"
    if any(ch.isdigit() for ch in name):
        return None, "Họ và tên không được có chữ số"
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs", "Cn"} for ch in name):
        return None, "Họ và tên có ký tự lạ (không phải chữ); hãy gõ lại"
    if len(name) > NAME_MAX:
        return None, f"Họ và tên dài quá {NAME_MAX} ký tự"
    words = name.split()
    if len(words) < 2:
        return None, f"Họ và tên{_quoted(name)} chưa đủ: cần cả họ và tên, ví dụ Nguyễn Thị Lan"
    if not all(any(ch.isalpha() for ch in word) for word in words):
        return None, f"Họ và tên{_quoted(name)} không hợp lệ"
    if name.isupper() or name.islower():
        name = name.title()
    return name, None


def _year(value) -> tuple[int | None, str | None]:
    low, high = year_bounds()
    rule = f"phải từ {low} đến {high}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "Chưa ghi năm sinh"
    year: int | None = None
    if isinstance(value, bool):
        year = None
    elif isinstance(value, datetime | date):
        year = value.year
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        year = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[0-9]{1,6}", text):
            year = int(text)
        elif match := re.fullmatch(r"[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-]([0-9]{4})", text):
            year = int(match[1])
    if year is None:
        return None, f"Năm sinh{_quoted(_text(value))} không hợp lệ (ghi 4 chữ số, {rule})"
    if not low <= year <= high:
        shown = f" {year}" if _shown(str(year)) else ""
        return None, f"Năm sinh{shown} không hợp lệ ({rule})"
    return year, None


def _sex(value) -> tuple[str | None, str | None]:
    text = _text(value)
    folded = fold(text)
    if folded in {"nam", "nam gioi"}:
        return Resident.Sex.MALE, None
    if folded in {"nu", "nu gioi"}:
        return Resident.Sex.FEMALE, None
    if not text:
        return None, "Chưa ghi giới tính (Nam hoặc Nữ)"
    return None, f"Giới tính{_quoted(text)} không hợp lệ: ghi Nam hoặc Nữ"


def _phone(value) -> tuple[str | None, str | None]:
    text = _text(value)
    if not text:
        return None, None
    digits = re.sub(r"[\s.\-()]", "", text)
    if re.fullmatch(r"[35789][0-9]{8}", digits):
        digits = "0" + digits  # Excel dropped the leading 0 of a number
    try:
        return normalize_phone(digits), None
    except ValidationError:
        if re.fullmatch(r"[0-9]{9}|[0-9]{12}", digits):
            return None, (
                "Số điện thoại không hợp lệ; có vẻ đây là số căn cước hoặc chứng minh nhân dân — "
                "không ghi các số này"
            )
        return None, f"Số điện thoại không hợp lệ: cần {PHONE_HELP.rstrip('.')}"


def _flag(value, key: str) -> tuple[bool, str | None]:
    folded = fold(_text(value))
    if folded in _TRUE:
        return True, None
    if folded in _FALSE:
        return False, None
    return False, f"Cột “{HEADERS[key]}” chỉ ghi x (nếu có) hoặc để trống"


def _is_example(values: dict) -> bool:
    return (
        fold(_text(values.get("full_name"))) == fold(EXAMPLE["full_name"])
        and _text(values.get("birth_year")) == str(EXAMPLE["birth_year"])
        and fold(_text(values.get("sex"))) == fold(EXAMPLE["sex"])
        and _text(values.get("phone")) == EXAMPLE["phone"]
    )


def _duplicate_key(row: dict) -> tuple[int, str, int] | None:
    """(hamlet, folded name, birth year), or None while one of them is still wrong."""
    if row["hamlet_id"] is None or row["full_name"] is None or row["birth_year"] is None:
        return None
    return row["hamlet_id"], fold(row["full_name"])[:NAME_MAX], row["birth_year"]


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def database_problems(
    rows: list[dict], *, commune_id: int, hamlet_names: dict[int, str]
) -> list[Problem]:
    """Rows that clash with residents already registered: the same person, or a phone in use."""
    keys = {_duplicate_key(r) for r in rows} - {None}
    existing: set[tuple[int, str, int]] = set()
    hamlet_ids = sorted({k[0] for k in keys})
    for names in _chunks(sorted({k[1] for k in keys})):
        existing.update(
            Resident.objects.active()
            .filter(commune_id=commune_id, hamlet_id__in=hamlet_ids, name_folded__in=names)
            .values_list("hamlet_id", "name_folded", "birth_year")
        )
    taken: set[str] = set()
    for phones in _chunks(sorted({r["phone"] for r in rows if r["phone"]})):
        taken.update(Resident.objects.filter(phone__in=phones).values_list("phone", flat=True))
    problems: list[Problem] = []
    for row in rows:
        if _duplicate_key(row) in existing:
            hamlet = hamlet_names.get(row["hamlet_id"], "xóm")
            problems.append(
                Problem(
                    row["row"],
                    f"{row['full_name']}, sinh năm {row['birth_year']}, đã có trong danh sách "
                    f"người dân của {hamlet} (không nhập lại). Nếu đúng là người khác trùng tên, "
                    "hãy bỏ dòng này và đăng ký người đó riêng",
                )
            )
        if row["phone"] and row["phone"] in taken:
            problems.append(
                Problem(row["row"], f"Số điện thoại {row['phone']} đã được đăng ký cho người khác")
            )
    return problems


def _problems_within(rows: list[dict]) -> list[Problem]:
    """The same person twice in the file, or one phone number for two people."""
    problems: list[Problem] = []
    people: dict[tuple, int] = {}
    phones: dict[str, int] = {}
    for row in rows:
        key = _duplicate_key(row)
        if key is not None:
            if key in people:
                problems.append(
                    Problem(
                        row["row"], f"Trùng với dòng {people[key]} (cùng họ tên, năm sinh và xóm)"
                    )
                )
            else:
                people[key] = row["row"]
        if row["phone"]:
            if row["phone"] in phones:
                problems.append(
                    Problem(row["row"], f"Số điện thoại trùng với dòng {phones[row['phone']]}")
                )
            else:
                phones[row["phone"]] = row["row"]
    return problems


def _row_values(row: tuple, columns: dict[str, int]) -> dict | None:
    """The known columns of a row; None for a blank row. Other columns are never read."""
    values = {key: row[i] if i < len(row) else None for key, i in columns.items()}
    return values if any(_text(v) for v in values.values()) else None


def _read_sheet(data: bytes, *, hamlet_optional: bool):
    """(sheet title, mapped columns, ignored headers, [(excel row, {key: raw value})])."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except FileRefused:
        raise
    except Exception:
        logger.info("unreadable xlsx upload", exc_info=True)
        raise FileRefused(_corrupt_message()) from None
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            top: list[tuple] = []
            for row in rows:
                top.append(tuple(row))
                if len(top) >= HEADER_SEARCH_ROWS:
                    break
            header_index = _find_header(top)
            if header_index is None:
                continue
            header = top[header_index]
            _refuse_id_columns(header)
            columns, ignored = _map_columns(header, hamlet_optional=hamlet_optional)
            found: list[tuple[int, dict]] = []
            numbered = enumerate(top[header_index + 1 :], start=header_index + 2)
            for number, row in numbered:
                if values := _row_values(row, columns):
                    found.append((number, values))
            number = len(top)
            for row in rows:
                number += 1
                if number > MAX_SCANNED_ROWS:
                    raise FileRefused(_too_many_rows())
                if values := _row_values(tuple(row), columns):
                    found.append((number, values))
                    if len(found) > MAX_ROWS + 1:  # +1: the example row may be among them
                        raise FileRefused(_too_many_rows())
            return sheet.title, columns, ignored, found
    except FileRefused:
        raise
    except Exception:
        logger.info("unreadable xlsx upload", exc_info=True)
        raise FileRefused(_corrupt_message()) from None
    finally:
        book.close()
    raise FileRefused(
        "Không tìm thấy dòng tiêu đề có cột “Họ và tên” trong 10 dòng đầu của tệp. "
        "Hãy dùng tệp mẫu ở bước 1 (giữ nguyên dòng tiêu đề)."
    )


def _too_many_rows() -> str:
    return (
        f"Tệp có hơn {MAX_ROWS:,} dòng".replace(",", ".")
        + " (kể cả dòng trống đã định dạng). Hãy chia danh sách thành nhiều tệp, mỗi tệp một xóm."
    )


def check_file(name: str, data: bytes, *, user: User) -> CheckResult:
    """Read and check every row of an uploaded list. Writes nothing. Raises FileRefused."""
    _refuse_wrong_kind(name, data)
    _refuse_bad_zip(data)
    mine = list(hamlets_for_user(user))
    if not mine:
        raise FileRefused("Tài khoản của bạn chưa được giao xóm nào, nên chưa nhập được danh sách.")
    finder = _HamletFinder(mine, Hamlet.objects.filter(commune_id=user.commune_id))
    sheet, _columns, ignored, found = _read_sheet(data, hamlet_optional=finder.only() is not None)

    problems: list[Problem] = []
    parsed: list[dict] = []
    example_skipped = False
    for number, values in found:
        if not example_skipped and _is_example(values):
            example_skipped = True
            continue
        row = {"row": number}
        errors: list[str | None] = []
        row["full_name"], error = _name(values.get("full_name"))
        errors.append(error)
        row["birth_year"], error = _year(values.get("birth_year"))
        errors.append(error)
        row["sex"], error = _sex(values.get("sex"))
        errors.append(error)
        hamlet, error = finder.find(_text(values.get("hamlet")))
        row["hamlet_id"] = hamlet.pk if hamlet else None
        errors.append(error)
        row["phone"], error = _phone(values.get("phone"))
        errors.append(error)
        for key in FLAG_KEYS:
            row[key], error = _flag(values.get(key), key)
            errors.append(error)
        problems += [Problem(number, e) for e in errors if e]
        parsed.append(row)
    if not parsed:
        raise FileRefused(
            "Tệp chưa có người nào (ngoài dòng mẫu). Hãy ghi mỗi người một dòng, dưới dòng tiêu đề."
        )
    if len(parsed) > MAX_ROWS:
        raise FileRefused(_too_many_rows())

    problems += _problems_within(parsed)
    hamlet_names = {h.pk: h.name for h in mine}
    problems += database_problems(parsed, commune_id=user.commune_id, hamlet_names=hamlet_names)
    problems.sort(key=lambda p: p.row)  # stable: a row's reasons keep their column order
    bad = {p.row for p in problems}
    return CheckResult(
        rows=[r for r in parsed if r["row"] not in bad],
        problems=problems,
        data_rows=len(parsed),
        sheet=sheet,
        example_skipped=example_skipped,
        ignored_columns=ignored,
    )


# Importing -------------------------------------------------------------------------------


def client_key(token: str, row: int) -> uuid.UUID:
    """The same confirm, repeated, gives each row the same key: resident_register dedupes it."""
    return uuid.uuid5(_NAMESPACE, f"import:{token}:{row}")


def _already_imported(keys: list[uuid.UUID]) -> int:
    return sum(
        Resident.objects.filter(client_key__in=chunk).count() for chunk in _chunks(keys, 500)
    )


def _by_hamlet(rows: list[dict], names: dict[int, str]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for row in rows:
        name = names.get(row["hamlet_id"], "?")
        counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items())


def import_rows(*, actor: User, token: str, rows: list[dict]) -> ImportOutcome:
    """Register every row in one transaction, or none. Safe to call twice with one token.

    The rows were checked at the preview; they are checked again here, against the uploader's
    current hamlets and the residents registered since. No consent is recorded: consent is
    asked person by person.
    """
    hamlets = {h.pk: h for h in hamlets_for_user(actor).select_related("commune")}
    names = {pk: h.name for pk, h in hamlets.items()}
    keys = [client_key(token, row["row"]) for row in rows]
    try:
        with transaction.atomic():
            # One import at a time per official (PostgreSQL; SQLite's IMMEDIATE transactions
            # already serialise writers), so a double-clicked confirm sees the first one's rows.
            list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
            if done := _already_imported(keys):
                return ImportOutcome(done, _by_hamlet(rows, names), already_done=True)
            problems = [
                Problem(r["row"], "Xóm của dòng này không còn thuộc phạm vi của bạn")
                for r in rows
                if r["hamlet_id"] not in hamlets
            ]
            if not problems:
                problems = database_problems(rows, commune_id=actor.commune_id, hamlet_names=names)
            if problems:
                raise ImportBlocked(problems)
            for row, key in zip(rows, keys, strict=True):
                try:
                    resident_register(
                        actor=actor,
                        hamlet=hamlets[row["hamlet_id"]],
                        full_name=row["full_name"],
                        birth_year=row["birth_year"],
                        sex=row["sex"],
                        phone=row["phone"],
                        has_disability=row["has_disability"],
                        is_poor_household=row["is_poor_household"],
                        consents=(),
                        client_key=key,
                    )
                except ValidationError as exc:
                    raise ImportBlocked([Problem(row["row"], " ".join(exc.messages))]) from None
    except ImportBlocked:
        # A concurrent confirm of the same list may have won the race: then it is done.
        if done := _already_imported(keys):
            return ImportOutcome(done, _by_hamlet(rows, names), already_done=True)
        raise
    return ImportOutcome(len(rows), _by_hamlet(rows, names))
