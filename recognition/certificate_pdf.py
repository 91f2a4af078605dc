"""Giấy khen (certificate of merit) of the commune chairman: one A4 landscape page.

Plain Python (fpdf2, no Django). The layout follows the official header and signature block of
Nghị định 30/2020/NĐ-CP; the DejaVu Serif fonts of lib/fonts/ are embedded as subsets and all
text is NFC-normalised, so Vietnamese diacritics print and extract correctly.
"""

from __future__ import annotations

import datetime
import unicodedata

from fpdf import FPDF

from learning.certificate_pdf import FAMILY, FONT_DIR, commune_short_name, date_line

PAGE_W, PAGE_H = 297.0, 210.0
RED = (150, 20, 20)
GOLD = (176, 141, 62)
INK = (20, 20, 20)
MOVEMENT = "Bình dân học vụ số"
_FONTS = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def short_reason(reasons: str, limit: int = 160) -> str:
    """The first sentence of the reasons, cut at a word boundary to at most `limit` characters."""
    text = _nfc(reasons)
    for stop in (". ", "; ", "\n"):
        if stop in text:
            text = text.split(stop, 1)[0]
    text = text.rstrip(" .;")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
    return text


class _Page:
    def __init__(self, pdf: FPDF):
        self.pdf = pdf

    def line(self, text, y, *, x, w, style="", size=13.0, min_size=8.0, color=INK) -> float:
        """One centred line in [x, x + w], shrunk to fit; return the y below it."""
        pdf = self.pdf
        while True:
            pdf.set_font(FAMILY, style, size)
            if pdf.get_string_width(text) <= w or size <= min_size:
                break
            size -= 0.5
        h = size * 0.3528 * 1.3
        pdf.set_text_color(*color)
        pdf.set_xy(x, y)
        pdf.cell(w, h, text, align="C")
        return y + h

    def para(self, text, y, *, x, w, style="", size=14.0, min_size=9.0, max_lines=2, color=INK):
        """A centred paragraph, shrunk until it fits in max_lines; return the y below it."""
        pdf = self.pdf
        while True:
            pdf.set_font(FAMILY, style, size)
            lines = pdf.multi_cell(w, 1, text, dry_run=True, output="LINES")
            if len(lines) <= max_lines or size <= min_size:
                break
            size -= 0.5
        h = size * 0.3528 * 1.35
        pdf.set_text_color(*color)
        for text_line in lines:
            pdf.set_xy(x, y)
            pdf.cell(w, h, text_line, align="C")
            y += h
        return y

    def rule(self, text, y, *, x, w, style, size, share=1.0) -> None:
        """A solid line under `text` (centred in [x, x + w]), `share` of its width."""
        self.pdf.set_font(FAMILY, style, size)
        half = self.pdf.get_string_width(text) * share / 2
        mid = x + w / 2
        self.pdf.set_draw_color(*INK)
        self.pdf.set_line_width(0.3)
        self.pdf.line(mid - half, y + 1.0, mid + half, y + 1.0)


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(7, 7, PAGE_W - 14, PAGE_H - 14)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)


def giay_khen_pdf(
    *,
    nominee_name: str,
    achievement: str,
    reason: str,
    decision_number: str,
    decision_date: datetime.date,
    commune_name: str,
    signer_name: str,
    signer_title: str = "CHỦ TỊCH",
    year: int | None = None,
) -> bytes:
    """The giấy khen as PDF bytes: one A4 landscape page, fonts embedded."""
    nominee_name = _nfc(nominee_name)
    commune = _nfc(commune_name)
    place = commune_short_name(commune)
    unit = commune.upper()  # "XÃ BẠCH NGỌC"
    year = year or decision_date.year

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    for style, filename in _FONTS.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / filename))
    pdf.set_lang("vi-VN")
    pdf.set_title(f"Giấy khen – {nominee_name}")
    pdf.set_author(f"Ủy ban nhân dân {commune}")
    pdf.set_creator("Học vụ số")
    noon = datetime.time(12, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    pdf.set_creation_date(datetime.datetime.combine(decision_date, noon))
    pdf.add_page()
    _frame(pdf)
    page = _Page(pdf)

    # Header: issuing body on the left, national title and motto on the right.
    lx, lw = 18.0, 100.0
    y = page.line("ỦY BAN NHÂN DÂN", 18.0, x=lx, w=lw, style="B", size=12.5)
    y = page.line(unit, y, x=lx, w=lw, style="B", size=12.5)
    page.rule(unit, y, x=lx, w=lw, style="B", size=12.5, share=0.45)
    rx, rw = 128.0, 152.0
    motto = "Độc lập - Tự do - Hạnh phúc"
    y = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 18.0, x=rx, w=rw, style="B", size=12.5)
    y = page.line(motto, y, x=rx, w=rw, style="B", size=13.0)
    page.rule(motto, y, x=rx, w=rw, style="B", size=13.0)

    # Body.
    bx, bw = 30.0, PAGE_W - 60.0
    y = page.line("GIẤY KHEN", 42.0, x=bx, w=bw, style="B", size=42, color=RED)
    y = page.line(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {unit}", y + 3, x=bx, w=bw, style="B", size=15)
    y = page.line("Tặng", y + 2, x=bx, w=bw, style="I", size=15)
    y = page.para(nominee_name, y + 2, x=bx, w=bw, style="B", size=30, min_size=14, color=RED)
    sentence = f"Đã có thành tích {_nfc(achievement)} trong phong trào “{MOVEMENT}” năm {year}."
    y = page.para(sentence, y + 3, x=bx, w=bw, size=15, min_size=10)
    if reason:
        page.para(f"({_nfc(reason)})", y + 1, x=bx, w=bw, style="I", size=12.5, min_size=9)

    # Footer: the decision on the left, place and date with the signature block on the right.
    fy = 152.0
    decision = f"Quyết định số {_nfc(decision_number)} ngày {decision_date:%d/%m/%Y}"
    page.line(decision, fy + 34, x=lx, w=lw + 10, style="I", size=11.5)
    sx, sw = 160.0, 115.0
    y = page.line(date_line(place, decision_date), fy - 6, x=sx, w=sw, style="I", size=13)
    y = page.line("TM. ỦY BAN NHÂN DÂN", y + 1, x=sx, w=sw, style="B", size=13)
    for title_line in _nfc(signer_title).split(" / "):
        y = page.line(title_line, y, x=sx, w=sw, style="B", size=13)
    page.line(_nfc(signer_name), fy + 36, x=sx, w=sw, style="B", size=13)
    return bytes(pdf.output())
