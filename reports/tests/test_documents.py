"""The consolidated .docx has the Nghị định 30 structure and the database's figures;
the Excel workbook has every indicator by organisation and by hamlet."""

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from outreach.models import Session
from reports.months import month_end
from reports.services import report_accept, report_submit
from reports.sources import SOURCES
from reports.tests.conftest import FULL, at, manual_values

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def accepted(cast, form, report, month):
    for day, organiser in ((3, cast.organisation), (4, cast.organisation), (5, None)):
        Session.objects.create(
            commune=cast.commune,
            hamlet=cast.hamlet,
            kind=Session.Kind.CULTURAL_HOUSE,
            place="Nhà văn hóa",
            starts_at=at(month + timedelta(days=day), 19),
            organiser=organiser,
            extra_participants=5,
        )
    from reports.services import report_open

    report = report_open(form=form, organisation=cast.organisation, month=month)
    report = report_submit(
        actor=cast.officer,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=manual_values(form, **FULL),
        narrative={
            "results": "Hướng dẫn hội viên cài VNeID.",
            "difficulties": "Sóng yếu ở xóm Yên Mỹ.",
            "proposals": "Xin thêm tài liệu in.",
        },
    )
    return report_accept(actor=cast.coordinator, report=report)


def _document(client, cast, form, month):
    client.force_login(cast.coordinator)
    response = client.get(f"/can-bo/bao-cao/tong-hop/{form.pk}/{month:%Y-%m}/bao-cao.docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    return Document(BytesIO(response.content))


def _texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_docx_has_the_official_layout(client, cast, form, accepted, month):
    document = _document(client, cast, form, month)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin)]
    assert all(20 <= m <= 25 for m in margins)
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    assert document.styles["Normal"].font.name == "Times New Roman"
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    assert all(r.font.name == "Times New Roman" for r in runs)
    assert all(13 <= r.font.size.pt <= 14 for r in runs)

    header = document.tables[0]
    left, right = (cell.text for cell in header.rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nXÃ BẠCH NGỌC" in left and "Số:" in left and "/BC-UBND" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in right
    assert "Bạch Ngọc, ngày" in right
    date_run = header.rows[0].cells[1].paragraphs[-1].runs[0]
    assert date_run.font.italic

    texts = _texts(document)
    assert "BÁO CÁO" in texts
    assert f"tháng {month.month} năm {month.year}" in texts[texts.index("BÁO CÁO") + 1]
    for heading in (
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. PHƯƠNG HƯỚNG, ĐỀ XUẤT",
    ):
        assert heading in texts
    assert any("Hội Nông dân xã: Sóng yếu ở xóm Yên Mỹ." in t for t in texts)
    assert any("Báo cáo chưa đầy đủ: mới có 1/2" in t for t in texts)

    signature = document.tables[-1]
    recipients, signer = (cell.text for cell in signature.rows[0].cells)
    assert recipients.startswith("Nơi nhận:") and recipients.endswith("Lưu: VT, VHXH.")
    assert "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in signer
    assert signer.strip().endswith("Nguyễn Kim Nam")
    label = signature.rows[0].cells[0].paragraphs[0].runs[0]
    assert label.font.bold and label.font.italic and label.font.size.pt == 12


def test_the_docx_tables_hold_the_database_figures(client, cast, form, accepted, month):
    document = _document(client, cast, form, month)
    totals = {row.cells[1].text: row.cells[3].text for row in document.tables[1].rows[1:]}
    sessions = SOURCES["sessions"].count(cast.commune, None, month, month_end(month))
    assert sessions == 3
    assert totals[form.indicators.get(code="sessions").name] == "3"
    assert totals[form.indicators.get(code="participants").name] == "15"
    assert totals[form.indicators.get(code="residents_guided").name] == "30"
    assert totals[form.indicators.get(code="online_dossier_share").name] == "62,5%"

    by_org = document.tables[2]
    header = [c.text for c in by_org.rows[0].cells]
    row = next(r for r in by_org.rows if r.cells[1].text == "Hội Nông dân xã")
    cells = dict(zip(header, (c.text for c in row.cells), strict=True))
    assert cells["Buổi hướng dẫn kỹ năng số đã tổ chức (buổi)"] == "2"  # its own two sessions
    assert by_org.rows[-1].cells[1].text == "Tổng cộng"


def test_the_excel_has_indicators_by_organisation_and_by_hamlet(
    client, cast, form, accepted, month
):
    client.force_login(cast.leader)
    response = client.get(f"/can-bo/bao-cao/tong-hop/{form.pk}/{month:%Y-%m}/chi-tieu.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book["Theo đơn vị"]
    header = [c.value for c in sheet[3]]
    assert header[:4] == ["Nhóm", "Chỉ tiêu", "Đơn vị tính", "Toàn xã"]
    assert "Hội Nông dân xã" in header
    rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
    sessions = rows[form.indicators.get(code="sessions").name]
    assert sessions[3] == 3 and sessions[header.index("Hội Nông dân xã")] == 2
    hamlets = book["Theo xóm"]
    hamlet_header = [c.value for c in hamlets[1]]
    by_name = {r[0]: r for r in hamlets.iter_rows(min_row=2, values_only=True)}
    row = by_name[form.indicators.get(code="participants").name]
    assert row[hamlet_header.index("Xóm Ngọc Lâm")] == 15


def test_the_consolidation_page_links_the_downloads(client, cast, form, accepted, month):
    client.force_login(cast.leader)
    page = client.get(f"/can-bo/bao-cao/tong-hop/{form.pk}/{month:%Y-%m}/").content.decode()
    assert "bao-cao.docx" in page and "chi-tieu.xlsx" in page
    assert "1/2 đơn vị có báo cáo được chấp nhận" in page
