"""Lookup of official provinces and communes (post-1 July 2025) from vietnam-provinces."""

import difflib
from dataclasses import dataclass

from vietnam_provinces import Province, Ward

from lib.vntext import fold

_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ")


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


def _bare(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _find(query: str, candidates: list, kind: str):
    wanted = _bare(query)
    exact = [c for c in candidates if _bare(c.name) == wanted]
    full = [c for c in exact if fold(c.name) == fold(query)]
    if len(full) == 1 or len(exact) == 1:
        return (full or exact)[0]
    by_bare = {}
    for c in candidates:
        by_bare.setdefault(_bare(c.name), []).append(c.name)
    close = difflib.get_close_matches(wanted, list(by_bare), n=5, cutoff=0.6)
    suggestions = [name for key in close for name in by_bare[key]]
    if exact:  # several units share the bare name, e.g. "Xã X" and "Phường X"
        suggestions = [c.name for c in exact]
    raise DivisionNotFound(f"Không tìm thấy {kind} “{query}”.", suggestions)


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
