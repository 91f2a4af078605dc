"""Printable posters (áp phích A4, A3) and a banner strip (băng rôn) as one-page PDFs.

Plain Python (fpdf2 + segno, no Django), like learning/certificate_pdf.py:

    pdf_bytes = poster_pdf(
        slogan="Chuyển đổi số không khó, ai cũng học được!",
        fmt="a4",                      # "a4" | "a3" | "banner"
        subtitle="Mỗi tối thứ Bảy, 19 giờ, tại nhà văn hóa xóm",
        commune_name="Xã Bạch Ngọc",
        qr_url="https://hocvuso.example/",
        qr_caption="Quét mã để học",
    )

Sizes: A4 portrait (210 × 297 mm), A3 portrait (297 × 420 mm) and the banner at its real
size, 3000 × 600 mm (a PDF page may be up to 5080 mm on a side, so no scaling is needed;
print shops take it as is).

The slogan is set in DejaVu Sans Bold (lib/fonts/, licence beside it), embedded as a subset,
NFC-normalised so the precomposed Vietnamese glyphs are used. It takes the largest size at
which every word fits on a line and all lines fit in the space; a 200-character slogan still
fits on one page. The QR code is drawn as vector squares, so it stays sharp on a 3 m banner.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "lib" / "fonts"
FAMILY = "DejaVuSans"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}

FORMATS = {  # width, height in mm
    "a4": (210.0, 297.0),
    "a3": (297.0, 420.0),
    "banner": (3000.0, 600.0),
}
PT = 25.4 / 72  # one point in mm

RED = (165, 14, 14)
DARK_RED = (120, 8, 8)
YELLOW = (255, 214, 0)
CREAM = (255, 248, 225)
WHITE = (255, 255, 255)
INK = (25, 25, 25)
GREY = (80, 80, 80)

MOVEMENT = "Bình dân học vụ số"
QR_HINT = "Mở Zalo hoặc máy ảnh của điện thoại, hướng vào mã vuông đen trắng."


def _nfc(text: str) -> str:
    """NFC with whitespace collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def commune_line(commune_name: str) -> str:
    """'UBND XÃ BẠCH NGỌC' from 'Xã Bạch Ngọc'."""
    return f"UBND {_nfc(commune_name).upper()}"


def _short_url(url: str) -> str:
    """The address to type by hand if the code will not scan: no scheme, no trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


# --- fitting text -----------------------------------------------------------------------


def _wrap(pdf: FPDF, words: list[str], width: float, *, split: bool) -> list[str] | None:
    """Greedy wrap with the current font; None if a word is wider than a line (unless split)."""
    lines: list[str] = []
    line = ""
    for word in words:
        if pdf.get_string_width(word) > width:
            if not split:
                return None
            if line:
                lines.append(line)
                line = ""
            while pdf.get_string_width(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
            continue
        candidate = f"{line} {word}" if line else word
        if pdf.get_string_width(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _balanced(pdf: FPDF, words: list[str], width: float, count: int) -> list[str]:
    """The narrowest wrap that keeps `count` lines: even lines, no lone last word."""
    low, high = width / max(count, 1), width
    for _ in range(14):
        mid = (low + high) / 2
        lines = _wrap(pdf, words, mid, split=False)
        if lines is not None and len(lines) <= count:
            high = mid
        else:
            low = mid
    return _wrap(pdf, words, high, split=False) or _wrap(pdf, words, width, split=True)


@dataclass
class Block:
    """Lines of one font size, centred in their box."""

    lines: list[str]
    style: str
    size: float  # pt
    leading: float

    @property
    def line_h(self) -> float:
        return self.size * PT * self.leading

    @property
    def height(self) -> float:
        return self.line_h * len(self.lines)


def fit_block(
    pdf: FPDF,
    text: str,
    *,
    style: str,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    leading: float = 1.18,
    max_lines: int = 99,
) -> Block:
    """The largest size (max_size down to min_size) at which the text fits width × height."""
    words = _nfc(text).split(" ")
    size = max_size
    while True:
        pdf.set_font(FAMILY, style, size)
        lines = _wrap(pdf, words, width, split=size <= min_size)
        fits = (
            lines is not None
            and len(lines) <= max_lines
            and len(lines) * size * PT * leading <= height
        )
        if fits or size <= min_size:
            if lines is None:
                lines = _wrap(pdf, words, width, split=True)
            elif len(lines) > 1:
                lines = _balanced(pdf, words, width, len(lines))
            return Block(lines, style, size, leading)
        size = max(min_size, size * 0.97)


def draw_block(
    pdf: FPDF, block: Block, *, x: float, y: float, w: float, color: tuple[int, int, int]
) -> float:
    """Draw the block centred in [x, x + w] from y; return the y below it."""
    pdf.set_font(FAMILY, block.style, block.size)
    pdf.set_text_color(*color)
    for line in block.lines:
        pdf.set_xy(x, y)
        pdf.cell(w, block.line_h, line, align="C")
        y += block.line_h
    return y


def _one_line(pdf: FPDF, text: str, style: str, size: float, width: float) -> Block:
    """A single line at `size`, shrunk only if it is wider than `width`."""
    return fit_block(
        pdf, text, style=style, width=width, height=1e6, max_size=size, min_size=1, max_lines=1
    )


def _slogan_and_subtitle(
    pdf: FPDF,
    slogan: str,
    subtitle: str,
    *,
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    sub_max: float,
) -> tuple[Block, Block | None, float]:
    """Fit the slogan with the subtitle below it in width × height; return both and the gap."""
    sub = None
    if subtitle:
        pdf.set_font(FAMILY, "", sub_max)
        sub = fit_block(
            pdf,
            subtitle,
            style="",
            width=width * 0.9,
            height=height * 0.25,
            max_size=sub_max,
            min_size=sub_max * 0.4,
            leading=1.25,
            max_lines=4,
        )
    gap = (sub.size * PT * 1.1) if sub else 0.0
    room = height - (sub.height + gap if sub else 0.0)
    main = fit_block(
        pdf,
        slogan,
        style="B",
        width=width,
        height=room,
        max_size=max_size,
        min_size=min_size,
        leading=1.15,
    )
    return main, sub, gap


# --- QR ---------------------------------------------------------------------------------


def draw_qr(pdf: FPDF, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as black squares on a white square (quiet zone of 2 modules)."""
    qr = segno.make(url, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix)
    module = size / (n + 4)
    pdf.set_fill_color(*WHITE)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(
                    x + (start + 2) * module,
                    y + (r + 2) * module,
                    (c - start) * module,
                    module * 1.02,  # a hair of overlap: no white seams between rows
                    style="F",
                )
            else:
                c += 1


# --- layouts ----------------------------------------------------------------------------


def _poster(pdf: FPDF, w: float, h: float, content: dict) -> None:
    """Portrait poster: red header, big red slogan, cream footer with the QR code."""
    s = w / 210.0  # 1 on A4, 1.41 on A3
    margin = 16 * s

    # Header band: the commune and the movement.
    band_h = 44 * s
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, w, band_h, style="F")
    pdf.set_fill_color(*YELLOW)
    pdf.rect(0, band_h, w, 2.2 * s, style="F")
    inner = w - 2 * margin
    y = 9 * s
    y = draw_block(
        pdf,
        _one_line(pdf, content["commune"], "B", 17 * s, inner),
        x=margin,
        y=y,
        w=inner,
        color=WHITE,
    )
    y += 2.5 * s
    movement = _one_line(pdf, f"Phong trào “{MOVEMENT}”", "B", 24 * s, inner)
    draw_block(pdf, movement, x=margin, y=y, w=inner, color=YELLOW)

    # Footer: QR on the right, how to scan on the left.
    foot_h = 78 * s
    foot_top = h - foot_h
    pdf.set_fill_color(*CREAM)
    pdf.rect(0, foot_top, w, foot_h, style="F")
    pdf.set_fill_color(*RED)
    pdf.rect(0, h - 6 * s, w, 6 * s, style="F")
    qr = 50 * s
    qr_x, qr_y = w - margin - qr, foot_top + 6 * s

    # Body: the slogan, a short rule, the subtitle, centred between header and footer.
    top, bottom = band_h + 14 * s, foot_top - 12 * s
    main, sub, gap = _slogan_and_subtitle(
        pdf,
        content["slogan"],
        content["subtitle"],
        width=inner,
        height=bottom - top,
        max_size=92 * s,
        min_size=16 * s,
        sub_max=24 * s,
    )
    total = main.height + (gap + sub.height if sub else 0.0)
    y = top + (bottom - top - total) / 2
    y = draw_block(pdf, main, x=margin, y=y, w=inner, color=RED)
    if sub:
        pdf.set_fill_color(*YELLOW)
        pdf.rect(w / 2 - 18 * s, y + gap / 2 - 0.8 * s, 36 * s, 1.6 * s, style="F")
        draw_block(pdf, sub, x=margin, y=y + gap, w=inner, color=INK)

    # Footer text, then the QR code and its caption (in reading order).
    col_w = qr_x - margin - 8 * s
    y = foot_top + 10 * s
    y = draw_block(
        pdf,
        _one_line(pdf, content["caption"], "B", 26 * s, col_w),
        x=margin,
        y=y,
        w=col_w,
        color=DARK_RED,
    )
    hint = fit_block(
        pdf,
        QR_HINT,
        style="",
        width=col_w,
        height=30 * s,
        max_size=14 * s,
        min_size=8 * s,
        leading=1.3,
    )
    draw_block(pdf, hint, x=margin, y=y + 3 * s, w=col_w, color=INK)
    draw_qr(pdf, content["qr_url"], x=qr_x, y=qr_y, size=qr)
    link = _one_line(pdf, _short_url(content["qr_url"]), "", 9 * s, qr + 12 * s)
    draw_block(pdf, link, x=qr_x - 6 * s, y=qr_y + qr + 1.5 * s, w=qr + 12 * s, color=GREY)


def _banner(pdf: FPDF, w: float, h: float, content: dict) -> None:
    """Long strip: red ground, yellow slogan, QR on a white square at the right end."""
    u = h / 100.0  # one hundredth of the height: 6 mm on a 600 mm banner
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, w, h, style="F")
    pdf.set_draw_color(*YELLOW)
    pdf.set_line_width(1.2 * u)
    pdf.rect(3.5 * u, 3.5 * u, w - 7 * u, h - 7 * u)

    qr = 62 * u
    qr_x, qr_y = w - 12 * u - qr, 12 * u
    left, right = 14 * u, qr_x - 14 * u
    inner = right - left

    line = f"{content['commune']}  ·  Phong trào “{MOVEMENT}”"
    y = draw_block(
        pdf, _one_line(pdf, line, "B", 9 * u / PT, inner), x=left, y=9 * u, w=inner, color=WHITE
    )

    top, bottom = y + 4 * u, h - 10 * u
    main, sub, gap = _slogan_and_subtitle(
        pdf,
        content["slogan"],
        content["subtitle"],
        width=inner,
        height=bottom - top,
        max_size=40 * u / PT,
        min_size=6 * u / PT,
        sub_max=8 * u / PT,
    )
    total = main.height + (gap + sub.height if sub else 0.0)
    y = top + (bottom - top - total) / 2
    y = draw_block(pdf, main, x=left, y=y, w=inner, color=YELLOW)
    if sub:
        draw_block(pdf, sub, x=left, y=y + gap, w=inner, color=WHITE)

    pdf.set_fill_color(*WHITE)
    pdf.rect(qr_x - 2 * u, qr_y - 2 * u, qr + 4 * u, qr + 4 * u, style="F")
    draw_qr(pdf, content["qr_url"], x=qr_x, y=qr_y, size=qr)
    cap = _one_line(pdf, content["caption"], "B", 9 * u / PT, qr + 4 * u)
    draw_block(pdf, cap, x=qr_x - 2 * u, y=qr_y + qr + 4 * u, w=qr + 4 * u, color=YELLOW)


def poster_pdf(
    *,
    slogan: str,
    commune_name: str,
    qr_url: str,
    fmt: str = "a4",
    subtitle: str = "",
    qr_caption: str = "Quét mã để học",
) -> bytes:
    """The poster as PDF bytes: one page of the chosen format, fonts embedded."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown poster format: {fmt!r}")
    w, h = FORMATS[fmt]
    content = {
        "slogan": _nfc(slogan),
        "subtitle": _nfc(subtitle),
        "commune": commune_line(commune_name),
        "qr_url": qr_url.strip(),
        "caption": _nfc(qr_caption) or "Quét mã để học",
    }
    pdf = FPDF(orientation="P" if h >= w else "L", unit="mm", format=(min(w, h), max(w, h)))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    for style, filename in _FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / filename))
    pdf.set_lang("vi-VN")
    pdf.set_title(content["slogan"])
    pdf.set_subject(f"Phong trào “{MOVEMENT}”")
    pdf.set_author(content["commune"])
    pdf.set_creator("Học vụ số")
    pdf.add_page()
    (_banner if fmt == "banner" else _poster)(pdf, w, h, content)
    return bytes(pdf.output())
