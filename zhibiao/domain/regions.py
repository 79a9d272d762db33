"""Place names -> full official region names, from the national division codes.

A report names its own government briefly ("高阳县第十七届人民代表大会"); the
contract wants the full name a reader can place: a district or county prefixed by
its city (杭州市滨江区, 保定市高阳县), a district of a municipality by the
municipality (北京市海淀区), the nation as 全国.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

NATIONAL = "全国"
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_SUFFIX = re.compile(r"(?:省|市|自治区|特别行政区|自治州|地区|盟|区|县|自治县|旗|自治旗|林区|特区)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "district" if self.name.endswith("区") else "county"


@dataclass(frozen=True)
class Region:
    name: str  # full official name
    level: str  # national | province | city | district | county


@lru_cache(maxsize=1)
def _divisions() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    text = resources.files("zhibiao").joinpath("data/divisions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, parent = line.split("\t")
        division = Division(code, name, parent)
        by_code[code] = division
        by_name.setdefault(name, []).append(division)
    return by_code, by_name


def full_name(division: Division) -> str:
    by_code, _ = _divisions()
    if division.level in ("province", "city"):
        return division.name
    parent = by_code.get(division.parent)
    if parent is None:
        return division.name
    if parent.level == "city" or parent.name in _MUNICIPALITIES:
        return parent.name + division.name
    return division.name


def _level(division: Division) -> str:
    # A municipality is a province-level government, its districts are districts.
    return division.level


def resolve(place: str, context: str = "") -> Region | None:
    """The region a place name written in a report stands for.

    `place` may be a bare name (海拉尔区), a city and its district (杭州市滨江区) or
    a name with a prefix that is not a place; `context` (the report text) settles
    names shared by several divisions (朝阳区, 鼓楼区) by which parent it mentions.
    """
    place = re.sub(r"\s+", "", place or "")
    if not place:
        return None
    if "全国" in place or place in ("国务院", "中华人民共和国", "中国"):
        return Region(NATIONAL, "national")
    _, by_name = _divisions()
    for start in range(len(place)):
        candidates = by_name.get(place[start:])
        if not candidates:
            continue
        prefix = place[:start]
        chosen = _choose(candidates, prefix, context)
        return Region(full_name(chosen), _level(chosen))
    return None


def _choose(candidates: list[Division], prefix: str, context: str) -> Division:
    if len(candidates) == 1:
        return candidates[0]
    by_code, _ = _divisions()

    def ancestors(division: Division) -> list[str]:
        names = []
        code = division.parent
        while code in by_code:
            names.append(by_code[code].name)
            code = by_code[code].parent
        return names

    def score(division: Division) -> tuple[int, int]:
        names = ancestors(division)
        in_prefix = sum(1 for n in names if n in prefix or _short(n) and _short(n) in prefix)
        in_context = sum(context.count(n) + (context.count(_short(n)) if _short(n) else 0) for n in names)
        return in_prefix, in_context

    return max(candidates, key=score)


def _short(name: str) -> str:
    short = _SUFFIX.sub("", name)
    return short if len(short) >= 2 else ""
