import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from planning.money import format_vnd, parse_vnd


@pytest.mark.parametrize(
    "text",
    ["1.250.000", "1250000", "1 250 000", "1,250,000", "1.250.000 đ", "1250000đ", " 1.250.000 VND"],
)
def test_amounts_are_read_the_way_officers_type_them(text):
    assert parse_vnd(text) == 1_250_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-500.000", "không được âm"),
        ("một triệu", "phải là số"),
        ("12,5", "phải là số"),
        ("1.25.000", "phải là số"),
        ("", "phải là số"),
        ("1" * 20, "quá lớn"),
    ],
)
def test_bad_amounts_are_refused_in_vietnamese(text, message):
    with pytest.raises(ValidationError) as exc:
        parse_vnd(text)
    assert message in exc.value.messages[0]


def test_amounts_print_with_dots_and_the_dong_sign():
    assert format_vnd(1_250_000) == "1.250.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(950) == "950 đ"


@given(st.integers(min_value=0, max_value=10**14))
def test_a_printed_amount_reads_back_as_itself(value):
    assert parse_vnd(format_vnd(value)) == value
