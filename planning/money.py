"""Amounts in đồng: parse what officers type, print "1.250.000 đ"."""

import re

from django.core.exceptions import ValidationError

NOT_A_NUMBER = "Số tiền phải là số đồng, ví dụ 1.250.000."
NEGATIVE = "Số tiền không được âm."
TOO_LARGE = "Số tiền quá lớn, hãy kiểm tra lại."
MAX_VND = 10**15


def parse_vnd(text: str | int) -> int:
    """'1.250.000', '1 250 000', '1250000 đ', '1,250,000' -> 1250000. Refuses text and negatives."""
    if isinstance(text, int):
        value = text
    else:
        cleaned = str(text).strip().lower()
        cleaned = re.sub(r"\s*(đ|đồng|vnd|vnđ)$", "", cleaned).strip()
        if cleaned.startswith("-"):
            raise ValidationError(NEGATIVE, code="negative")
        if not re.fullmatch(r"\d{1,3}([., ]\d{3})+|\d+", cleaned):
            raise ValidationError(NOT_A_NUMBER, code="invalid")
        value = int(re.sub(r"[., ]", "", cleaned))
    if value < 0:
        raise ValidationError(NEGATIVE, code="negative")
    if value >= MAX_VND:
        raise ValidationError(TOO_LARGE, code="too_large")
    return value


def format_vnd(value: int | None) -> str:
    """1250000 -> '1.250.000 đ' (dots between thousands, as Vietnamese writes money)."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(int(value)):,} đ".replace(",", ".")


def format_number(value: int | float | None) -> str:
    """Whole numbers with dots between thousands: 15400 -> '15.400'."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value):,}".replace(",", ".")
