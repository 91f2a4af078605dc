import re

from django.core.exceptions import ValidationError

_MOBILE = re.compile(r"0[35789][0-9]{8}", re.ASCII)
PHONE_HELP = "10 chữ số, bắt đầu bằng 0, ví dụ 0912 345 678."


def normalize_phone(raw: str) -> str:
    """'+84 912.345.678' -> '0912345678'. Raises ValidationError with a Vietnamese message."""
    digits = re.sub(r"[\s.\-()]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(
            f"Số điện thoại không hợp lệ. Hãy nhập {PHONE_HELP}", code="invalid_phone"
        )
    return digits
