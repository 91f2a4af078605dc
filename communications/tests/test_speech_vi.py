"""Radio scripts are read the way a presenter says them: numbers, dates, times, abbreviations."""

import pytest

from communications.speech_vi import for_speech, number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (101, "một trăm linh một"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (2026, "hai nghìn không trăm hai mươi sáu"),
        (1_500_000, "một triệu năm trăm nghìn"),
    ],
)
def test_numbers_are_read_in_vietnamese_words(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("10/12", "mười tháng mười hai"),
        ("05/01/2026", "ngày năm tháng một năm hai nghìn không trăm hai mươi sáu"),
        ("Ngày 05/01/2026", "Ngày năm tháng một năm hai nghìn không trăm hai mươi sáu"),
        ("01/4", "một tháng tư"),
        ("19h30", "mười chín giờ ba mươi"),
        ("19:30", "mười chín giờ ba mươi"),
        ("7h", "bảy giờ"),
        ("1.000 người", "một nghìn người"),
        ("1.500.000 đồng", "một triệu năm trăm nghìn đồng"),
        ("năm 2026", "năm hai nghìn không trăm hai mươi sáu"),
        ("70%", "bảy mươi phần trăm"),
        ("2,5 %", "hai phẩy năm phần trăm"),
        ("Quý 4/2025", "Quý bốn năm hai nghìn không trăm hai mươi lăm"),
    ],
)
def test_dates_times_numbers_and_percentages_are_spoken(written, said):
    assert for_speech(written) == said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("UBND xã", "Ủy ban nhân dân xã"),
        ("HĐND", "Hội đồng nhân dân"),
        ("MTTQ", "Mặt trận Tổ quốc"),
        ("VHXH", "Văn hóa - Xã hội"),
        ("Tổ CNSCĐ", "Tổ công nghệ số cộng đồng"),
        ("BHYT", "bảo hiểm y tế"),
        ("TP Vinh", "thành phố Vinh"),
        ("quét mã QR", "quét mã quy a"),
        ("nhập OTP", "nhập mã xác thực"),
        ("mã OTP", "mã xác thực"),
        ("ứng dụng VNeID", "ứng dụng Vi en ê ai đi"),
    ],
)
def test_abbreviations_are_said_in_full(written, said):
    assert for_speech(written) == said


def test_phone_numbers_are_read_digit_by_digit_in_groups():
    said = "không chín một hai, ba bốn năm, sáu bảy tám"
    assert for_speech("Gọi 0912345678") == f"Gọi {said}"
    assert for_speech("Gọi 0912 345 678.") == f"Gọi {said}."
    assert for_speech("0912.345.678") == said


def test_the_example_sentence_of_the_issue():
    assert for_speech("Ngày 10/12 UBND xã tổ chức tập huấn") == (
        "Ngày mười tháng mười hai Ủy ban nhân dân xã tổ chức tập huấn"
    )


def test_words_with_letters_and_invalid_dates_are_left_alone():
    assert for_speech("35/14") == "ba mươi lăm mười bốn"
    assert for_speech("Zalo") == "Zalo"
