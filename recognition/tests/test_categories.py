"""The nomination categories are the plan's, and each reads right on the giấy khen."""

import datetime as dt
import io
import unicodedata

from pypdf import PdfReader

from recognition.certificate_pdf import giay_khen_pdf
from recognition.models import ACHIEVEMENTS, Category

# Plan II.4: "Khen thưởng, biểu dương những người lớn tuổi biết dùng smartphone, bà con bán
# hàng online hiệu quả, thanh niên hỗ trợ cộng đồng tiếp cận công nghệ số"; IV.1: tập thể có
# thành tích xuất sắc; IV.2: "Xây dựng điểm sáng, cá nhân có cách làm hay".
PLAN = {
    Category.ELDERLY_SMARTPHONE: ("cao tuổi", "điện thoại thông minh"),
    Category.ONLINE_SELLER: ("bán hàng trực tuyến", "hiệu quả"),
    Category.YOUTH_HELPER: ("Thanh niên", "hỗ trợ cộng đồng tiếp cận công nghệ số"),
    Category.EXEMPLARY_TEAM: ("Tập thể", "tổ công nghệ số cộng đồng"),
    Category.BRIGHT_SPOT: ("Điểm sáng", "cách làm hay"),
}


def test_the_categories_are_exactly_the_plans():
    assert set(Category) == set(PLAN)
    for category, words in PLAN.items():
        for word in words:
            assert word in category.label, (category, word)


def test_every_category_reads_as_one_sentence_on_the_giay_khen():
    for category in Category:
        pdf = giay_khen_pdf(
            nominee_name="Nguyễn Thị Lành",
            achievement=ACHIEVEMENTS[category],
            reason="",
            decision_number="12/QĐ-UBND",
            decision_date=dt.date(2026, 11, 20),
            commune_name="Xã Bạch Ngọc",
            signer_name="Đinh Công Lực",
        )
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        text = " ".join(unicodedata.normalize("NFC", text).split())
        assert f"Đã có thành tích {ACHIEVEMENTS[category]} trong phong trào" in text, category
        assert text.count("trong phong trào") == 1, (category, text)
