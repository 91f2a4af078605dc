"""Residents from a hamlet's Excel list: template, every-row checks, all-or-nothing import."""

import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEntry, Consent, Resident
from accounts.services import resident_register
from outreach.importer import COLUMNS, EXAMPLE

START = "/can-bo/nhap-danh-sach/"
TEMPLATE = "/can-bo/nhap-danh-sach/mau.xlsx"
CONFIRM = "/can-bo/nhap-danh-sach/xac-nhan/"
HEADERS = [header for _, header, _ in COLUMNS]
THIS_YEAR = timezone.localdate().year


def xlsx(rows, headers=HEADERS, *, note=True) -> bytes:
    """A list like an official would make: a note row, the headers, then data from row 3."""
    book = Workbook()
    sheet = book.active
    if note:
        sheet.append(["Danh sách người dân xóm (không ghi số căn cước)"])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def person(name="Phạm Văn Hùng", year=1960, sex="Nam", hamlet="Xóm Ngọc Lâm", phone="", d="", p=""):
    return [name, year, sex, hamlet, phone, d, p]


def good_rows(n, hamlet="Xóm Ngọc Lâm", first_phone=913000000):
    given = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Oanh"]
    return [
        person(f"Hoàng Văn {given[i % len(given)]}", 1950 + i, "Nam", hamlet, f"0{first_phone + i}")
        for i in range(n)
    ]


def upload(client, data: bytes, name="danh-sach.xlsx"):
    return client.post(START, {"file": SimpleUploadedFile(name, data)})


def page(response) -> str:
    return response.content.decode()


def problems(response) -> list[str]:
    return [str(p) for p in response.context["result"].problems]


def confirm(client, response):
    return client.post(CONFIRM, {"token": response.context["token"]})


def new_residents():
    return Resident.objects.exclude(
        full_name__in=["Nguyễn Thị Lành", "Trần Văn Bình", "Lê Thị Hoa"]
    )


@pytest.fixture
def as_coordinator(client, cast):
    client.force_login(cast.coordinator)
    return client


@pytest.fixture
def as_volunteer(client, cast):
    client.force_login(cast.volunteer)
    return client


# Who may import -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [START, TEMPLATE])
def test_admin_coordinator_and_volunteer_may_import_and_no_one_else(client, cast, url):
    allowed = {"admin", "coordinator", "volunteer", "admin2", "coordinator2", "volunteer2"}
    for who, user in cast.users().items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if who in allowed else 403), who
    client.logout()
    assert client.get(url).status_code == 302


def test_confirm_and_result_pages_answer_only_importers(client, cast):
    client.force_login(cast.officer)
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert client.get(START + "da-nhap/x/").status_code == 403
    client.force_login(cast.coordinator)
    assert client.get(CONFIRM).status_code == 405
    assert client.get(START + "da-nhap/khong-co/").status_code == 404


# The template ---------------------------------------------------------------------------


def test_the_template_has_vietnamese_headers_a_note_a_grey_example_and_dropdowns(
    as_coordinator, cast
):
    response = as_coordinator.get(TEMPLATE)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    assert "căn cước" in sheet["A1"].value and "KHÔNG" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == HEADERS
    assert HEADERS == [
        "Họ và tên",
        "Năm sinh",
        "Giới tính (Nam/Nữ)",
        "Xóm",
        "Số điện thoại (nếu có)",
        "Người khuyết tật (x nếu có)",
        "Hộ nghèo, cận nghèo (x nếu có)",
    ]
    example = sheet[3]
    assert example[0].value == EXAMPLE["full_name"]
    assert all(c.font.italic and c.font.color.rgb.endswith("808080") for c in example)
    rules = {str(dv.sqref).split(":")[0][0]: dv for dv in sheet.data_validations.dataValidation}
    assert rules["C"].type == "list" and "Nữ" in rules["C"].formula1
    assert rules["D"].type == "list" and "Danh mục xóm" in rules["D"].formula1
    assert rules["B"].type == "whole"
    names = [row[0].value for row in book["Danh mục xóm"].iter_rows()]
    assert names == ["Xóm Ngọc Lâm", "Xóm Yên Mỹ"]
    assert book["Danh mục xóm"].sheet_state == "hidden"


def test_a_volunteers_template_offers_only_their_hamlet(as_volunteer):
    book = load_workbook(BytesIO(as_volunteer.get(TEMPLATE).content))
    assert [row[0].value for row in book["Danh mục xóm"].iter_rows()] == ["Xóm Ngọc Lâm"]
    assert book.worksheets[0]["D3"].value == "Xóm Ngọc Lâm"


def test_the_template_round_trips_filled_in_excel(as_coordinator, cast):
    book = load_workbook(BytesIO(as_coordinator.get(TEMPLATE).content))
    sheet = book.worksheets[0]
    sheet.append(person("Nguyễn Thị Mai", 1948, "nu", "Xóm Ngọc Lâm", "0987 654 321", "x", ""))
    sheet.append(person("LÊ VĂN TÁM", 1990, "NAM", "yen my", 912888777, "", "X"))
    sheet.append(person("Đặng Thị Thu", 1975, "NỮ", "ngọc lâm", "", "", ""))
    sheet.append(person("Vũ Văn Hải", 2001, "Nam", "Yên Mỹ", "+84 903 111 222", "", "có"))
    out = BytesIO()
    book.save(out)

    preview = upload(as_coordinator, out.getvalue())

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.problems == [] and result.example_skipped and result.data_rows == 4
    assert "Nhập 4 người vào danh sách" in page(preview)
    assert new_residents().count() == 0  # a preview writes nothing

    done = confirm(as_coordinator, preview)

    assert done.status_code == 302
    assert as_coordinator.get(done.url).status_code == 200
    people = {r.full_name: r for r in new_residents()}
    assert set(people) == {"Nguyễn Thị Mai", "Lê Văn Tám", "Đặng Thị Thu", "Vũ Văn Hải"}
    mai, tam = people["Nguyễn Thị Mai"], people["Lê Văn Tám"]
    assert (mai.sex, mai.birth_year, mai.phone, mai.has_disability) == (
        "nu",
        1948,
        "0987654321",
        True,
    )
    assert (tam.hamlet, tam.phone, tam.is_poor_household) == (cast.other_hamlet, "0912888777", True)
    assert people["Đặng Thị Thu"].phone is None and people["Đặng Thị Thu"].hamlet == cast.hamlet
    assert people["Vũ Văn Hải"].phone == "0903111222"
    assert all(r.registered_by == cast.coordinator for r in people.values())
    assert not Consent.objects.filter(resident__in=people.values()).exists()
    audited = AuditEntry.objects.filter(actor=cast.coordinator, action="create")
    assert audited.filter(target_id__in=[str(r.pk) for r in people.values()]).count() == 4


def test_the_result_page_says_consent_is_asked_person_by_person(as_coordinator):
    done = confirm(as_coordinator, upload(as_coordinator, xlsx(good_rows(2))))
    content = page(as_coordinator.get(done.url))
    assert "Đã nhập 2 người" in content
    assert "không ghi nhận sự đồng ý nào" in content


def test_an_untouched_example_row_alone_is_an_empty_list(as_coordinator):
    book = load_workbook(BytesIO(as_coordinator.get(TEMPLATE).content))
    out = BytesIO()
    book.save(out)
    response = upload(as_coordinator, out.getvalue())
    assert "chưa có người nào" in page(response)


# Bad rows -------------------------------------------------------------------------------

GOOD = person("Phạm Thị Hồng", 1962, "Nữ", "Xóm Ngọc Lâm", "0913555000")


@pytest.mark.parametrize(
    "bad, reason",
    [
        (person(name=""), "Dòng 4: Chưa ghi họ và tên"),
        (person(name="Lan"), "Dòng 4: Họ và tên “Lan” chưa đủ"),
        (person(name="Nguyễn Văn 3"), "Dòng 4: Họ và tên không được có chữ số"),
        (person(name="Nguyễn " + "a" * 100), "Dòng 4: Họ và tên dài quá 100 ký tự"),
        (person(year=1850), f"Dòng 4: Năm sinh 1850 không hợp lệ (phải từ {THIS_YEAR - 120}"),
        (person(year=THIS_YEAR + 1), f"Dòng 4: Năm sinh {THIS_YEAR + 1} không hợp lệ"),
        (person(year="năm mươi"), "Dòng 4: Năm sinh “năm mươi” không hợp lệ"),
        (person(year=None), "Dòng 4: Chưa ghi năm sinh"),
        (person(sex="Khác"), "Dòng 4: Giới tính “Khác” không hợp lệ: ghi Nam hoặc Nữ"),
        (person(sex=None), "Dòng 4: Chưa ghi giới tính"),
        (person(hamlet="Xóm Đông Sơn"), "Dòng 4: Không có xóm “Xóm Đông Sơn” trong xã"),
        (person(hamlet=None), "Dòng 4: Chưa ghi xóm"),
        (person(phone="12345"), "Dòng 4: Số điện thoại không hợp lệ"),
        (person(phone="0912000001"), "Dòng 4: Số điện thoại 0912000001 đã được đăng ký"),
        (person(phone="0913 555 000"), "Dòng 4: Số điện thoại trùng với dòng 3"),
        (person("Nguyễn Thị Lành", 1955, "Nữ"), "Dòng 4: Nguyễn Thị Lành, sinh năm 1955, đã có"),
        (person("nguyen thi lanh", 1955, "nu"), "Dòng 4: Nguyen Thi Lanh, sinh năm 1955, đã có"),
        (person("Phạm Thị Hồng", 1962, "Nữ"), "Dòng 4: Trùng với dòng 3 (cùng họ tên"),
        (person(d="có lẽ"), "Dòng 4: Cột “Người khuyết tật (x nếu có)” chỉ ghi x"),
        (person(p="?"), "Dòng 4: Cột “Hộ nghèo, cận nghèo (x nếu có)” chỉ ghi x"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_excel_row_and_nothing_is_imported(
    as_coordinator, bad, reason
):
    response = upload(as_coordinator, xlsx([GOOD, bad]))

    assert response.status_code == 200
    found = problems(response)
    assert len(found) == 1 and found[0].startswith(reason), found
    content = page(response)
    assert "Chưa nhập ai." in content
    assert "Nhập 1 người" not in content and 'name="token"' not in content
    assert new_residents().count() == 0


def test_every_problem_of_every_row_is_listed_at_once(as_coordinator):
    rows = [
        person("Lan", 1850, "?", "Xóm Nào Đó", "123"),
        GOOD,
        person("Phạm Thị Hồng", 1962, "nữ", "ngoc lam", "0913555000"),
    ]
    found = problems(upload(as_coordinator, xlsx(rows)))
    assert [f.split(":")[0] for f in found] == ["Dòng 3"] * 5 + ["Dòng 5"] * 2
    assert "Dòng 5: Trùng với dòng 4 (cùng họ tên, năm sinh và xóm)" in found


def test_nine_good_rows_and_one_bad_row_import_nothing(as_coordinator):
    rows = good_rows(9)
    rows.insert(6, person("Trương Văn Sáu", 1850))
    response = upload(as_coordinator, xlsx(rows))

    result = response.context["result"]
    assert (result.data_rows, len(result.rows), result.bad_rows) == (10, 9, 1)
    assert problems(response) == [
        f"Dòng 9: Năm sinh 1850 không hợp lệ (phải từ {THIS_YEAR - 120} đến {THIS_YEAR})"
    ]
    assert response.context["token"] == ""
    # No token was issued, so no confirm can import the nine good rows.
    assert as_coordinator.post(CONFIRM, {"token": ""}).status_code == 302
    assert new_residents().count() == 0


def test_uploading_the_same_list_again_reports_everyone_as_already_registered(as_coordinator):
    data = xlsx(good_rows(3))
    confirm(as_coordinator, upload(as_coordinator, data))
    assert new_residents().count() == 3

    again = upload(as_coordinator, data)

    assert len(problems(again)) == 6  # each person, and each phone, is already there
    assert "Hoàng Văn An, sinh năm 1950, đã có trong danh sách người dân của Xóm Ngọc Lâm" in (
        page(again)
    )
    assert new_residents().count() == 3


def test_someone_registered_between_preview_and_confirm_blocks_the_whole_import(
    as_coordinator, cast
):
    preview = upload(as_coordinator, xlsx(good_rows(3)))
    resident_register(
        actor=cast.volunteer,
        hamlet=cast.hamlet,
        full_name="Hoàng Văn Bình",
        birth_year=1951,
        sex="nam",
    )

    response = confirm(as_coordinator, preview)

    assert response.status_code == 200
    assert problems(response)[0].startswith("Dòng 4: Hoàng Văn Bình, sinh năm 1951, đã có")
    assert "danh sách người dân đã thay đổi" in page(response)
    assert new_residents().count() == 1  # only the one registered by hand


# Refused files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["Số CCCD", "CMND", "Số căn cước công dân", "Mã định danh cá nhân", "Số CMND/CCCD"]
)
def test_a_citizen_id_column_is_refused_and_its_values_never_echoed(as_coordinator, header):
    rows = [[*person(), "001234567890"], [*good_rows(1)[0], "038190001234"]]
    response = upload(as_coordinator, xlsx(rows, [*HEADERS, header]))

    content = page(response)
    assert response.status_code == 200
    assert f"Tệp có cột “{header}” (cột H)" in content
    assert "không bao giờ lưu số căn cước" in content
    assert "001234567890" not in content and "038190001234" not in content
    assert new_residents().count() == 0
    assert "result" not in response.context


def test_an_id_number_typed_in_the_phone_column_is_not_echoed(as_coordinator):
    response = upload(as_coordinator, xlsx([person(phone="001234567890")]))
    assert "có vẻ đây là số căn cước" in problems(response)[0]
    assert "001234567890" not in page(response)


def test_unknown_columns_are_skipped_and_named(as_coordinator):
    headers = ["STT", *HEADERS, "Ghi chú"]
    response = upload(as_coordinator, xlsx([[1, *person(), "nhà gần chợ"]], headers))
    assert response.context["result"].ignored_columns == ["STT", "Ghi chú"]
    assert "nhà gần chợ" not in page(response)


def _real_xlsx() -> bytes:
    return xlsx(good_rows(2))


def _zip_without_content_types() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def _broken_workbook_xml() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(_real_xlsx())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("ds.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "kiểu cũ (.xls)"),
        ("ds.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "kiểu cũ (.xls)"),
        ("ds.csv", "Họ và tên,Năm sinh\nAn,1960\n".encode(), "Không nhận tệp .csv"),
        ("ds.ods", b"PK\x03\x04mimetype", "LibreOffice (.ods)"),
        ("ds.pdf", b"%PDF-1.4", "Chỉ nhận tệp Excel đuôi .xlsx"),
        ("danh-sach", _real_xlsx(), "Chỉ nhận tệp Excel đuôi .xlsx"),
        ("ds.xlsx", b"", "Tệp trống"),
        ("ds.xlsx", b"Ho va ten;Nam sinh", "tệp bị hỏng"),
        ("ds.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "tệp bị hỏng"),
        ("ds.xlsx", _real_xlsx()[:2000], "tệp bị hỏng"),
        ("ds.xlsx", _zip_without_content_types(), "tệp bị hỏng"),
        ("ds.xlsx", _broken_workbook_xml(), "tệp bị hỏng"),
        ("ds.xlsx", xlsx([person()], ["Tên", "Tuổi"]), "Không tìm thấy dòng tiêu đề"),
        ("ds.xlsx", xlsx([person()], ["Họ và tên", "Năm sinh"]), "Thiếu cột: “Giới tính"),
    ],
)
def test_files_that_are_not_a_readable_xlsx_list_are_refused_in_vietnamese(
    as_coordinator, name, data, message
):
    response = upload(as_coordinator, data, name)

    assert response.status_code == 200
    assert message in page(response)
    assert new_residents().count() == 0


def test_a_zip_bomb_is_refused_before_it_is_unpacked(as_coordinator):
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", b"\0" * (26 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000

    response = upload(as_coordinator, out.getvalue())

    assert "chứa quá nhiều dữ liệu" in page(response)


def test_no_file_chosen(as_coordinator):
    response = as_coordinator.post(START, {})
    assert "Hãy chọn tệp Excel (.xlsx)" in page(response)


def test_a_post_that_is_not_multipart_asks_for_the_file(as_coordinator):
    # The NUL-check middleware reads such a body before the view could set its upload cap.
    response = as_coordinator.post(START, "ten=abc", "application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Hãy chọn tệp Excel (.xlsx)" in page(response)


def test_a_file_over_the_size_cap_is_refused_without_reading_it(as_coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    response = upload(as_coordinator, xlsx(good_rows(1)) + b"\0" * 8192)
    assert "Tệp lớn hơn 4 KB" in page(response)


def test_the_size_cap_is_never_above_two_megabytes(as_coordinator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
    response = upload(as_coordinator, b"PK" + b"\0" * (2 * 1024 * 1024))
    assert "Tệp lớn hơn 2 MB" in page(response)


def test_more_rows_than_a_list_may_hold_are_refused(as_coordinator, monkeypatch):
    monkeypatch.setattr("outreach.importer.MAX_ROWS", 5)
    response = upload(as_coordinator, xlsx(good_rows(7)))
    assert "Tệp có hơn 5 dòng" in page(response)


# Scope ----------------------------------------------------------------------------------


def test_a_volunteer_cannot_import_into_another_hamlet(as_volunteer, cast):
    rows = [person("Phan Văn Tư", 1970, "Nam", "Xóm Yên Mỹ"), GOOD]
    response = upload(as_volunteer, xlsx(rows))

    assert problems(response) == [
        "Dòng 3: Xóm Yên Mỹ không phải xóm bạn phụ trách; bạn chỉ nhập được cho Xóm Ngọc Lâm"
    ]
    assert new_residents().count() == 0


def test_a_volunteers_rows_without_a_hamlet_go_to_their_own_hamlet(as_volunteer, cast):
    headers = [h for h in HEADERS if h != "Xóm"]
    rows = [[r[0], r[1], r[2], r[4], r[5], r[6]] for r in good_rows(2)]
    done = confirm(as_volunteer, upload(as_volunteer, xlsx(rows, headers)))
    assert done.status_code == 302
    assert {r.hamlet for r in new_residents()} == {cast.hamlet}


def test_a_volunteer_whose_hamlet_changed_after_the_preview_imports_nothing(as_volunteer, cast):
    preview = upload(as_volunteer, xlsx(good_rows(2)))
    cast.volunteer.hamlet = cast.other_hamlet
    cast.volunteer.save()

    response = confirm(as_volunteer, preview)

    assert "không còn thuộc phạm vi của bạn" in page(response)
    assert new_residents().count() == 0


def test_a_second_commune_sees_only_its_own_hamlets_and_people(client, cast):
    client.force_login(cast.admin2)
    rows = [
        person("Nguyễn Thị Lành", 1955, "Nữ", "Xóm Hà Trung"),  # same name, other commune
        person("Đỗ Văn Năm", 1966, "Nam", "Xóm Ngọc Lâm"),  # a hamlet of the first commune
    ]
    response = upload(client, xlsx(rows))

    assert problems(response) == [
        "Dòng 4: Không có xóm “Xóm Ngọc Lâm” trong xã (các xóm: Xóm Hà Trung)"
    ]
    assert "Yên Mỹ" not in page(response)

    done = confirm(client, upload(client, xlsx(rows[:1])))

    assert done.status_code == 302
    lanh = Resident.objects.get(full_name="Nguyễn Thị Lành", hamlet=cast.hamlet2)
    assert lanh.commune == cast.commune2


def test_a_token_is_bound_to_the_session_and_user_that_checked_the_list(client, cast):
    client.force_login(cast.coordinator)
    token = upload(client, xlsx(good_rows(2))).context["token"]
    client.force_login(cast.admin2)  # a new session: the pending list is not there

    response = client.post(CONFIRM, {"token": token})

    assert response.status_code == 302 and response.url == START
    assert new_residents().count() == 0


# Double submission ----------------------------------------------------------------------


def test_a_double_clicked_confirm_imports_once(as_coordinator):
    preview = upload(as_coordinator, xlsx(good_rows(5)))

    first = confirm(as_coordinator, preview)
    second = confirm(as_coordinator, preview)

    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert new_residents().count() == 5
    assert "Đã nhập 5 người" in page(as_coordinator.get(second.url))


def test_two_confirms_racing_with_the_same_session_import_once(as_coordinator):
    """The second request read the session before the first one saved it."""
    preview = upload(as_coordinator, xlsx(good_rows(4)))
    session = as_coordinator.session
    stale = dict(session["outreach_import"])

    confirm(as_coordinator, preview)
    session = as_coordinator.session
    session["outreach_import"] = stale
    session.save()
    second = confirm(as_coordinator, preview)

    assert second.status_code == 302
    assert new_residents().count() == 4
    assert "Đã nhập 4 người" in page(as_coordinator.get(second.url))


# Never a 500 ----------------------------------------------------------------------------

cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.text(
        alphabet=st.characters(blacklist_categories=["Cc", "Cs"]),
        max_size=120,
    ).filter(lambda s: not s.startswith("=")),
    st.sampled_from(["Nam", "nữ", "Xóm Ngọc Lâm", "yen my", "x", "0912 345 678", "1960", "Lan"]),
)
headers = st.lists(
    st.one_of(st.sampled_from([*HEADERS, "STT", "", "Ghi chú"]), st.text(max_size=20)),
    min_size=1,
    max_size=9,
)


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.one_of(st.just(HEADERS), headers),
    rows=st.lists(st.lists(cell, max_size=9), max_size=6),
)
def test_random_cells_never_cause_a_server_error(client, cast, header, rows):
    client.force_login(cast.volunteer)
    try:
        data = xlsx(rows, header)
    except Exception:  # openpyxl refused to write the value; nothing to upload
        return
    before = Resident.objects.count()

    response = upload(client, data)

    assert response.status_code == 200
    if response.context.get("token"):
        assert client.post(CONFIRM, {"token": response.context["token"]}).status_code == 302
    else:
        assert Resident.objects.count() == before


@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=3000), prefix=st.sampled_from([b"", b"PK\x03\x04", b"PK"]))
def test_random_bytes_never_cause_a_server_error(client, cast, data, prefix):
    client.force_login(cast.coordinator)
    assert upload(client, prefix + data).status_code == 200


def test_the_upload_form_is_csrf_protected_even_though_the_handler_is_swapped(cast):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.coordinator)
    browser.get(START)
    token = browser.cookies["csrftoken"].value
    data = xlsx(good_rows(1))

    refused = browser.post(START, {"file": SimpleUploadedFile("ds.xlsx", data)})
    accepted = browser.post(
        START, {"file": SimpleUploadedFile("ds.xlsx", data), "csrfmiddlewaretoken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200 and accepted.context["result"].importable


def test_title_rows_above_the_headers_are_skipped(as_coordinator):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên người lập: Nguyễn Văn Trưởng"])
    sheet.append(["DANH SÁCH NGƯỜI DÂN XÓM NGỌC LÂM NĂM 2026"])
    sheet.append(["STT", *HEADERS])
    sheet.append([1, *good_rows(1)[0]])
    out = BytesIO()
    book.save(out)

    response = upload(as_coordinator, out.getvalue())

    assert response.context["result"].importable
    assert [r["row"] for r in response.context["result"].rows] == [4]


def test_a_new_upload_replaces_the_list_waiting_for_confirmation(as_coordinator):
    first = upload(as_coordinator, xlsx(good_rows(2)))
    upload(as_coordinator, xlsx([person(year=1850)]))

    response = confirm(as_coordinator, first)

    assert response.status_code == 302 and response.url == START
    assert new_residents().count() == 0


def test_an_empty_file_gets_one_clear_message(as_coordinator):
    content = page(upload(as_coordinator, b""))
    assert content.count('class="error"') == 1 and "Tệp trống" in content
