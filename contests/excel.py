"""A round's results as an Excel workbook: the prize list, then hamlets and organisations."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

PRIZE_HEADERS = [
    "Giải",
    "Hạng",
    "Họ và tên",
    "Năm sinh",
    "Xóm / đơn vị",
    "Cơ quan, đoàn thể",
    "Số câu đúng",
    "Dự đoán",
    "Thời gian (giây)",
    "Thi trên giấy",
]
UNIT_HEADERS = ["Người dự thi", "Điểm trung bình", "Đúng tất cả"]


def _bold(row) -> None:
    for cell in row:
        cell.font = Font(bold=True)


def results_workbook(*, title: str, winners: list[dict], hamlets: list[dict], organisations):
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách giải"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(PRIZE_HEADERS)
    _bold(sheet[2])
    for w in winners:
        sheet.append(
            [
                w["prize"],
                w["rank"],
                w["name"],
                w["birth_year"],
                w["unit"],
                w["organisation"],
                w["score"],
                w["prediction"],
                w["duration_seconds"],
                "x" if w["assisted"] else "",
            ]
        )
    for column, width in zip("ABCDEFGHIJ", (20, 7, 28, 10, 22, 24, 12, 10, 14, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for name, rows in (("Theo xóm", hamlets), ("Theo cơ quan, đoàn thể", organisations)):
        unit = book.create_sheet(name)
        unit.append([name.removeprefix("Theo ").capitalize(), *UNIT_HEADERS])
        _bold(unit[1])
        for r in rows:
            unit.append([r["name"], r["participants"], round(r["average"], 2), r["all_correct"]])
        unit.column_dimensions["A"].width = 30
    out = BytesIO()
    book.save(out)
    return out.getvalue()
