"""The province dashboard as an Excel workbook: one row per commune, then the months."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from planning.dashboard import TREND_SERIES

COMMUNE_HEADERS = [
    "Xã / phường",
    "Người dân đăng ký",
    "Đã được tiếp cận",
    "Tỷ lệ tiếp cận (%)",
    "Tỷ lệ tự làm dịch vụ công trực tuyến, độ tuổi lao động (%)",
    "Mục tiêu (%)",
    *[label for _, label in TREND_SERIES],
    "Dự toán kinh phí (đồng)",
    "Đã chi (đồng)",
    "Số liệu tính lúc",
]


def province_workbook(figures: dict, *, province_name: str, report_month=None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Các xã"
    sheet.append([f"Bình dân học vụ số — {province_name} — năm {figures['year']}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(COMMUNE_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in figures["rows"]:
        if r["missing"]:
            sheet.append([r["name"], "Chưa có số liệu"])
            continue
        sheet.append(
            [
                r["name"],
                r["residents"],
                r["reached"],
                r["reached_percent"],
                r["public_service_percent"],
                r["target_percent"],
                *[r[key] for key, _ in TREND_SERIES],
                r["budget_planned"],
                r["budget_spent"],
                r["computed_at"].strftime("%d/%m/%Y %H:%M"),
            ]
        )
    sheet.append(
        [
            "Toàn tỉnh",
            figures["residents"],
            figures["reached"],
            figures["reached_percent"],
            figures["public_service_percent"],
            None,
            *[figures["totals"][key] for key, _ in TREND_SERIES],
            figures["budget_planned"],
            figures["budget_spent"],
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 30
    for row in sheet.iter_rows(
        min_row=3, min_col=len(COMMUNE_HEADERS) - 2, max_col=len(COMMUNE_HEADERS) - 1
    ):
        for cell in row:
            cell.number_format = "#,##0"

    if report_month is not None:
        reports = book.create_sheet("Báo cáo tháng")
        reports.append([f"Báo cáo tháng {report_month:%m/%Y} của các đơn vị, theo xã"])
        reports["A1"].font = Font(bold=True)
        reports.append(["Xã / phường", "Đơn vị phải nộp", "Đã nộp", "Nộp đúng hạn", "Đã chấp nhận"])
        for cell in reports[2]:
            cell.font = Font(bold=True)
        for r in figures["rows"]:
            c = r["reports"]
            reports.append([r["name"], c["due"], c["sent"], c["on_time"], c["accepted"]])
        reports.column_dimensions["A"].width = 30

    months = book.create_sheet("Theo tháng")
    months.append(["Tháng", *[label for _, label in TREND_SERIES]])
    for cell in months[1]:
        cell.font = Font(bold=True)
    for i, m in enumerate(figures["months"]):
        months.append(
            [f"{m:02d}/{figures['year']}", *[figures["trends"][k][i] for k, _ in TREND_SERIES]]
        )

    budget = book.create_sheet("Kinh phí")
    budget.append(["Nguồn", "Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi (%)"])
    for cell in budget[1]:
        cell.font = Font(bold=True)
    for b in figures["budget"]:
        budget.append([b["label"], b["planned"], b["spent"], b["percent"]])
    budget.column_dimensions["A"].width = 26
    out = BytesIO()
    book.save(out)
    return out.getvalue()


MONEY = "#,##0"


def _header(sheet, labels: list[str]) -> None:
    sheet.append(labels)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _money_columns(sheet, columns: str, first_row: int) -> None:
    for col in columns:
        for cell in sheet[col][first_row - 1 :]:
            cell.number_format = MONEY


def budget_workbook(budget, expenses, *, commune_name: str) -> bytes:
    """The commune's budget for a year: by source, by organisation, each line, each expense."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Theo nguồn"
    sheet.append([f"Kinh phí Bình dân học vụ số năm {budget.year} — {commune_name}"])
    sheet["A1"].font = Font(bold=True, size=14)
    _header(sheet, ["Nguồn", "Dự toán (đồng)", "Đã chi (đồng)", "Còn lại (đồng)", "Đã chi (%)"])
    for r in [*budget.by_source, budget.total]:
        sheet.append([r.label, r.planned, r.spent, r.remaining, r.percent])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _money_columns(sheet, "BCD", 3)
    sheet.column_dimensions["A"].width = 28

    orgs = book.create_sheet("Theo cơ quan")
    _header(
        orgs, ["Cơ quan, đoàn thể", "Dự toán (đồng)", "Đã chi (đồng)", "Còn lại (đồng)", "Cảnh báo"]
    )
    for r in budget.by_organisation:
        over = "Chi vượt dự toán" if r.over else ""
        orgs.append([r.label, r.planned, r.spent, r.remaining, over])
    _money_columns(orgs, "BCD", 2)
    orgs.column_dimensions["A"].width = 34

    lines = book.create_sheet("Các dòng kinh phí")
    _header(
        lines, ["Nội dung chi", "Cơ quan · nguồn", "Dự toán (đồng)", "Đã chi (đồng)", "Cảnh báo"]
    )
    for r in budget.lines:
        lines.append([r.label, r.detail, r.planned, r.spent, "Chi vượt dự toán" if r.over else ""])
    _money_columns(lines, "CD", 2)
    lines.column_dimensions["A"].width = 44
    lines.column_dimensions["B"].width = 40

    spent = book.create_sheet("Các khoản đã chi")
    _header(spent, ["Ngày chi", "Cơ quan", "Dòng kinh phí", "Số tiền (đồng)", "Ghi chú"])
    for e in expenses:
        spent.append(
            [e.spent_on, e.line.plan.organisation.name, e.line.description, e.amount, e.note]
        )
        spent.cell(row=spent.max_row, column=1).number_format = "DD/MM/YYYY"
    _money_columns(spent, "D", 2)
    spent.column_dimensions["B"].width = 30
    spent.column_dimensions["C"].width = 44
    out = BytesIO()
    book.save(out)
    return out.getvalue()
