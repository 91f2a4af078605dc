"""Lookup of official provinces and communes (post-1 July 2025) from vietnam-provinces."""

import difflib
import unicodedata
from dataclasses import dataclass

from vietnam_provinces import Province, Ward

from lib.vntext import fold

_PREFIXES = ("thành phố ", "tỉnh ", "xã ", "phường ", "đặc khu ")


class DivisionNotFound(LookupError):
    def __init__(self, message: str, suggestions: list[str]):
        super().__init__(message)
        self.suggestions = suggestions


@dataclass(frozen=True)
class CommuneRef:
    code: int
    name: str
    division_type: str
    province_code: int
    province_name: str


def _plain(name: str) -> str:
    """Lower case, NFC, single spaces, without the unit prefix: 'Xã Bạch Ngọc' -> 'bạch ngọc'."""
    text = " ".join(unicodedata.normalize("NFC", name).lower().split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _bare(name: str) -> str:
    """Folded and without the unit prefix, typed with or without diacritics."""
    folded = fold(name)
    for prefix in (fold(p) + " " for p in _PREFIXES):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _find(query: str, candidates: list, kind: str):
    """Exact spelling wins; otherwise a unique diacritics-free match; otherwise suggestions."""
    full = " ".join(unicodedata.normalize("NFC", query).lower().split())
    for key in (
        lambda c: " ".join(unicodedata.normalize("NFC", c.name).lower().split()) == full,
        lambda c: _plain(c.name) == _plain(query),
        lambda c: fold(c.name) == fold(query),
        lambda c: _bare(c.name) == _bare(query),
    ):
        matches = [c for c in candidates if key(c)]
        if len(matches) == 1:
            return matches[0]
        if matches:  # several units share the name, e.g. "Sơn Hà" and "Sơn Hạ"
            raise DivisionNotFound(
                f"Có nhiều {kind} tên “{query}”. Hãy ghi đúng dấu và chữ Xã/Phường.",
                [c.name for c in matches],
            )
    by_folded: dict[str, list[str]] = {}
    for c in candidates:
        by_folded.setdefault(_bare(c.name), []).append(c.name)
    close = difflib.get_close_matches(_bare(query), list(by_folded), n=5, cutoff=0.6)
    raise DivisionNotFound(
        f"Không tìm thấy {kind} “{query}”.", [name for key in close for name in by_folded[key]]
    )


def find_commune(*, province: str, commune: str) -> CommuneRef:
    prov = _find(province, list(Province.iter_all()), "tỉnh / thành phố")
    ward = _find(commune, list(Ward.iter_by_province(prov.code)), f"xã / phường ở {prov.name}")
    return CommuneRef(
        code=int(ward.code),
        name=ward.name,
        division_type=ward.division_type.value,
        province_code=int(prov.code),
        province_name=prov.name,
    )


def province_name(code: int) -> str:
    return Province.from_code(code).name
