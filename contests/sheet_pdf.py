"""Paper question sheets for people without a phone: A4 portrait, one sheet per participant.

Plain Python (fpdf2): DejaVu Sans from lib/fonts/ is embedded as a subset, text NFC-normalised.
Each sheet carries its code (keyed by the volunteer), the participant, the drawn questions with
lettered options to circle, the prediction question and a consent box. No answer key is printed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from fpdf import FPDF

from learning.certificate_pdf import FONT_DIR

FAMILY = "DejaVuSans"
LETTERS = "ABCD"
INK = (20, 20, 20)
GREY = (95, 95, 95)
LEFT, WIDTH = 15.0, 180.0
NEXT = {"new_x": "LMARGIN", "new_y": "NEXT", "align": "L"}  # each block starts on the left


@dataclass
class Sheet:
    code: str
    name: str
    birth_year: int | None
    hamlet: str
    questions: list[tuple[str, list[str]]]  # text, options in the printed order


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def sheets_pdf(
    sheets: list[Sheet], *, commune: str, contest: str, round_label: str, closes: str
) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(LEFT, 12, LEFT)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_lang("vi-VN")
    pdf.set_title(_nfc(f"Phiếu dự thi — {contest}"))
    for sheet in sheets:
        _sheet(pdf, sheet, commune=_nfc(commune), contest=_nfc(contest), round_label=round_label)
        _footer(pdf, sheet, closes)
    return bytes(pdf.output())


def _sheet(pdf: FPDF, sheet: Sheet, *, commune: str, contest: str, round_label: str) -> None:
    pdf.add_page()
    pdf.set_text_color(*INK)
    # Header: who runs it on the left, the sheet code big on the right.
    pdf.set_font(FAMILY, "", 9)
    pdf.set_xy(LEFT, 12)
    pdf.cell(120, 5, f"UBND {commune.upper()}")
    pdf.set_xy(LEFT + 120, 10)
    pdf.set_font(FAMILY, "", 8)
    pdf.cell(60, 4, "MÃ PHIẾU", align="R")
    pdf.set_xy(LEFT + 120, 14)
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(60, 9, sheet.code, align="R", border=1)
    pdf.set_xy(LEFT, 18)
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(120, 7, "PHIẾU DỰ THI")
    pdf.set_xy(LEFT, 26)
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(WIDTH, 5, f"{contest} — {round_label}", **NEXT)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    born = f", sinh năm {sheet.birth_year}" if sheet.birth_year else ""
    pdf.multi_cell(WIDTH, 6, _nfc(f"Người dự thi: {sheet.name}{born} — {sheet.hamlet}"), **NEXT)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        WIDTH,
        4.8,
        "Mỗi câu khoanh tròn MỘT chữ (A, B, C hoặc D). Muốn đổi, gạch chéo chữ cũ và khoanh chữ "
        "mới. Có thể nhờ người thân hoặc tình nguyện viên đọc giúp, nhưng tự chọn câu trả lời.",
        **NEXT,
    )
    pdf.set_text_color(*INK)
    pdf.ln(1)
    _box(pdf)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.multi_cell(
        WIDTH - 8,
        4.8,
        "Tôi đồng ý tham gia cuộc thi và cho xã lưu bài thi của tôi để chấm, xếp giải.",
        **NEXT,
    )
    pdf.ln(2)
    for number, (text, options) in enumerate(sheet.questions, start=1):
        _question(pdf, number, _nfc(text), [_nfc(o) for o in options], sheet.code)
    if pdf.get_y() > 250:
        _continued(pdf, sheet.code)
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(
        WIDTH,
        6,
        "Câu dự đoán: Theo bạn, có bao nhiêu người trả lời đúng tất cả các câu hỏi của đợt này?",
        **NEXT,
    )
    pdf.set_font(FAMILY, "", 11)
    pdf.cell(WIDTH, 9, "Số người: ..........................", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _box(pdf: FPDF) -> None:
    x, y = pdf.get_x(), pdf.get_y()
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.4)
    pdf.rect(x, y + 0.5, 4.5, 4.5)
    pdf.set_x(x + 7)


def _continued(pdf: FPDF, code: str) -> None:
    """A new page of the same sheet, with its code on top so loose pages find their sheet."""
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(WIDTH, 6, f"Mã phiếu {code} (tiếp)", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _question(pdf: FPDF, number: int, text: str, options: list[str], code: str) -> None:
    pdf.set_font(FAMILY, "B", 10.5)
    lines = pdf.multi_cell(WIDTH, 5.4, f"Câu {number}. {text}", dry_run=True, output="LINES")
    needed = len(lines) * 5.4 + len(options) * 7.5 + 3
    if pdf.get_y() + needed > pdf.h - 16:
        _continued(pdf, code)
    pdf.multi_cell(WIDTH, 5.4, f"Câu {number}. {text}", **NEXT)
    pdf.set_font(FAMILY, "", 10.5)
    for letter, option in zip(LETTERS, options, strict=False):
        y = pdf.get_y() + 0.8
        pdf.set_line_width(0.3)
        pdf.ellipse(LEFT + 3, y, 6.2, 6.2)  # a ring around the letter, to be circled
        pdf.set_xy(LEFT + 3, y + 0.4)
        pdf.set_font(FAMILY, "B", 10.5)
        pdf.cell(6.2, 5.4, letter, align="C")
        pdf.set_font(FAMILY, "", 10.5)
        pdf.set_xy(LEFT + 12, y + 0.4)
        pdf.multi_cell(WIDTH - 12, 5.4, option, **NEXT)
        pdf.set_y(max(pdf.get_y(), y + 7.0))
    pdf.ln(1.5)


def _footer(pdf: FPDF, sheet: Sheet, closes: str) -> None:
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(
        WIDTH,
        4.4,
        f"Nộp phiếu cho Tổ công nghệ số cộng đồng của xóm trước {closes}. Mã phiếu "
        f"{sheet.code} chỉ dùng cho {_nfc(sheet.name)}; mỗi người dự thi một lần mỗi đợt.",
        **NEXT,
    )
    pdf.set_text_color(*INK)
