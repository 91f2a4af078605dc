"""All indicators of a month by organisation, and by hamlet where the records name one."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from places.models import Hamlet
from reports.models import Indicator
from reports.selectors import Consolidation


def _cell(value):
    if value is None:
        return None
    if isinstance(value, (int, str)):
        return value
    return float(value)


def consolidated_workbook(data: Consolidation, hamlet_rows: list[tuple]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo đơn vị"
    sheet.append([f"Chỉ tiêu tháng {data.month:%m/%Y} — {data.commune.name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"Đơn vị có báo cáo được chấp nhận: {len(data.accepted)}/{len(data.expected)}. "
            "Số liệu tự động của cột Toàn xã đếm mỗi hoạt động một lần trên cả xã."
        ]
    )
    organisations = [r.organisation for r in data.accepted]
    sheet.append(
        ["Nhóm", "Chỉ tiêu", "Đơn vị tính", "Toàn xã", "Ghi chú", *[o.name for o in organisations]]
    )
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in data.lines:
        indicator = line.indicator
        total = "" if indicator.kind == Indicator.Kind.TEXT else _cell(line.total)
        sheet.append(
            [
                indicator.section,
                indicator.name,
                indicator.unit,
                total,
                line.note,
                *[_cell(line.by_organisation.get(o.pk)) for o in organisations],
            ]
        )
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["E"].width = 20

    by_hamlet = book.create_sheet("Theo xóm")
    hamlets = sorted(Hamlet.objects.filter(commune=data.commune), key=lambda h: h.name)
    by_hamlet.append(["Chỉ tiêu", "Đơn vị tính", *[h.name for h in hamlets], "Không rõ xóm"])
    for cell in by_hamlet[1]:
        cell.font = Font(bold=True)
    for indicator, counts in hamlet_rows:
        known = [counts.get(h.pk, 0) for h in hamlets]
        line = next((x for x in data.lines if x.indicator.pk == indicator.pk), None)
        total = line.total if line and isinstance(line.total, int) else sum(known)
        unknown = max(total - sum(known), 0) if indicator.source != "broadcasts" else ""
        by_hamlet.append([indicator.name, indicator.unit, *known, unknown])
    by_hamlet.column_dimensions["A"].width = 50

    out = BytesIO()
    book.save(out)
    return out.getvalue()
