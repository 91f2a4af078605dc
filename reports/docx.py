"""The consolidated monthly report as an editable .docx in the format of Nghị định 30/2020/NĐ-CP
(Phụ lục I): A4, margins, Times New Roman, the two-column national header, title, numbered
sections with indicator tables, signature block and "Nơi nhận"."""

from datetime import date
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports.models import Indicator
from reports.selectors import Consolidation, format_number

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13


def _set_font(run, size: float, *, bold=False, italic=False, underline=False, name=True) -> None:
    """Size always; bold/italic/underline only when on (off is the default, and every set
    property costs time in big tables); the font name where it is not inherited."""
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    if underline:
        run.font.underline = True
    if name:
        run.font.name = FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _para(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold=False,
    italic=False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 6,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if bold:
        fmt.keep_with_next = True  # a heading never ends a page
    if text:
        _set_font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def _rule_under(paragraph, width_cm: float, cell_width_cm: float) -> None:
    """A solid line of `width_cm` under a centred paragraph: its bottom border, with indents
    that shorten the border to the wanted length (stays editable in Word/LibreOffice)."""
    side = max((cell_width_cm - width_cm) / 2, 0)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "000000"}.items():
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _tiny(cell):
    """An empty, almost zero-height paragraph to carry a rule under the line above it."""
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    return paragraph


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _widths(table, widths: list[float]) -> None:
    """Fixed column widths Word and LibreOffice both honour (grid and every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _cell_text(cell, text: str, *, size=HEADER_PT, bold=False, italic=False, align=None):
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _set_font(paragraph.add_run(text), size, bold=bold, italic=italic, name=False)
    return paragraph


def vietnamese_date(day: date, place: str) -> str:
    """'Bạch Ngọc, ngày 05 tháng 01 năm 2026': leading zero for days < 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _page_number_header(section) -> None:
    """Page numbers centred in the top margin, not on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, BODY_PT)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _grid_table(
    document, header: list[str], rows: list[list[str]], widths: list[float], *, size=12
):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, size=size, bold=True)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, text, size=size, align=align)
    _widths(table, widths)
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:  # the header row repeats on every page the table runs onto
            properties.append(OxmlElement("w:tblHeader"))
    _para(document, after=0, size=6)
    return table


def figure(value, indicator: Indicator) -> str:
    if value is None or value == "":
        return "—"
    if indicator.kind == Indicator.Kind.TEXT:
        return str(value)
    text = format_number(value)
    return f"{text}%" if indicator.kind == Indicator.Kind.PERCENTAGE else text


ORG_COLUMNS = 5  # indicator columns per table, so a table fits a portrait A4 page


def _organisation_tables(document, data: Consolidation) -> None:
    """Organisations as rows, figures as columns, in tables of a few columns, with totals."""
    lines = [
        line
        for line in data.lines
        if line.indicator.kind != Indicator.Kind.TEXT
        and any(v is not None for v in line.by_organisation.values())
    ]
    for start in range(0, len(lines), ORG_COLUMNS):
        chunk = lines[start : start + ORG_COLUMNS]
        header = ["TT", "Đơn vị"] + [
            f"{line.indicator.name} ({line.indicator.unit})"
            if line.indicator.unit
            else line.indicator.name
            for line in chunk
        ]
        rows = []
        for number, report in enumerate(data.accepted, 1):
            rows.append(
                [str(number), report.organisation.name]
                + [
                    figure(line.by_organisation.get(report.organisation_id), line.indicator)
                    for line in chunk
                ]
            )
        rows.append(["", "Tổng cộng"] + [_org_total(line) for line in chunk])
        free = 16.5 - 0.9 - 4.4
        table = _grid_table(
            document, header, rows, [0.9, 4.4] + [free / len(chunk)] * len(chunk), size=11
        )
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.font.bold = True


def _org_total(line) -> str:
    values = [v for v in line.by_organisation.values() if v is not None]
    if not values:
        return "—"
    if line.indicator.kind == Indicator.Kind.PERCENTAGE:
        return figure(line.total, line.indicator) + " (bình quân)"
    return figure(sum(values), line.indicator)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


ROMAN = ["I", "II", "III", "IV", "V"]


def consolidated_docx(data: Consolidation, *, issued_on: date | None = None) -> bytes:
    commune, form, month = data.commune, data.form, data.month
    issued_on = issued_on or timezone.localdate()
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _page_number_header(section)

    # National header: two columns, no borders.
    left_cm, right_cm = 6.5, 10.0
    header = document.add_table(rows=1, cols=2)
    _no_borders(header)
    _widths(header, [left_cm, right_cm])
    left, right = header.rows[0].cells
    if form.parent_body:
        _cell_text(left, form.parent_body.upper())
    _cell_text(left, "ỦY BAN NHÂN DÂN", bold=True)
    _cell_text(left, commune.name.upper(), bold=True)
    _rule_under(_tiny(left), 2.4, left_cm)
    left.add_paragraph().paragraph_format.space_after = Pt(0)
    _cell_text(left, f"Số:        /{form.number_code}")
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12.5, bold=True)
    _cell_text(right, "Độc lập - Tự do - Hạnh phúc", size=HEADER_PT, bold=True)
    _rule_under(_tiny(right), 6.0, right_cm)
    right.add_paragraph().paragraph_format.space_after = Pt(0)
    _cell_text(right, vietnamese_date(issued_on, commune.short_name), size=BODY_PT, italic=True)

    _para(document, "BÁO CÁO", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    subject = f"{form.subject} tháng {month.month} năm {month.year}"
    _para(document, subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    _rule_under(_para(document, "", size=4, align=WD_ALIGN_PARAGRAPH.CENTER, after=12), 4, 16.5)

    _para(
        document,
        f"Thực hiện Kế hoạch triển khai phong trào “Bình dân học vụ số” trên địa bàn "
        f"{_lower_first(commune.name)}, Ủy ban nhân dân {_lower_first(commune.name)} "
        f"báo cáo kết quả thực hiện tháng {month:%m/%Y} như sau:",
        indent=True,
    )
    if not data.complete:
        _para(
            document,
            f"(Báo cáo chưa đầy đủ: mới có {len(data.accepted)}/{len(data.expected)} đơn vị "
            f"có báo cáo được chấp nhận; các số liệu tự động lấy từ hệ thống trên toàn xã.)",
            italic=True,
            indent=True,
        )

    _para(document, "I. KẾT QUẢ THỰC HIỆN", bold=True, before=6)
    _para(document, "1. Các chỉ tiêu chủ yếu trên toàn xã", bold=True, indent=True)
    rows, number = [], 0
    for title, lines in data.sections():
        rows.append(["", title, "", ""])
        for line in lines:
            if line.indicator.kind == Indicator.Kind.TEXT:
                continue
            number += 1
            total = figure(line.total, line.indicator)
            rows.append([str(number), line.indicator.name, line.indicator.unit, total])
    table = _grid_table(
        document,
        ["TT", "Chỉ tiêu", "Đơn vị tính", f"Tháng {month:%m/%Y}"],
        rows,
        [1.1, 9.4, 2.8, 3.2],
    )
    for row, values in zip(table.rows[1:], rows, strict=True):
        if not values[0]:  # a section title row
            for run in row.cells[1].paragraphs[0].runs:
                run.font.bold = True
                run.font.italic = True

    _para(document, "2. Kết quả của các cơ quan, đơn vị", bold=True, indent=True)
    if not data.accepted:
        _para(document, "Chưa có báo cáo của đơn vị nào được chấp nhận.", indent=True)
    else:
        _organisation_tables(document, data)
    for report in data.accepted:
        texts = [" ".join(report.results.split())] if report.results.strip() else []
        for line in data.lines:
            if line.indicator.kind == Indicator.Kind.TEXT:
                text = line.by_organisation.get(report.organisation_id)
                if text:
                    texts.append(f"{line.indicator.name}: {' '.join(text.split())}")
        if texts:
            _para(document, f"- {report.organisation.name}: {' '.join(texts)}", indent=True)

    for numeral, (title, field) in zip(
        ROMAN[1:3],
        [("KHÓ KHĂN, VƯỚNG MẮC", "difficulties"), ("PHƯƠNG HƯỚNG, ĐỀ XUẤT", "proposals")],
        strict=True,
    ):
        _para(document, f"{numeral}. {title}", bold=True, before=6)
        items = [(r.organisation.name, getattr(r, field).strip()) for r in data.accepted]
        items = [(name, text) for name, text in items if text]
        if not items:
            _para(document, "Không có.", indent=True)
        for name, text in items:
            _para(document, f"- {name}: {' '.join(text.split())}", indent=True)

    _para(
        document,
        f"Trên đây là báo cáo kết quả thực hiện phong trào “Bình dân học vụ số” tháng "
        f"{month:%m/%Y} của Ủy ban nhân dân {_lower_first(commune.name)}./.",
        indent=True,
        before=6,
    )

    # Signature block (right) and "Nơi nhận" (left), level with each other.
    sign = document.add_table(rows=1, cols=2)
    _no_borders(sign)
    _widths(sign, [7.5, 9.0])
    left, right = sign.rows[0].cells
    _cell_text(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = form.recipient_lines()
    for position, line in enumerate(lines):
        end = "." if position == len(lines) - 1 else ";"
        _cell_text(left, f"- {line.rstrip(';.')}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _cell_text(right, form.authority_line.upper(), size=BODY_PT, bold=True)
    if form.deputy_line:
        _cell_text(right, form.deputy_line.upper(), size=BODY_PT, bold=True)
    _cell_text(right, form.signer_title.upper(), size=BODY_PT, bold=True)
    for _ in range(4):
        right.add_paragraph()
    if form.signer_name:
        _cell_text(right, form.signer_name, size=BODY_PT, bold=True)

    out = BytesIO()
    document.save(out)
    return out.getvalue()
