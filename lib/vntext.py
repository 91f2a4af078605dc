"""Vietnamese text helpers: accent-insensitive folding and name sorting.

Plain Python (no Django), so it can be used anywhere in the project.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# A letter's rank is (group, index): group 0 = digits/punctuation (sorted by
# code point, before letters), 1 = letters of the alphabet below,
# 2 = any other character (sorted by code point, after letters).
LetterRank = tuple[int, int]
# A word's key: ranks of its base letters, then its tones (tie-break only).
WordKey = tuple[tuple[LetterRank, ...], tuple[int, ...]]
# A name's key: the given name (last word) first, then the other words.
NameKey = tuple[WordKey, tuple[WordKey, ...]]

# Vietnamese alphabet order; f j w z (foreign names only) go after, in Latin order.
_ALPHABET = [*"aăâbcdđeêghiklmnoôơpqrstuưvxy", *"fjwz"]
_LETTER_INDEX = {letter: i for i, letter in enumerate(_ALPHABET)}

# Combining marks that turn a base letter into another letter of the alphabet.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}

# Tone marks in sort order; ngang (no mark) is 0.
_TONES = {
    "\u0300": 1,  # huyền (grave)
    "\u0309": 2,  # hỏi (hook above)
    "\u0303": 3,  # ngã (tilde)
    "\u0301": 4,  # sắc (acute)
    "\u0323": 5,  # nặng (dot below)
}

# đ has no decomposition. Ð/ð (Icelandic eth) is a common look-alike typed
# in place of Đ/đ in legacy data, so treat it the same way.
_D_STROKE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Lowercase, strip diacritics, map đ -> d and collapse whitespace.

    >>> fold("  NGUYỄN   Thị Ánh ")
    'nguyen thi anh'
    """
    # Decompose both before and after lowercasing: lowercasing can produce
    # new composed characters or combining marks (e.g. "İ" -> "i" + dot).
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.translate(_D_STROKE).split())


def _word_key(word: str) -> WordKey:
    """Key for one lowercase word: base letters first, tones as a tie-break."""
    bases: list[LetterRank] = []
    tones: list[int] = []
    # Walk the NFD form: each base character followed by its combining marks.
    # Marks are collected as a set, so their order (which NFD fixes anyway)
    # does not matter.
    chars = unicodedata.normalize("NFD", word)
    i = 0
    while i < len(chars):
        base = chars[i]
        i += 1
        marks: list[str] = []
        while i < len(chars) and unicodedata.combining(chars[i]):
            marks.append(chars[i])
            i += 1
        if base == "ð":
            base = "đ"
        for mark in marks:
            if (base, mark) in _MODIFIED:
                base = _MODIFIED[(base, mark)]
            elif mark in _TONES:
                tones.append(_TONES[mark])
            # Any other mark (e.g. a diaeresis in a foreign name) is ignored.
        if base in _LETTER_INDEX:
            bases.append((1, _LETTER_INDEX[base]))
        elif base.isalpha():
            bases.append((2, ord(base)))
        else:
            bases.append((0, ord(base)))
    # Only the tones present count, not where they sit, so "hoà" and "hòa"
    # (old and new tone placement) get the same key; no tone (ngang) sorts first.
    return tuple(bases), tuple(tones)


def name_sort_key(full_name: str) -> NameKey:
    """Sort key for a Vietnamese full name ("Family Middle Given").

    Sorts by the given name (last word) first, then by the remaining words
    left to right. Words compare by Vietnamese alphabet order of their base
    letters; tones only break ties. Case-insensitive, and NFC/NFD input give
    identical keys.
    """
    text = unicodedata.normalize("NFD", full_name).lower()
    words = [_word_key(w) for w in text.split()]
    if not words:
        return ((), ()), ()
    return words[-1], tuple(words[:-1])


def vietnamese_sorted(items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """Return items sorted by name_sort_key(key(item)); key defaults to identity."""
    if key is None:
        return sorted(items, key=lambda item: name_sort_key(str(item)))
    get = key
    return sorted(items, key=lambda item: name_sort_key(get(item)))
