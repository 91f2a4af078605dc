"""Learning statistics as an Excel workbook."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = [
    "",
    "Người học",
    "Lượt hoàn thành bài",
    "Trong đó có hỗ trợ",
    "Tỷ lệ có hỗ trợ (%)",
    "Chứng nhận",
]
SHEETS = [
    ("by_topic", "Theo chủ đề"),
    ("by_hamlet", "Theo xóm"),
    ("by_age", "Theo độ tuổi"),
    ("by_sex", "Theo giới tính"),
]


def stats_workbook(stats: dict, *, commune_name: str) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append([f"Kết quả học kỹ năng số — {commune_name}"])
    summary["A1"].font = Font(bold=True, size=14)
    for label, key in [
        ("Người học (đã hoàn thành ít nhất một bài)", "learners"),
        ("Lượt hoàn thành bài", "completions"),
        ("Trong đó có hỗ trợ", "assisted"),
        ("Tỷ lệ có hỗ trợ (%)", "assisted_share"),
        ("Lượt hoàn thành của khách chưa đăng ký", "anonymous_completions"),
        ("Chứng nhận đã cấp", "certificates"),
        ("Khóa học quốc gia đã khai", "external_declared"),
        ("Khóa học quốc gia đã xác nhận", "external_confirmed"),
    ]:
        summary.append([label, stats[key]])
    summary.column_dimensions["A"].width = 48
    for key, title in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append([title.removeprefix("Theo ").capitalize(), *HEADERS[1:]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in stats[key]:
            sheet.append(
                [
                    row["label"],
                    row["learners"],
                    row["completions"],
                    row["assisted"],
                    row["assisted_share"],
                    row["certificates"],
                ]
            )
        sheet.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
