"""One-page A4 landscape PDF certificate for a resident who finished a topic.

Plain Python (fpdf2 + segno, no Django), so it can be called from a view, a task
or a shell:

    pdf_bytes = certificate_pdf(
        full_name="Nguyễn Thị Lành",
        topic_title="Dùng điện thoại thông minh",
        commune_name="Xã Bạch Ngọc",
        province_name="Nghệ An",
        issued_on=date(2026, 1, 5),
        verify_url="https://hocvuso.example/chung-nhan/HVS-7K2M9Q",
        code="HVS-7K2M9Q",
        lesson_titles=["Cài ứng dụng từ CH Play", "Gọi video qua Zalo"],
    )

The DejaVu Serif fonts ship in lib/fonts/ (licence beside them) and are embedded
as subsets: nothing is downloaded at run time. Text is NFC-normalised and drawn
with the precomposed Vietnamese glyphs of the font, so no text shaping engine
(uharfbuzz) is needed. Long names and topic titles shrink and wrap to fit;
nothing overflows the page or is cut.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVuSerif"
_FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
}

PAGE_W, PAGE_H = 297.0, 210.0  # A4 landscape, mm
PT = 25.4 / 72  # one point in mm

# Colours: a sober dark red for the title and the frame, a muted gold for the
# fine lines, near-black for the text.
RED = (135, 22, 22)
GOLD = (176, 141, 62)
INK = (28, 28, 28)
GREY = (90, 90, 90)

# The frame: outer thick line, gold line, inner thin line (distances from the page edge).
_FRAME_OUTER, _FRAME_GOLD, _FRAME_INNER = 7.0, 9.6, 11.4

# Content area inside the frame.
_LEFT, _RIGHT = 22.0, PAGE_W - 22.0
_TEXT_W = _RIGHT - _LEFT

_UNIT_PREFIXES = ("Xã ", "Phường ", "Đặc khu ")

NOTE = "Chứng nhận do nền tảng Học vụ số cấp, không thay thế văn bằng, chứng chỉ."
MOVEMENT = "Bình dân học vụ số"


def _nfc(text: str) -> str:
    """NFC with whitespace collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def commune_short_name(commune_name: str) -> str:
    """'Bạch Ngọc' from 'Xã Bạch Ngọc' (also 'Phường …', 'Đặc khu …')."""
    name = _nfc(commune_name)
    for prefix in _UNIT_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def date_line(place: str, day: datetime.date) -> str:
    """The place-and-date line of an official document.

    Days below 10 and months 1 and 2 take a leading zero (Nghị định 30/2020/NĐ-CP):

    >>> date_line("Bạch Ngọc", datetime.date(2026, 1, 5))
    'Bạch Ngọc, ngày 05 tháng 01 năm 2026'
    >>> date_line("Bạch Ngọc", datetime.date(2026, 3, 15))
    'Bạch Ngọc, ngày 15 tháng 3 năm 2026'
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{_nfc(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _place_phrase(commune_name: str, province_name: str) -> str:
    """'xã Bạch Ngọc, tỉnh Nghệ An' from 'Xã Bạch Ngọc' and 'Nghệ An'."""
    commune = _nfc(commune_name)
    if commune.startswith(_UNIT_PREFIXES):
        commune = commune[0].lower() + commune[1:]
    province = _nfc(province_name)
    if province.startswith(("Tỉnh ", "Thành phố ")):
        province = province[0].lower() + province[1:]
    elif province and not province.startswith(("tỉnh ", "thành phố ")):
        province = f"tỉnh {province}"
    return ", ".join(part for part in (commune, province) if part)


# --- measuring and wrapping -------------------------------------------------


def _wrap(pdf: FPDF, chunks: list[str], width: float) -> list[str]:
    """Greedy wrap of chunks (words, or whole phrases kept together when they fit).

    A phrase wider than a line falls back to its words; a word wider than a line is split.
    Uses the current font.
    """
    lines: list[str] = []
    line = ""
    queue = list(reversed(chunks))
    while queue:
        chunk = queue.pop()
        candidate = f"{line} {chunk}" if line else chunk
        if pdf.get_string_width(candidate) <= width:
            line = candidate
            continue
        if pdf.get_string_width(chunk) > width and " " in chunk:
            queue.extend(reversed(chunk.split(" ")))
            continue
        if line:
            lines.append(line)
        while pdf.get_string_width(chunk) > width and len(chunk) > 1:
            cut = len(chunk) - 1
            while cut > 1 and pdf.get_string_width(chunk[:cut]) > width:
                cut -= 1
            lines.append(chunk[:cut])
            chunk = chunk[cut:]
        line = chunk
    if line or not lines:
        lines.append(line)
    return lines


def _balance(pdf: FPDF, chunks: list[str], width: float, lines: list[str]) -> list[str]:
    """The same number of lines, as even in length as possible (no lone last word)."""
    if len(lines) < 2:
        return lines
    low, high = width / len(lines), width
    for _ in range(12):
        mid = (low + high) / 2
        if len(_wrap(pdf, chunks, mid)) <= len(lines):
            high = mid
        else:
            low = mid
    return _wrap(pdf, chunks, high)


@dataclass
class _Para:
    """A centred paragraph that shrinks (down to min_size) to stay within max_lines."""

    text: str
    style: str
    size: float  # largest size, pt
    min_size: float
    max_lines: int
    color: tuple[int, int, int] = INK
    space_before: float = 0.0  # mm
    leading: float = 1.25  # line height / font size
    width: float = _TEXT_W - 20
    # Phrases to keep on one line when they fit (default: the words of the text).
    phrases: list[str] | None = None

    @property
    def chunks(self) -> list[str]:
        return self.phrases if self.phrases is not None else self.text.split(" ")


@dataclass
class _Fitted:
    para: _Para
    size: float
    lines: list[str]
    space_before: float

    @property
    def line_h(self) -> float:
        return self.size * PT * self.para.leading

    @property
    def height(self) -> float:
        return self.space_before + self.line_h * len(self.lines)


def _fit(pdf: FPDF, para: _Para, scale: float = 1.0) -> _Fitted:
    size = para.size * scale
    floor = para.min_size * scale
    while True:
        pdf.set_font(FAMILY, para.style, size)
        lines = _wrap(pdf, para.chunks, para.width)
        if len(lines) <= para.max_lines or size <= floor:
            return _Fitted(
                para, size, _balance(pdf, para.chunks, para.width, lines), para.space_before * scale
            )
        size = max(floor, size - 0.5)


def _draw(pdf: FPDF, fitted: _Fitted, y: float, x: float = _LEFT, w: float = _TEXT_W) -> float:
    """Draw the lines centred in [x, x + w] from y; return the y below them."""
    y += fitted.space_before
    pdf.set_font(FAMILY, fitted.para.style, fitted.size)
    pdf.set_text_color(*fitted.para.color)
    for line in fitted.lines:
        pdf.set_xy(x, y)
        pdf.cell(w, fitted.line_h, line, align="C")
        y += fitted.line_h
    return y


# --- drawing ----------------------------------------------------------------


def _frame(pdf: FPDF) -> None:
    """Triple frame with small diamonds at the corners and at the middle of each side."""
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.1)
    o = _FRAME_OUTER
    pdf.rect(o, o, PAGE_W - 2 * o, PAGE_H - 2 * o)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.45)
    g = _FRAME_GOLD
    pdf.rect(g, g, PAGE_W - 2 * g, PAGE_H - 2 * g)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.25)
    i = _FRAME_INNER
    pdf.rect(i, i, PAGE_W - 2 * i, PAGE_H - 2 * i)

    # Corner ornaments: an L-shaped gold bracket inside each corner and a red diamond.
    pdf.set_line_width(0.6)
    arm, inset = 14.0, i + 2.6
    for cx, cy, sx, sy in (
        (inset, inset, 1, 1),
        (PAGE_W - inset, inset, -1, 1),
        (inset, PAGE_H - inset, 1, -1),
        (PAGE_W - inset, PAGE_H - inset, -1, -1),
    ):
        pdf.set_draw_color(*GOLD)
        pdf.line(cx, cy, cx + sx * arm, cy)
        pdf.line(cx, cy, cx, cy + sy * arm)
    band = (o + i) / 2  # the middle of the frame band
    for cx, cy in (
        (band, band),
        (PAGE_W - band, band),
        (band, PAGE_H - band),
        (PAGE_W - band, PAGE_H - band),
        (PAGE_W / 2, (o + i) / 2),
        (PAGE_W / 2, PAGE_H - (o + i) / 2),
        ((o + i) / 2, PAGE_H / 2),
        (PAGE_W - (o + i) / 2, PAGE_H / 2),
    ):
        _diamond(pdf, cx, cy, 2.2)


def _diamond(pdf: FPDF, cx: float, cy: float, r: float) -> None:
    pdf.set_fill_color(*RED)
    pdf.set_draw_color(255, 255, 255)
    pdf.set_line_width(0.5)
    pdf.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], style="DF")


def _qr_png(url: str) -> io.BytesIO:
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=8, border=2)
    buf.seek(0)
    return buf


FOOTER_TOP = 150.0  # mm; the body is centred between the header and this line


def _header(pdf: FPDF, commune_name: str) -> float:
    """National title, motto with a rule under it, issuing commune; return the y below."""
    motto = "Độc lập - Tự do - Hạnh phúc"
    y = 19.0
    y = _draw(pdf, _fit(pdf, _Para("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "B", 12.5, 9, 1)), y)
    y = _draw(pdf, _fit(pdf, _Para(motto, "B", 13, 9, 1, space_before=0.6)), y)
    pdf.set_font(FAMILY, "B", 13)
    half = pdf.get_string_width(motto) / 2
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.3)
    pdf.line(PAGE_W / 2 - half, y + 0.6, PAGE_W / 2 + half, y + 0.6)
    issuer = _Para(f"ỦY BAN NHÂN DÂN {_nfc(commune_name).upper()}", "", 12, 8, 1, space_before=4.0)
    return _draw(pdf, _fit(pdf, issuer), y)


def _body(
    pdf: FPDF,
    *,
    full_name: str,
    topic_title: str,
    place: str,
    lessons: list[str],
    top: float,
    bottom: float,
) -> None:
    """Title, name, topic and lessons, shrunk as a whole if needed, centred in [top, bottom]."""
    movement = f"trong phong trào “{MOVEMENT}”" + (f" tại {place}" if place else "")
    body = [
        _Para("CHỨNG NHẬN", "B", 38, 24, 1, RED, leading=1.15),
        _Para("Hoàn thành chủ đề học kỹ năng số", "I", 15, 10, 1, space_before=0.5),
        _Para(full_name, "B", 28, 15, 2, RED, space_before=5.0, leading=1.2),
        _Para(f"đã hoàn thành chủ đề: “{topic_title}”", "", 15, 10.5, 3, space_before=3.5),
    ]
    # The lesson titles as a compact list, or only their count when the list is too long.
    phrases = [f"{title};" for title in lessons[:-1]] + [f"{title}." for title in lessons[-1:]]
    listed = _Para(" ".join(phrases), "I", 10.5, 8.5, 3, GREY, space_before=1.0, phrases=phrases)
    if lessons and len(_fit(pdf, listed).lines) <= listed.max_lines:
        body.append(
            _Para(f"{movement}, gồm {len(lessons)} bài học:", "", 13, 9, 2, space_before=1.5)
        )
        body.append(listed)
    elif lessons:
        body.append(
            _Para(f"{movement}, gồm {len(lessons)} bài học.", "", 13, 9, 2, space_before=1.5)
        )
    else:
        body.append(_Para(f"{movement}.", "", 13, 9, 2, space_before=1.5))

    available = bottom - top
    scale = 1.0
    while True:
        fitted = [_fit(pdf, para, scale) for para in body]
        total = sum(f.height for f in fitted)
        if total <= available or scale <= 0.1:
            break
        scale -= 0.04
    y = top + max(0.0, available - total) / 2
    for f in fitted:
        y = _draw(pdf, f, y)


def _footer(pdf: FPDF, *, verify_url: str, code: str, place_date: str) -> None:
    """QR code with its caption on the left, place and date on the right, the note below."""
    qr_size, qr_x = 31.0, 31.0
    pdf.image(_qr_png(verify_url), x=qr_x, y=FOOTER_TOP, w=qr_size, h=qr_size)
    col_x, col_w = qr_x - 10, qr_size + 20
    y = FOOTER_TOP + qr_size + 0.8
    caption = _Para("Quét mã để kiểm tra chứng nhận", "I", 8, 6, 1, GREY, width=col_w)
    y = _draw(pdf, _fit(pdf, caption), y, col_x, col_w)
    _draw(pdf, _fit(pdf, _Para(f"Mã: {code}", "B", 8.5, 6, 2, width=col_w)), y, col_x, col_w)

    x, w = 168.0, 108.0
    y = FOOTER_TOP + 4.0
    for para in (
        _Para(place_date, "I", 13, 9, 1, width=w),
        _Para("NỀN TẢNG HỌC VỤ SỐ", "B", 12.5, 9, 1, space_before=1.5, width=w),
        _Para(f"Phong trào “{MOVEMENT}”", "I", 11, 8, 1, GREY, width=w),
    ):
        y = _draw(pdf, _fit(pdf, para), y, x, w)

    note = _fit(pdf, _Para(NOTE, "I", 8, 6, 1, GREY, width=110))
    _draw(pdf, note, PAGE_H - _FRAME_INNER - 4.0 - note.line_h, PAGE_W / 2 - 60, 120)


def certificate_pdf(
    *,
    full_name: str,
    topic_title: str,
    commune_name: str,
    province_name: str,
    issued_on: datetime.date,
    verify_url: str,
    code: str,
    lesson_titles: list[str],
) -> bytes:
    """The certificate as PDF bytes: one A4 landscape page, fonts embedded."""
    full_name = _nfc(full_name)
    topic_title = _nfc(topic_title)
    lessons = [t for t in (_nfc(t) for t in lesson_titles) if t]

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    for style, filename in _FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / filename))
    pdf.set_lang("vi-VN")
    pdf.set_title(f"Chứng nhận hoàn thành chủ đề “{topic_title}” – {full_name}")
    pdf.set_subject(f"Phong trào “{MOVEMENT}”")
    pdf.set_author(f"Nền tảng Học vụ số – {_nfc(commune_name)}")
    pdf.set_creator("Học vụ số")
    noon = datetime.time(12, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    pdf.set_creation_date(datetime.datetime.combine(issued_on, noon))
    pdf.add_page()

    # Drawn in reading order, so copied or extracted text reads top to bottom.
    _frame(pdf)
    header_bottom = _header(pdf, commune_name)
    _body(
        pdf,
        full_name=full_name,
        topic_title=topic_title,
        place=_place_phrase(commune_name, province_name),
        lessons=lessons,
        top=header_bottom + 3.0,
        bottom=FOOTER_TOP - 3.0,
    )
    _footer(
        pdf,
        verify_url=verify_url,
        code=_nfc(code),
        place_date=date_line(commune_short_name(commune_name), issued_on),
    )
    return bytes(pdf.output())
