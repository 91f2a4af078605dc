"""Vietnamese text as it is said aloud, for the loudspeaker radio and `tts_say`.

A radio script is written the way staff write ("Ngày 10/12, UBND xã tổ chức tập huấn lúc
19h30"); the speech engine must hear it the way a presenter reads it ("Ngày mười tháng mười
hai, Ủy ban nhân dân xã tổ chức tập huấn lúc mười chín giờ ba mươi"). `for_speech()` does that
in a fixed order: abbreviations, phone numbers (digit by digit), dates, times, percentages,
then every remaining number. Northern reading: "linh" for a zero tens digit ("một trăm linh
một"), "mốt" and "lăm" after the tens ("hai mươi mốt", "mười lăm").
"""

import re

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
MONTHS = {4: "tư"}  # "tháng tư", never "tháng bốn"; others read as numbers
ZERO_TENS = "linh"

# Abbreviations a listener must hear in full. Longer keys first so "HĐND" wins over parts.
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "VHXH": "Văn hóa - Xã hội",
    "CNSCĐ": "công nghệ số cộng đồng",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "CCCD": "căn cước công dân",
    "THCS": "trung học cơ sở",
    "TP": "thành phố",
    "NĐ-CP": "Nghị định Chính phủ",
    "QĐ-TTg": "Quyết định Thủ tướng",
    "QĐ-UBND": "Quyết định Ủy ban nhân dân",
    "VNeID": "Vi en ê ai đi",
}
_ABBREVIATION = re.compile(
    r"(?<!\w)("
    + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
    + r")(?!\w)"
)
# "mã OTP" / "OTP" both become "mã xác thực"; "mã QR" / "QR" both "mã quy a".
_OTP = re.compile(r"(?<!\w)(?:mã\s+)?OTP(?!\w)", re.IGNORECASE)
_QR = re.compile(r"(?<!\w)(?:mã\s+)?QR(?!\w)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://)?((?:[a-z0-9-]+\.)+(?:vn|com|net|org))(?:/\S*)?", re.IGNORECASE)

# Phone numbers: 0xxx xxx xxx (spaces, dots or dashes allowed), +84…, hotlines 1800/1900 xxxx.
_PHONE = re.compile(
    r"(?<![\w.,])(?:\+84|0)\d{2,3}(?:[ .-]?\d{3}){2}(?:\d)?(?![\w])"
    r"|(?<![\w.,])1[89]00[ .-]?\d{4}(?:\d{2})?(?!\w)"
)
_FULL_DATE = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/])")
_DAY_MONTH = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})(?![\w/])")
_MONTH_YEAR = re.compile(r"(?<![\w/])(\d{1,2})/(\d{4})(?![\w/])")
_TIME = re.compile(r"(?<![\w:])(\d{1,2})(?:h|:|giờ\s*)(\d{2})?(?:'|p|phút)?(?![\w:])")
_PERCENT = re.compile(r"(\d[\d.,]*)\s*%")
_NUMBER = re.compile(r"(?<![\w])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?")
_SPACES = re.compile(r"[ \t]+")
_PRECEDED_BY_NGAY = re.compile(r"ngày\s*$", re.IGNORECASE)
_PRECEDED_BY_QUY = re.compile(r"quý\s*$", re.IGNORECASE)
_SLASH = re.compile(r"\s*/\s*")  # "63/2024/NĐ-CP": read as "sáu mươi ba, hai nghìn…"


def _triple(group: int, *, full: bool) -> list[str]:
    """Words for 0–999; `full` when a bigger group comes before ("không trăm linh năm")."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append(ZERO_TENS)
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def number_words(n: int) -> str:
    """A whole number in Vietnamese words: 21 → "hai mươi mốt", 2026 → "hai nghìn không…"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return DIGITS[0]
    if n >= 1_000_000_000:
        billions, rest = divmod(n, 1_000_000_000)
        head = number_words(billions) + " tỷ"
        return head if not rest else head + " " + _below_billion(rest, full=True)
    return _below_billion(n, full=False)


def _below_billion(n: int, *, full: bool) -> str:
    groups = [n // 1_000_000, n // 1000 % 1000, n % 1000]
    units = ["triệu", "nghìn", ""]
    words: list[str] = []
    for group, unit in zip(groups, units, strict=True):
        if group == 0:
            continue
        words += _triple(group, full=full or bool(words))
        if unit:
            words.append(unit)
    return " ".join(words)


def digits_words(text: str) -> str:
    """Every digit on its own, groups separated by a short pause: "0912 345" → "không chín…"."""
    groups = re.findall(r"\d+", text.replace("+84", "0"))
    return ", ".join(" ".join(DIGITS[int(d)] for d in group) for group in groups)


def _phone(match: re.Match) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw.replace("+84", "0"))
    # Read the way people say numbers: 4-3-3 for mobiles, 4-4 for hotlines.
    if len(digits) == 10:
        parts = [digits[:4], digits[4:7], digits[7:]]
    elif len(digits) == 8:
        parts = [digits[:4], digits[4:]]
    else:
        parts = [digits]
    return digits_words(" ".join(parts))


def _month(m: int) -> str:
    return MONTHS.get(m, number_words(m))


def _full_date(match: re.Match) -> str:
    day, month, year = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    before = match.string[: match.start()]
    lead = "" if _PRECEDED_BY_NGAY.search(before) else "ngày "
    return f"{lead}{number_words(day)} tháng {_month(month)} năm {number_words(year)}"


def _day_month(match: re.Match) -> str:
    day, month = (int(g) for g in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    return f"{number_words(day)} tháng {_month(month)}"


def _month_year(match: re.Match) -> str:
    month, year = (int(g) for g in match.groups())
    if _PRECEDED_BY_QUY.search(match.string[: match.start()]):
        return f"{number_words(month)} năm {number_words(year)}"  # "Quý 4/2025"
    if not 1 <= month <= 12:
        return match.group(0)
    return f"tháng {_month(month)} năm {number_words(year)}"


def _time(match: re.Match) -> str:
    hour = int(match.group(1))
    minute = int(match.group(2) or 0)
    if hour > 24 or minute > 59:
        return match.group(0)
    if not match.group(2) and ":" in match.group(0):
        return match.group(0)
    spoken = f"{number_words(hour)} giờ"
    if minute:
        spoken += f" {number_words(minute)}"
        if minute < 10:
            spoken += " phút"
    return spoken


def _decimal(whole: str, fraction: str | None) -> str:
    spoken = number_words(int(whole.replace(".", "")))
    if fraction:
        # "2,5" → "hai phẩy năm"; "0,25" → "không phẩy hai mươi lăm" (leading zeros digit by digit)
        zeros = len(fraction) - len(fraction.lstrip("0"))
        tail = fraction.lstrip("0")
        parts = [DIGITS[0]] * zeros + ([number_words(int(tail))] if tail else [])
        spoken += " phẩy " + " ".join(parts)
    return spoken


def _number(match: re.Match) -> str:
    whole, fraction = match.group(1), match.group(2)
    if len(whole) > 1 and whole.startswith("0") and "." not in whole and not fraction:
        return " " + digits_words(whole) + " "  # a code such as "05" or "0123"
    return " " + _decimal(whole, fraction) + " "


def _percent(match: re.Match) -> str:
    number = match.group(1).rstrip(".,")
    trailing = match.group(1)[len(number) :]
    whole, _, fraction = number.partition(",")
    return _decimal(whole, fraction or None) + " phần trăm" + trailing


def _url(match: re.Match) -> str:
    return " chấm ".join(match.group(1).lower().split("."))


def for_speech(text: str) -> str:
    """The text with abbreviations, phone numbers, dates, times and numbers spelled as said."""
    text = _URL.sub(_url, text)
    text = _OTP.sub("mã xác thực", text)
    text = _QR.sub("mã quy a", text)
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    text = _PHONE.sub(_phone, text)
    text = _FULL_DATE.sub(_full_date, text)
    text = _MONTH_YEAR.sub(_month_year, text)
    text = _DAY_MONTH.sub(_day_month, text)
    text = _TIME.sub(_time, text)
    text = _PERCENT.sub(_percent, text)
    text = _NUMBER.sub(_number, text)
    text = _SLASH.sub(" ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return re.sub(r" ([,.;:!?])", r"\1", "\n".join(lines))
