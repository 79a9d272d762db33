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


# Reading a place a report or a user names -----------------------------------------------

# The ethnic groups named in autonomous divisions: 广西壮族自治区 is 广西, 湘西土家族苗族自治州 湘西.
_ETHNIC = (
    "维吾尔|哈萨克|柯尔克孜|塔吉克|乌孜别克|塔塔尔|俄罗斯|达斡尔|鄂温克|鄂伦春|土家|布依|朝鲜|"
    "哈尼|傈僳|拉祜|东乡|纳西|景颇|仫佬|毛南|仡佬|锡伯|阿昌|普米|德昂|保安|裕固|独龙|门巴|珞巴|"
    "基诺|蒙古|赫哲|布朗|撒拉|高山|藏|苗|彝|壮|满|侗|瑶|白|傣|黎|佤|畲|水|土|羌|怒|京|回|蒙"
)
_AUTONOMOUS = re.compile(rf"(?:(?:{_ETHNIC})族?)+自治(?:区|州|县|旗)$")


def short_name(name: str) -> str:
    """The name without its level word (保定市 -> 保定, 广西壮族自治区 -> 广西); "" when
    that leaves fewer than two characters (沛县), which no report writes bare."""
    short = _AUTONOMOUS.sub("", name)
    if len(short) < 2:  # 内蒙古自治区, 鄂伦春自治旗: the place is named after its people
        short = re.sub(r"自治(?:区|州|县|旗)$", "", name)
    if short == name:
        short = _SUFFIX.sub("", name)
    return short if len(short) >= 2 and short != name else ""


@lru_cache(maxsize=1)
def _by_short() -> dict[str, list[Division]]:
    by_code, _ = _divisions()
    index: dict[str, list[Division]] = {}
    for division in by_code.values():
        short = short_name(division.name)
        if short:
            index.setdefault(short, []).append(division)
    return index


def level_word(division: Division) -> str:
    """The character a report of this division says itself with: 全省, 全市, 全区, 全县, 全旗."""
    return division.name[-1]


def region_of(division: Division) -> Region:
    return Region(full_name(division), _level(division))


def named(place: str, level: str | None = None, context: str = "") -> Division | None:
    """The division a name written in a report stands for, the whole of `place` being its
    full name (阜平县) or its short name (阜平, 广西); with `level` (the last character of
    the name: 省 市 区 县 旗 州 盟), only a division named with it. None when the name fits
    no division, or several that `context` cannot tell apart."""
    _, by_name = _divisions()
    candidates = list(by_name.get(place, ())) or list(_by_short().get(place, ()))
    if level:
        candidates = [d for d in candidates if level_word(d) == level]
    if not candidates:
        return None
    return _choose(candidates, "", context) if _settled(candidates, context) else None


def _settled(candidates: list[Division], context: str) -> bool:
    """One candidate, or one whose ancestors the context names more than the others'."""
    if len(candidates) == 1:
        return True
    scores = sorted((_ancestor_mentions(d, context) for d in candidates), reverse=True)
    return scores[0] > 0 and scores[0] > scores[1]


def _ancestor_mentions(division: Division, context: str) -> int:
    by_code, _ = _divisions()
    count, code = 0, division.parent
    while code in by_code:
        name = by_code[code].name
        count += context.count(name) + (context.count(short_name(name)) if short_name(name) else 0)
        code = by_code[code].parent
    return count


def _is_within(division: Division, ancestor: Division) -> bool:
    by_code, _ = _divisions()
    code = division.parent
    while code in by_code:
        if code == ancestor.code:
            return True
        code = by_code[code].parent
    return False


def chain(text: str) -> Division | None:
    """The division a string names in full, as one name or a chain of them each inside the
    one before (容城县, 保定市容城县, 河北省保定市容城县); None if any of it is something else
    or a name stays ambiguous (朝阳区 alone)."""
    _, by_name = _divisions()

    def walk(rest: str, parent: Division | None) -> Division | None | bool:
        if not rest:
            return parent
        found: Division | None | bool = False
        for end in range(len(rest), 1, -1):
            for division in by_name.get(rest[:end], ()):
                if parent is not None and not _is_within(division, parent):
                    continue
                result = walk(rest[end:], division)
                if result is False:
                    continue
                if found is not False and result != found:
                    return None  # two readings: ambiguous
                found = result
        return found

    result = walk(re.sub(r"\s+", "", text), None)
    return result if isinstance(result, Division) else None


def from_folders(path: str) -> Region | None:
    """The region a user gave by the folders a file sits in (`reports/保定市容城县/2020.txt`'s
    folders `reports/保定市容城县`, or `保定市/容城县`): the folders that name a division in
    full, read as one chain from the outermost; None when they contradict each other."""
    parts = [p for p in re.split(r"[/\\]", path or "") if p]
    national = any(p in (NATIONAL, "国务院", "中华人民共和国") for p in parts)
    _, by_name = _divisions()
    names = ""
    for part in parts:
        if chain(names + part):
            names += part
        elif part in by_name or chain(part):
            return None  # a place outside the one named before, or a name left ambiguous
    if not names:
        return Region(NATIONAL, "national") if national else None
    return None if national else region_of(chain(names))


@lru_cache(maxsize=16)
def province_names(level: str) -> tuple[str, ...]:
    """The names a report may write for the provinces of one level word (省, 市, 区): the
    short name where there is one (广东 counts 广东省 too), else the full name."""
    by_code, _ = _divisions()
    names = {short_name(d.name) or d.name for d in by_code.values() if d.level == "province" and level_word(d) == level}
    return tuple(sorted(names))


# Asking for a region: which stored full names a user's query names --------------------------


def level_of(name: str | None) -> str | None:
    """The level of a full region name as stored (全国, 浙江省, 杭州市, 杭州市滨江区); None
    when the division table does not know it, or for no name."""
    if not name:
        return None
    if name == NATIONAL:
        return "national"
    division = _stored(name)
    return _level(division) if division else None


@lru_cache(maxsize=4096)
def _stored(name: str) -> Division | None:
    # the same few hundred stored names are asked about on every filtered request
    return chain(name)


def _asked(query: str) -> list[Division]:
    """Every division a query names: in full (杭州市, 浙江省杭州市), by its own name (滨江区)
    or its short name (杭州, 广西). A name several divisions share names all of them."""
    _, by_name = _divisions()
    found = list(by_name.get(query, ())) + list(_by_short().get(query, ()))
    whole = chain(query)
    if whole is not None:
        found.append(whole)
    return list(dict.fromkeys(found))


def region_matches(query: str, names: list[str], *, subregions: bool = False) -> list[str]:
    """The names among `names` (full region names, as stored) that answer a region query.

    A query is a division by any of its names (杭州, 杭州市 and 浙江省杭州市 all ask for
    杭州市); it never matches by a bare string prefix, so 杭州 is not 杭州市滨江区. With
    `subregions`, every division within the one asked for answers too (杭州 → 杭州市滨江区;
    浙江 → 杭州市; 全国 → everything). A stored name the table does not know answers
    only to itself."""
    query = re.sub(r"\s+", "", query or "")
    if not query:
        return []
    national = query in (NATIONAL, "中国", "国务院", "中华人民共和国")
    asked = _asked(query)
    out = []
    for name in names:
        if name == query or (national and name == NATIONAL):
            out.append(name)
            continue
        if national and subregions:
            out.append(name)
            continue
        division = _stored(name) if name != NATIONAL else None
        if division is None:
            continue
        if any(division == a or (subregions and _is_within(division, a)) for a in asked):
            out.append(name)
    return out


@lru_cache(maxsize=1024)
def division_names(query: str, *, subregions: bool = False) -> tuple[str, ...] | None:
    """Every full name that can answer a region query (see region_matches), from the division
    table alone: the divisions it names, with `subregions` every division within them, and the
    query itself (a stored name the table does not know answers only to itself). None for the
    nation with its subregions: any name. Resolving against this instead of every name stored
    spares a request the read of those names (thousands in a whole archive)."""
    query = re.sub(r"\s+", "", query or "")
    if not query:
        return ()
    national = query in (NATIONAL, "中国", "国务院", "中华人民共和国")
    if national and subregions:
        return None
    asked = _asked(query)
    found = [full_name(a) for a in asked]
    if subregions and asked:
        by_code, _ = _divisions()
        found += [full_name(d) for d in by_code.values() if any(_is_within(d, a) for a in asked)]
    names = [*found, query] + ([NATIONAL] if national else [])
    return tuple(region_matches(query, list(dict.fromkeys(names)), subregions=subregions))


def names_a_division(query: str) -> bool:
    """Whether a region query names the nation or any division of the table."""
    query = re.sub(r"\s+", "", query or "")
    return query in (NATIONAL, "中国", "国务院", "中华人民共和国") or bool(_asked(query))


def one_division(query: str) -> Region | None:
    """The one division a person means by `query` (宁波, 宁波市, 容城县, 浙江省杭州市, 浙江);
    None when the table has none or several by that name (朝阳区: Beijing's or Changchun's?)."""
    query = re.sub(r"\s+", "", query or "")
    if query in (NATIONAL, "中国", "中华人民共和国"):
        return Region(NATIONAL, "national")
    strict = from_folders(query)
    if strict is not None:
        return strict
    asked = _asked(query)
    return region_of(asked[0]) if len(asked) == 1 else None
