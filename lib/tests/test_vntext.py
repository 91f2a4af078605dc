"""Tests for lib.vntext (plain pytest, no Django needed)."""

import unicodedata
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from lib.vntext import fold, name_sort_key, vietnamese_sorted

# Every Vietnamese letter with every tone, lower and upper case.
_BASES = "aăâeêioôơuưy"
_TONE_MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
VOWELS = [unicodedata.normalize("NFC", base + mark) for base in _BASES for mark in _TONE_MARKS]
CONSONANTS = list("bcdđghklmnpqrstvx") + list("fjwz")
VIETNAMESE_LETTERS = [ch for letter in VOWELS + CONSONANTS for ch in (letter, letter.upper())]

vietnamese_text = st.text(
    alphabet=st.sampled_from([*VIETNAMESE_LETTERS, " ", "\t", "\n"]), max_size=40
)
vietnamese_word = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS), min_size=1, max_size=8)
vietnamese_name = st.lists(vietnamese_word, min_size=1, max_size=4).map(" ".join)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_tones(text: str) -> str:
    """Remove only the five tone marks, keeping ă â ê ô ơ ư đ."""
    return nfc("".join(ch for ch in nfd(text) if ch not in _TONE_MARKS[1:]))


def given_names_sort_in_order(names: list[str]) -> bool:
    """True if these given names (same family name) have strictly increasing keys."""
    keys = [name_sort_key(f"Nguyễn {n}") for n in names]
    return all(a < b for a, b in pairwise(keys))


# --- fold -----------------------------------------------------------------


def test_fold_strips_diacritics_and_maps_d_stroke():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"


def test_fold_lowercases_and_collapses_whitespace():
    assert fold("  NGUYỄN   Thị Ánh ") == "nguyen thi anh"
    assert fold("a\t\n b") == "a b"


def test_fold_gives_same_result_for_nfc_and_nfd_input():
    text = "Trường Đại học Bách khoa"
    assert fold(nfc(text)) == fold(nfd(text)) == "truong dai hoc bach khoa"


def test_fold_of_empty_or_blank_text_is_empty():
    assert fold("") == ""
    assert fold(" \t\n ") == ""


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(vietnamese_text)
def test_fold_output_is_ascii_for_vietnamese_letters(text):
    assert fold(text).isascii()


@given(vietnamese_text)
def test_fold_ignores_normalization_form(text):
    assert fold(nfc(text)) == fold(nfd(text))


# --- name_sort_key ----------------------------------------------------------


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Văn Đức", "Phạm Thị Dung"]
    assert sorted(names, key=name_sort_key) == [
        "Lê Thị An",
        "Trần Văn Bình",
        "Phạm Thị Dung",
        "Nguyễn Văn Đức",
    ]


def test_equal_given_names_fall_back_to_family_and_middle_names():
    names = ["Nguyễn Văn An", "Lê Văn An", "Lê Thị An", "Lê An"]
    assert sorted(names, key=name_sort_key) == [
        "Lê An",
        "Lê Thị An",
        "Lê Văn An",
        "Nguyễn Văn An",
    ]


def test_breve_and_circumflex_letters_sort_after_plain_a_and_before_b():
    assert given_names_sort_in_order(["A", "Ă", "Â", "B"])
    assert given_names_sort_in_order(["An", "Ăn", "Ân", "Bn"])


def test_d_stroke_sorts_after_d_and_before_e():
    assert given_names_sort_in_order(["Dung", "Dũng", "Đức", "Em"])


def test_base_letters_are_compared_before_tones_across_the_whole_word():
    # "Ông" > "Ong" because ô > o, and "Ông" < "Ơn" because ô < ơ,
    # even though "Ơn" is shorter.
    assert given_names_sort_in_order(["Ong", "Ông", "Ơn"])
    # A tone on the first letter does not beat a later base-letter difference.
    assert given_names_sort_in_order(["Án", "Anh"])


def test_tones_break_ties_in_traditional_order():
    assert given_names_sort_in_order(["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"])


def test_foreign_letters_sort_after_y_in_latin_order():
    assert given_names_sort_in_order(["Yến", "Frank", "John", "William", "Zoe"])


def test_sort_key_is_case_insensitive():
    assert name_sort_key("NGUYỄN VĂN ĐỨC") == name_sort_key("nguyễn văn đức")


def test_sort_key_ignores_extra_whitespace():
    assert name_sort_key("  Lê   Thị\tAn ") == name_sort_key("Lê Thị An")


def test_old_and_new_tone_placement_give_the_same_key():
    assert name_sort_key("Lê Hoà") == name_sort_key("Lê Hòa")
    assert name_sort_key("Trần Thuý") == name_sort_key("Trần Thúy")


def test_empty_name_sorts_first():
    assert sorted(["An", ""], key=name_sort_key) == ["", "An"]


@given(vietnamese_name)
def test_nfc_and_nfd_forms_give_the_same_sort_key(name):
    assert name_sort_key(nfc(name)) == name_sort_key(nfd(name))


@given(vietnamese_name)
def test_upper_and_lower_case_give_the_same_sort_key(name):
    assert name_sort_key(name.upper()) == name_sort_key(name.lower())


@given(vietnamese_name, vietnamese_name)
def test_tones_never_override_a_difference_in_base_letters_of_the_given_name(a, b):
    # Tones break ties inside a word; a different given name (letters or tone) decides first.
    given_a, given_b = a.split()[-1:] or [""], b.split()[-1:] or [""]
    base_a, base_b = name_sort_key(strip_tones(given_a[0])), name_sort_key(strip_tones(given_b[0]))
    if base_a < base_b:
        assert name_sort_key(a) < name_sort_key(b)


@given(st.text(max_size=30))
def test_sort_key_accepts_any_text(text):
    name_sort_key(text)


# --- vietnamese_sorted ------------------------------------------------------


def test_vietnamese_sorted_sorts_plain_strings():
    assert vietnamese_sorted(["Nguyễn Văn Đức", "Lê Thị An"]) == [
        "Lê Thị An",
        "Nguyễn Văn Đức",
    ]


def test_vietnamese_sorted_uses_key_function_and_accepts_iterables():
    people = ({"name": n} for n in ["Phạm Thị Dung", "Trần Văn Bình"])
    result = vietnamese_sorted(people, key=lambda p: p["name"])
    assert [p["name"] for p in result] == ["Trần Văn Bình", "Phạm Thị Dung"]
