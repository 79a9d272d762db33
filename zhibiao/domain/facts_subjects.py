"""Subjects of a sentence: the catalogue indicators it names, alone or coordinated
(城乡居民…, 城镇、农村居民…, 高新产业投资、工业投资), and only where the name stands
on its own (服贸出口 is not 出口; 杭州市生产总值 is, in Hangzhou's report)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from zhibiao.domain import indicators
from zhibiao.domain.indicators import Mention
from zhibiao.domain.regions import NATIONAL

# Words that may stand right before an indicator name without changing what it measures.
_SCOPES = (
    "全国|全省|全市|全区|全县|全州|全盟|全旗|全镇|全乡|全域|我国|我省|我市|我区|我县|我州|本市|本区|本县|本省"
    "|全年|年末|年底|当年|同期|今年|去年|上年|年度|主要|其中|实现|完成|带动|推动|推进|预计|力争|确保|争取|预期|和|与|及|以及"
    "|把|拟安排|安排|财政|全社会|时期|期间|目标是|目标为"
)
# Not a closing quote: “新三样”出口 is the exports of three products.
_BOUNDARY = set(" ,，、;；:：“(（)）—-*#>。\n")
# Inside these, an indicator name is the whole a share is taken of, or a yardstick.
_SHADOWS = re.compile(
    r"占[^,，。;；、\d]{0,15}?的?比重|在[^,，。;；、\d]{1,15}?中的?比重"
    r"|(?:高于|低于|快于|慢于|跑赢|领先于?|超过|同)(?=[^\d\s])[^,，。;；\d%]{1,15}?(?:增速|增幅|平均水平|水平|同步)"
)
_COORD = "、和及与"
_REGION_SCOPES = "全国|全省|全市|全区|全县|全州|全盟|全旗|全域|我国|我省|我市|我区|我县|我州|本市|本区|本县|本省"


@dataclass(frozen=True)
class Subject:
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    start: int
    end: int
    measure: str | None = None  # implied by the words (经济增长 -> growth)
    scoped: bool = False  # written with the report's own scope: 全市, 我县, 杭州市
    joint: bool = False  # one name for several series (城乡居民…): a lone growth holds for each


def find_subjects(text: str, start: int, end: int, region: str = "") -> list[Subject]:
    shadows = [(m.start(), m.end()) for m in _SHADOWS.finditer(text, start, end)]
    # Not 地方: 地方财政总收入 (the local level's share) is not 财政总收入 (hailar-2012 gives both);
    # the names where 地方 changes nothing (地方一般公共预算收入) are aliases of their own.
    scope = re.compile(r"(?:" + _SCOPES + _region_forms(region) + r"|(?:19|20)\d{2}\s*年)\s*$")
    mentions = []
    level = "national" if region == NATIONAL else None
    for m in _with_groups(text, indicators.find_mentions(text, start, end, level), start, end):
        if any(a <= m.start < b for a, b in shadows):
            continue
        if mentions and text[m.start - 1 : m.start] in "（(" and mentions[-1].end == m.start - 1:
            continue  # 居民消费价格指数（CPI）: the same name again, in brackets
        m = _widen_urban_rural(text, m)
        if (
            _stands_alone(text, m, start, scope)
            or _coordinated_head(text, m, start)
            or _next_in_list(text, m, mentions)
        ):
            mentions.append(m)
    own = re.compile(r"(?:" + _REGION_SCOPES + _region_forms(region) + r")(?:实现|完成|全年)?\s*$")
    return [
        s if not own.search(text, max(start, s.start - 10), s.start) else _scoped(s)
        for s in _group(text, mentions, start)
    ]


def _scoped(s: Subject) -> Subject:
    return replace(s, scoped=True)


def _region_forms(region: str) -> str:
    if not region:
        return ""
    forms = {region}
    tail = region.split("市", 1)[1] if "市" in region[:-1] else ""
    for name in (region, tail):
        if len(name) > 2:
            forms.add(name)
            forms.add(re.sub(r"(?:市|省|区|县|自治区|自治州|旗)$", "", name))
    return "|" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True) if len(f) >= 2)


# Verbs ending in a conjunction's character: 惠及经营主体10.4万户 counts the firms reached,
# not the region's firms; 及 here is no "and".
_VERB_BEFORE = ("惠及", "涉及", "波及", "普及", "顾及", "覆盖")


def _stands_alone(text: str, m: Mention, floor: int, scope: re.Pattern) -> bool:
    if m.start <= floor:
        return True
    if text[max(floor, m.start - 2) : m.start] in _VERB_BEFORE:
        return False
    if text[m.start - 1] in _BOUNDARY and not m.weak:
        return True
    return bool(scope.search(text, max(floor, m.start - 12), m.start))


def _next_in_list(text: str, m: Mention, before: list[Mention]) -> bool:
    """A short name (出口, 进出口) opening a clause of a sentence that already named a
    catalogue indicator on its own: one more item of the same list of results or targets."""
    return m.weak and text[m.start - 1] in "，,；;" and any(not b.weak for b in before)


# One name for the three sectors' series: 三次产业增加值分别增长2.5%、6.1%、5.4%.
THREE_SECTORS = ("agricultural_value_added", "secondary_industry_value_added", "services_value_added")
_GROUP_NAMES = re.compile(r"(?:三次产业|第?一[、，,]?二[、，,]?三产业?)增加值")


def _with_groups(text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    groups = [
        Mention("+".join(THREE_SECTORS), m.group(0), m.start(), m.end())
        for m in _GROUP_NAMES.finditer(text, start, end)
    ]
    if not groups:
        return mentions
    kept = [m for m in mentions if not any(g.start < m.end and m.start < g.end for g in groups)]
    return sorted(kept + groups, key=lambda m: m.start)


def _widen_urban_rural(text: str, m: Mention) -> Mention:
    """城乡居民人均可支配收入 (城、乡居民…) names the urban and the rural series at once."""
    before = _URBAN_RURAL.search(text, max(0, m.start - 3), m.start)
    if not before:
        return m
    urban, rural = indicators.lookup("城镇" + m.label), indicators.lookup("农村" + m.label)
    if urban and rural:
        return Mention(f"{urban[0]}+{rural[0]}", before.group(0) + m.label, before.start(), m.end, m.measure)
    return m


_URBAN_RURAL = re.compile(r"城[、,，]?乡$")


def _coordinated_head(text: str, m: Mention, floor: int) -> bool:
    return _elliptic_partner(text, m, floor) is not None


def _elliptic_partner(text: str, m: Mention, floor: int) -> Mention | None:
    """城镇、农村居民人均可支配收入: the first conjunct shares the head of the second."""
    if m.start - 1 < floor or text[m.start - 1] not in _COORD:
        return None
    before = text[max(floor, m.start - 9) : m.start - 1]
    for cut in range(1, len(m.label)):
        head = m.label[cut:]
        for k in range(len(before), 0, -1):
            first = before[-k:]
            found = indicators.lookup(first + head)
            if found and (k == len(before) or before[-k - 1] in _BOUNDARY or _is_scope(before[:-k])):
                return Mention(found[0], first + head, m.start - 1 - k, m.start - 1, found[1])
    return None


def _is_scope(s: str) -> bool:
    return bool(re.search(r"(?:" + _SCOPES + r")$", s))


def _group(text: str, mentions: list[Mention], floor: int) -> list[Subject]:
    """Join mentions written as one coordinated subject (A、B分别…)."""
    out: list[Subject] = []
    for m in mentions:
        partner = _elliptic_partner(text, m, floor)
        codes = tuple(m.code.split("+"))
        labels = (m.label,) * len(codes) if len(codes) > 1 else (m.label,)
        if partner is not None:
            if out and out[-1].end > partner.start:
                out.pop()
            out.append(Subject((partner.code, m.code), (partner.label, m.label), partner.start, m.end, m.measure))
            continue
        if out and m.start - out[-1].end == 1 and text[out[-1].end] in _COORD:
            prev = out.pop()
            out.append(Subject(prev.codes + codes, prev.labels + labels, prev.start, m.end, prev.measure or m.measure))
            continue
        out.append(Subject(codes, labels, m.start, m.end, m.measure, joint=len(codes) > 1))
    return out
