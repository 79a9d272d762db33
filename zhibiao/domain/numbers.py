"""Numbers as Chinese reports write them: Arabic with stray spaces, scale words, Chinese
numerals in counts, ranges with any dash, 个百分点, 倍 and 翻一番.

`find_numbers` returns every figure of a stretch of text with its unit as written and the
offsets it covers, so callers can quote the source exactly.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# Scale words stay in the unit (contract: units as written, 万亿元), but callers comparing
# values across units need the factor.
SCALES = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}

# Base units a figure may carry, longest first inside the regex.
_BASE_UNIT_WORDS = """
个百分点 百分点 平方公里 平方米 立方米 公里 千米 千瓦时 千瓦 标准煤 美元 欧元 元 人次 人 户 家 个 件 项 所 座 条 公顷 亩 吨
公斤 斤 辆 套 间 张 台 株 名 批 处 次 千克 千米 米 倍 年 岁 天 小时 场 床 例 起 只 头 架 艘 列 标准箱 批次 千伏 千瓦 立方米
"""
_BASE_UNITS = tuple(_BASE_UNIT_WORDS.split())
_SCALE_WORDS = ["万亿", "千亿", "百亿", "千万", "百万", "十万", "亿", "万", "千"]

_CN_DIGITS = dict(zip("零〇○一二两三四五六七八九", (0, 0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}

# Words that contain numerals but are names, not counts.
_FIXED_TERM_WORDS = """
一般 一带一路 一体化 一网通办 一件事 一站式 一批 一流 一系列 一些 一线 一起 一定 一直 一道 一步 一方 一致
一次性 一把手 一户一 一村一 一二三产 三产 二产 一产 第一 第二 第三 第四 第五 十四五 十三五 十二五 十一五 十五五
十五 三大攻坚战 两位数 两个 两会 两新 两重 三农 四化 五水共治 六稳 六保 三名 三化 双引擎 万众 千方百计 万家灯火
百年 千万工程 百姓 千家万户 一百年
"""
FIXED_TERMS = tuple(_FIXED_TERM_WORDS.split())

_DASH = "-－—–―~～〜至到"
_MONEYISH = r"(?=\s?(?:[%％﹪‰]|个百分点|[万亿]{0,2}(?:美?元|人|吨|斤)))"
_PDF_DECIMAL = r"\d+\.\s\d+" + _MONEYISH  # PDF text: 1. 5%
_SPACED_THOUSANDS = r"\d{1,3}(?: \d{3})+(?!\d)" + _MONEYISH  # 18 753 亿元
_THOUSANDS = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?"  # 1,234.5
_ARABIC = rf"{_PDF_DECIMAL}|{_SPACED_THOUSANDS}|{_THOUSANDS}|\d+(?:\.\d+)?"
_NUM = rf"(?:(?<![\d.])-)?(?:{_ARABIC})"
# 台 counts machines, but 迈上5万亿台阶 is a step: 台阶 is no unit
_UNITS_ALT = "|".join(sorted(set(_BASE_UNITS), key=len, reverse=True)).replace("台", "台(?!阶)")
_SCALE_ALT = "|".join(_SCALE_WORDS)
_UNIT = rf"(?:[%％﹪‰]|(?:{_SCALE_ALT})?\s?(?:{_UNITS_ALT})|(?:{_SCALE_ALT}))"
# 连续迈上4个万亿元台阶: how many steps were climbed, not a figure of anything
_STEPS_AHEAD = r"(?!\d+\s?个[千百万亿元级]{1,4}新?(?:大关|关口|台阶))"
_FIGURE = re.compile(
    rf"(?<![\d.]){_STEPS_AHEAD}(?P<lo>{_NUM})(?:(?P<more>[多余])(?=\s?{_UNIT}))?\s?(?P<lounit>{_UNIT})?"
    rf"(?:\s?(?P<dash>[{_DASH}])\s?(?P<hi>{_NUM})\s?(?P<hiunit>{_UNIT})?)?"
)
_MORE_TAIL = re.compile(rf"[多余](?P<unit>(?:{_SCALE_ALT})?\s?(?:{_UNITS_ALT}))")
_DOUBLE = re.compile(r"翻(?P<n>[一两二三四五])番")
# Wire copies and some older reports write figures in words: 增长百分之十四点一,
# 一万零二百九十七亿元 (a numeral opens with a digit word: 万亿元 alone is no figure here)
_CN_NUMERAL = (
    r"(?<![零〇一二两三四五六七八九十百千万亿点])[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
    r"(?:点[零〇一二三四五六七八九]+[万亿]*)?"
)
_CN_PERCENT = re.compile(rf"百分之(?P<n>{_CN_NUMERAL}|百)")
_CN_AMOUNT = re.compile(rf"(?P<n>{_CN_NUMERAL})(?P<unit>美元|元|人|吨|斤)")
# 突破万亿元, 跨过千亿元大关: a scale word alone is one of it (not 万亿级, a class of size)
_BARE_SCALE = re.compile(r"(?<=[破过超上达到])(?P<unit>百亿元|千亿元|万亿元)(?!级)")
# 再上一个百亿台阶: how many steps, not a count of anything
_STEP_AFTER = re.compile(r"[千百万亿元级]{1,4}新?(?:大关|关口|台阶)")
_CN_COUNT = re.compile(
    r"(?P<n>[零〇○一二两三四五六七八九十百千万亿]+)(?P<unit>个百分点|倍|[件个项家所座条批次名户人年])"
)


@dataclass(frozen=True)
class Figure:
    """One number of the text: value (and value_max for a range), unit as written."""

    value: float
    unit: str
    start: int
    end: int
    value_max: float | None = None
    more: bool = False  # 1270多万人, 300余亿元: more than the value

    @property
    def base_value(self) -> float:
        return self.value * scale_of(self.unit)


def scale_of(unit: str) -> float:
    """Factor of the scale word that opens a unit: 亿元 -> 1e8, % -> 1."""
    for word in _SCALE_WORDS:
        if unit.startswith(word):
            return SCALES[word]
    return 1.0


def normalise(text: str) -> str:
    """NFKC, keeping the length: full-width digits and ％ become ASCII one for one."""
    out = []
    for ch in text:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def parse_number(raw: str) -> float | None:
    """'1. 5' -> 1.5, '18,753' -> 18753, '１５' -> 15, '2.5万' -> 25000, '十件' -> 10."""
    s = normalise(raw).strip()
    if not s:
        return None
    factor = 1.0
    for word in _SCALE_WORDS:
        if s.endswith(word) and len(s) > len(word) and (s[-len(word) - 1].isdigit() or s[-len(word) - 1] == " "):
            factor = SCALES[word]
            s = s[: -len(word)].strip()
            break
    compact = re.sub(r"(?<=\d)\.\s+(?=\d)", ".", s)
    compact = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", compact)
    compact = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", compact)
    try:
        return _finite(float(compact) * factor)
    except ValueError:
        pass
    value = parse_chinese_number(s)
    return None if value is None else _finite(value * factor)


def _finite(value: float) -> float | None:
    """A number of 309 digits or more is inf as a float: no figure a report means, and JSON
    and the database have no way to hold it."""
    return value if math.isfinite(value) else None


def parse_chinese_number(s: str) -> float | None:
    """'二〇二一' -> 2021 (digit by digit), '一百零五' -> 105, '两万' -> 20000, '十' -> 10,
    '十四点一' -> 14.1."""
    if "点" in s:
        whole, _, decimals = s.partition("点")
        head = parse_chinese_number(whole)
        if head is None or not decimals or any(ch not in _CN_DIGITS for ch in decimals):
            return None
        return float(f"{int(head)}.{''.join(str(_CN_DIGITS[ch]) for ch in decimals)}")
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_SMALL and ch not in _CN_BIG for ch in s):
        return None
    if len(s) > 1 and all(ch in _CN_DIGITS for ch in s):
        return float("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            section += digit or 0
            if ch == "亿":
                total = (total + section) * _CN_BIG[ch]
            else:
                total += (section or (0 if total else 1)) * _CN_BIG[ch]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def _is_fixed_term(text: str, start: int, end: int) -> bool:
    if start > 0 and text[start - 1] == "第":
        return True
    window = text[max(0, start - 4) : end + 4]
    offset = start - max(0, start - 4)
    for term in FIXED_TERMS:
        i = window.find(term)
        while i != -1:
            if i < offset + (end - start) and i + len(term) > offset:
                return True
            i = window.find(term, i + 1)
    return False


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """Every figure in text[start:end], in order; offsets index into text."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    found: list[Figure] = []
    for m in _FIGURE.finditer(chunk):
        lo = parse_number(m.group("lo"))
        if lo is None:
            continue
        lounit = _clean_unit(m.group("lounit") or "")
        if m.group("hi") is not None:
            hi = parse_number(m.group("hi"))
            hiunit = _clean_unit(m.group("hiunit") or "")
            # A range is two figures written alike (6%-6.5%, 6～6.5%); 5%-8 is not one.
            if hi is not None and hi > lo and hiunit and lounit in ("", hiunit):
                found.append(Figure(lo, hiunit, start + m.start(), start + m.end(), value_max=hi))
                continue
            if hi is not None and hi > lo and not hiunit and not lounit:
                found.append(Figure(lo, "", start + m.start(), start + m.end(), value_max=hi))
                continue
            stop = m.end("lounit") if m.group("lounit") else m.end("lo")
            found.append(Figure(lo, lounit, start + m.start(), start + stop))
            # the second figure is found again from where the first stopped
            found.extend(find_numbers(text, start + m.start("hi"), start + m.end()))
            continue
        # 1270多万人: more than the number, with the unit after the 多; 2万多户, 4万多亿元: the
        # 多 after a bare scale word, the rest of the unit after it
        tail = _MORE_TAIL.match(chunk, m.end()) if lounit in _SCALE_WORDS else None
        if tail:
            found.append(
                Figure(lo, lounit + _clean_unit(tail.group("unit")), start + m.start(), start + tail.end(), more=True)
            )
            continue
        found.append(Figure(lo, lounit, start + m.start(), start + m.end(), more=bool(m.group("more"))))
    found.extend(_double_figures(chunk, start))
    found.extend(Figure(1.0, m.group("unit"), start + m.start(), start + m.end()) for m in _BARE_SCALE.finditer(chunk))
    found.extend(_chinese_counts(chunk, start, found))
    found.extend(_words_figures(chunk, start, found))
    found.sort(key=lambda f: f.start)
    return found


def _clean_unit(unit: str) -> str:
    return normalise(unit).replace(" ", "").replace("﹪", "%")


def _double_figures(chunk: str, offset: int) -> list[Figure]:
    out = []
    for m in _DOUBLE.finditer(chunk):
        n = _CN_DIGITS[m.group("n")]
        out.append(Figure(float(2**n), "倍", offset + m.start(), offset + m.end()))
    return out


def _words_figures(chunk: str, offset: int, found: list[Figure]) -> list[Figure]:
    """百分之十二 -> 12 %, 二万五千九百六十八点五五亿元 -> 25968.55 亿元."""
    taken = [(f.start - offset, f.end - offset) for f in found]
    out = []
    for m in _CN_PERCENT.finditer(chunk):
        value = parse_chinese_number(m.group("n"))
        if value is not None:
            out.append(Figure(value, "%", offset + m.start(), offset + m.end()))
            taken.append((m.start(), m.end()))
    for m in _CN_AMOUNT.finditer(chunk):
        s, e = m.start(), m.end()
        if any(a < e and s < b for a, b in taken) or _is_fixed_term(chunk, s, e):
            continue
        numeral, unit = m.group("n"), m.group("unit")
        # 一万零二百九十七亿元 is 10297 亿元: the scale words at the end belong to the unit
        while numeral[-1] in "万亿" and len(numeral) > 1:
            unit, numeral = numeral[-1] + unit, numeral[:-1]
        if unit[:2] == "亿亿":
            continue
        value = parse_chinese_number(numeral)
        if value is not None and (value >= 10 or "点" in numeral or unit != m.group("unit")):
            out.append(Figure(value, unit, offset + s, offset + e))
    return out


def _chinese_counts(chunk: str, offset: int, arabic: list[Figure]) -> list[Figure]:
    taken = [(f.start - offset, f.end - offset) for f in arabic]
    out = []
    for m in _CN_COUNT.finditer(chunk):
        s, e = m.start(), m.end()
        if any(a < e and s < b for a, b in taken) or _is_fixed_term(chunk, s, e) or _STEP_AFTER.match(chunk, e):
            continue
        numeral, unit = m.group("n"), m.group("unit")
        # 两万人 is written as 2 万人, like the Arabic 2万人
        while len(numeral) > 1 and numeral[-1] in "万亿" and not unit.startswith(("个百", "倍")):
            unit, numeral = numeral[-1] + unit, numeral[:-1]
        value = parse_chinese_number(numeral)
        if value is None:
            continue
        out.append(Figure(value, unit, offset + s, offset + e))
    return out
