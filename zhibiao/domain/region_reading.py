"""The region of a report read from its body, when its head names none.

A person who is handed a report without its title page still knows whose it is: the
government that speaks (我代表县人民政府, 在县委的坚强领导下, 全县), its party committee
(中共阜平县委), the thanks at the end (向关心支持阜平发展的各界人士). Names are taken only
at the level the report speaks at, so the city a county report mentions (中共保定市委)
is never taken for the county. Anything unsettled gives None: a wrong region is worse
than none.
"""

from __future__ import annotations

import re
from collections import Counter

from zhibiao.domain import regions

_BODY_CHARS = 6000  # "the first part": congress and government names beyond it may be others'
_HAN = r"[\u4e00-\u9fff]"
_LEVEL = r"(自治区|自治州|自治县|自治旗|省|市|区|县|旗|州|盟)"

# The level a report speaks at, in phrases where the government names itself by it alone.
_OWN_LEVEL = (
    re.compile(rf"我(?:谨)?代表{_LEVEL}人民政府"),
    re.compile(rf"{_LEVEL}人大及其常委会"),
    re.compile(rf"关心(?:、|和)?支持我{_LEVEL}"),
)
_LEADERSHIP = re.compile(r"在[^，,。；;\n]{0,30}?领导下")  # 在省委省政府和市委坚强领导下: the last is ours
_COMMITTEE = re.compile(rf"{_LEVEL}(?:党)?委(?!员)")
_WE = re.compile(r"我(省|市|区|县|旗|州|盟)")
_ALL = re.compile(r"全(省|市|区|县|旗|州|盟)(?![第前首唯领平均最先排位])")  # not 居全省第3位

# Places named by the government that speaks, and how far into the text each is looked for.
_THANKS = r"关心(?:、|和)?支持(?P<place>{han}{{2,10}}?)(?:改革|振兴|高质量|现代化|经济|建设|发展)"
_NAMED = (
    (re.compile(rf"中共(?P<place>{_HAN}{{2,20}}?)(?:党)?委(?!员)"), None),  # 中共阜平县委
    (re.compile(_THANKS.format(han=_HAN)), None),  # 向所有关心支持阜平发展的各界朋友
    (re.compile(rf"(?P<place>{_HAN}{{2,20}}?)人民政府"), _BODY_CHARS),
    (re.compile(rf"(?P<place>{_HAN}{{2,20}}?)第[一二三四五六七八九十]+届人民代表大会"), _BODY_CHARS),
)
_NATIONAL = re.compile(r"关心和?支持中国现代化建设|我代表国务院")


def from_body(text: str) -> regions.Region | None:
    """The region the government and party phrases of the body name, at the report's own level."""
    level = _own_level(text)
    if _NATIONAL.search(text):
        return regions.Region(regions.NATIONAL, "national") if level is None else None
    if level is None:
        return None
    found: Counter[regions.Division] = Counter()
    for pattern, span in _NAMED:
        for m in pattern.finditer(text[:span] if span else text):
            division = _place(m.group("place"), level, text)
            if division is not None:
                found[division] += 1
    return _clear_winner(found)


def most_named(text: str) -> regions.Region | None:
    """A weaker guess: the national report by its voice (我国, never 我省 or 全市), or a
    province by the name it says far more than any other province's. Below the provinces
    a report names its neighbours as often as itself (高阳 names 安新 for 雄安), so never."""
    level = _own_level(text)
    if level is None:
        subnational = len(_WE.findall(text)) + len(_ALL.findall(text))
        if subnational <= 1 and text.count("我国") >= 3 and text.count("我国") + text.count("全国") >= 8:
            return regions.Region(regions.NATIONAL, "national")
        return None
    if level != "省":
        return None
    counts = Counter({name: text.count(name) for name in regions.province_names(level)})
    ranked = [(name, n) for name, n in counts.most_common(2) if n]
    if not ranked or ranked[0][1] < 5 or (len(ranked) > 1 and ranked[0][1] < 3 * ranked[1][1]):
        return None
    division = regions.named(ranked[0][0], level, text)
    return regions.region_of(division) if division else None


def _own_level(text: str) -> str | None:
    """The level word the report speaks at (省 市 区 县 旗 州 盟), or None when unclear."""
    votes: Counter[str] = Counter()
    for pattern in _OWN_LEVEL:
        for m in pattern.finditer(text):
            votes[m.group(1)[-1]] += 3
    for m in _LEADERSHIP.finditer(text):
        committees = _COMMITTEE.findall(m.group(0))
        if committees:
            votes[committees[-1][-1]] += 3
    for m in _WE.finditer(text):
        votes[m.group(1)] += 1
    for m in _ALL.finditer(text):
        votes[m.group(1)] += 0.5
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < 3:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _place(written: str, level: str, context: str) -> regions.Division | None:
    """The division at `level` that the end of `written` names (日在保定市 -> 保定市;
    关心支持阜平 -> 阜平县); a single name of two characters only in full (城区, 矿区 are
    words as well as names)."""
    for start in range(len(written) - 1):
        tail = written[start:]
        division = regions.chain(tail)
        if division is None:
            division = regions.named(tail, level, context) if start == 0 else None
        elif len(tail) < 3:
            division = None
        if division is not None:
            return division if regions.level_word(division) == level else None
    return None


def _clear_winner(found: Counter[regions.Division]) -> regions.Region | None:
    ranked = found.most_common()
    if not ranked:
        return None
    top, count = ranked[0]
    if count <= sum(n for _, n in ranked[1:]):
        return None
    return regions.region_of(top)
