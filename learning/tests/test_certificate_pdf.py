"""The PDF certificate: content, fonts, page, QR code, and long names that must still fit."""

import datetime
import io
import unicodedata

import pypdf
import pytest
import segno
from PIL import Image

from learning.certificate_pdf import (
    PAGE_H,
    PAGE_W,
    PT,
    certificate_pdf,
    commune_short_name,
    date_line,
)

NAME = "Nguyễn Thị Lành"
TOPIC = "Dùng điện thoại thông minh"
URL = "https://hocvuso.example/chung-nhan/HVS-7K2M9Q"
LESSONS = ["Cài ứng dụng từ CH Play", "Gọi video qua Zalo", "Nhận biết tin nhắn lừa đảo"]
LONG_NAME = (
    "Công Tằng Tôn Nữ Hoàng Thị Phương Quỳnh Nguyễn Ngọc Diễm Hương "
    "Trần Lê Bảo Khánh Đoan Trang Mỹ Lệ Na"
)
LONG_TOPIC = (
    "Làm thủ tục hành chính qua mạng trên Cổng dịch vụ công quốc gia: nộp hồ sơ, thanh toán "
    "lệ phí trực tuyến, tra cứu kết quả, nhận giấy tờ điện tử ở nhà."
)


def make(**changes) -> bytes:
    args = {
        "full_name": NAME,
        "topic_title": TOPIC,
        "commune_name": "Xã Bạch Ngọc",
        "province_name": "Nghệ An",
        "issued_on": datetime.date(2026, 1, 5),
        "verify_url": URL,
        "code": "HVS-7K2M9Q",
        "lesson_titles": LESSONS,
    }
    return certificate_pdf(**{**args, **changes})


def page_of(pdf: bytes) -> pypdf.PageObject:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0]


def text_of(pdf: bytes) -> str:
    """Extracted text, NFC, whitespace (line breaks included) collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", page_of(pdf).extract_text()).split())


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make()


def test_output_is_a_pdf_under_150_kb(pdf):
    assert pdf.startswith(b"%PDF")
    assert len(pdf) < 150_000


def test_extracted_text_is_already_nfc(pdf):
    raw = page_of(pdf).extract_text()
    assert raw == unicodedata.normalize("NFC", raw)


def test_text_has_the_name_title_topic_and_official_date_line(pdf):
    text = text_of(pdf)
    assert "Nguyễn Thị Lành" in text
    assert "CHỨNG NHẬN" in text
    assert "Hoàn thành chủ đề học kỹ năng số" in text
    assert f"đã hoàn thành chủ đề: “{TOPIC}”" in text
    assert "Bạch Ngọc, ngày 05 tháng 01 năm 2026" in text


def test_text_has_the_national_header_and_the_commune_in_capitals(pdf):
    text = text_of(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ BẠCH NGỌC" in text


def test_text_lists_the_lessons_within_the_movement(pdf):
    text = text_of(pdf)
    assert "“Bình dân học vụ số”" in text
    assert "tại xã Bạch Ngọc, tỉnh Nghệ An, gồm 3 bài học:" in text
    for title in LESSONS:
        assert title in text


def test_too_many_lessons_to_list_are_shown_as_a_count():
    lessons = [f"Bài học số {i} về cách dùng dịch vụ công trực tuyến" for i in range(1, 31)]
    text = text_of(make(lesson_titles=lessons))
    assert "gồm 30 bài học." in text
    assert "Bài học số 1 " not in text


def test_text_has_the_qr_caption_code_and_platform_note(pdf):
    text = text_of(pdf)
    assert "Quét mã để kiểm tra chứng nhận" in text
    assert "HVS-7K2M9Q" in text
    assert "Chứng nhận do nền tảng Học vụ số cấp, không thay thế văn bằng, chứng chỉ" in text


def test_fonts_are_dejavu_and_embedded(pdf):
    fonts = page_of(pdf)["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert "DejaVu" in font["/BaseFont"]
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor


def test_page_is_a4_landscape(pdf):
    box = page_of(pdf).mediabox
    assert float(box.width) == pytest.approx(842, abs=1)
    assert float(box.height) == pytest.approx(595, abs=1)


def test_page_has_the_qr_code_image_of_the_verify_url(pdf):
    page = page_of(pdf)
    xobjects = page["/Resources"]["/XObject"]
    assert [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    buf = io.BytesIO()
    segno.make(URL, error="m", micro=False).save(buf, kind="png", scale=8, border=2)
    expected = Image.open(buf).convert("L")
    (image,) = page.images
    assert image.image.convert("L").tobytes() == expected.tobytes()


def test_hundred_character_name_and_150_character_topic_fit_on_one_page_uncut():
    assert (len(LONG_NAME), len(LONG_TOPIC)) == (100, 150)
    pdf = make(full_name=LONG_NAME, topic_title=LONG_TOPIC, commune_name="Phường Hoàng Văn Thụ")
    text = text_of(pdf)  # page_of() inside checks there is exactly one page
    assert LONG_NAME in text
    assert f"“{LONG_TOPIC}”" in text
    assert "Hoàng Văn Thụ, ngày 05 tháng 01 năm 2026" in text


def test_long_text_stays_inside_the_frame():
    # Every line is centred in a box inside the frame, so a line whose start is inside
    # the frame also ends inside it.
    pdf = make(full_name=LONG_NAME, topic_title=LONG_TOPIC, lesson_titles=LESSONS * 3)
    starts = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            starts.append((tm[4], tm[5]))

    page_of(pdf).extract_text(visitor_text=visit)
    margin = 11.4 / PT
    assert starts
    for x, y in starts:
        assert margin <= x <= PAGE_W / PT - margin
        assert margin <= y <= PAGE_H / PT - margin


def test_same_input_gives_the_same_bytes(pdf):
    assert make() == pdf


def test_date_line_pads_days_below_ten_and_months_one_and_two():
    assert (
        date_line("Bạch Ngọc", datetime.date(2026, 1, 5)) == "Bạch Ngọc, ngày 05 tháng 01 năm 2026"
    )
    assert (
        date_line("Bạch Ngọc", datetime.date(2026, 2, 9)) == "Bạch Ngọc, ngày 09 tháng 02 năm 2026"
    )
    assert (
        date_line("Bạch Ngọc", datetime.date(2026, 3, 15)) == "Bạch Ngọc, ngày 15 tháng 3 năm 2026"
    )
    assert (
        date_line("Bạch Ngọc", datetime.date(2026, 12, 1)) == "Bạch Ngọc, ngày 01 tháng 12 năm 2026"
    )


def test_commune_short_name_drops_the_unit_prefix():
    assert commune_short_name("Xã Bạch Ngọc") == "Bạch Ngọc"
    assert commune_short_name("Phường Hoàng Văn Thụ") == "Hoàng Văn Thụ"
    assert commune_short_name("Bạch Ngọc") == "Bạch Ngọc"


def test_decomposed_input_is_drawn_as_nfc():
    decomposed = unicodedata.normalize("NFD", NAME)
    assert NAME in text_of(make(full_name=decomposed))
