"""Where a figure stands in a report: review or plan part, which period, and whether it is
part of the report at all (glossaries, endnotes and site chrome are not)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from zhibiao.domain import parts
from zhibiao.domain.model import DocumentMeta, Section

# Five-year plans by their Chinese ordinal: 十四五 = 2021-2025.
_PLAN_ORDINALS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}

_TOP_HEADING = re.compile(
    r"^(?:#+\s*|<[^>]+>\s*)*(?P<num>[一二三四五六七八九十]+)、\s*(?P<head>[^\n]{0,40})", re.MULTILINE
)
_GLOSSARY = re.compile(
    r"^\s*(?:#+\s*)?(?:名\s*词\s*解\s*释|注\s*释|附\s*注|附\s*件|附\s*录|名词注释|注:|注：)", re.MULTILINE
)
_ENDNOTE_LINE = re.compile(r"^\s*(?:〔\d+〕|\[\d+\]|【\d+】|[①-⑳])|[(（]见第\s*\d+\s*页[)）]", re.MULTILINE)
_CLOSING = re.compile(
    r"^(?:<[^>]+>)?各位代表[!！,，].*(?:奋斗|奋进|努力|前进|拼搏)[!！。]?\s*(?:</[^>]+>)?$", re.MULTILINE
)
_DELIVERY_YEAR = re.compile(r"(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


@dataclass(frozen=True)
class Part:
    start: int
    end: int
    part: str  # "review" | "plan"


def report_years(text: str, meta: DocumentMeta) -> tuple[int | None, int | None]:
    """(review_year, plan_year) from the metadata, else from the delivery line or the
    review heading (一、2015年工作回顾)."""
    if meta.review_year or meta.plan_year:
        review = meta.review_year or (meta.plan_year - 1)
        return review, meta.plan_year or review + 1
    m = _DELIVERY_YEAR.search(text[:3000])
    if m:
        year = int(m.group(1))
        return year - 1, year
    for top in _TOP_HEADING.finditer(text):
        y = re.search(r"((?:19|20)\d{2})\s*年", top.group("head"))
        if y and parts.heading_part(top.group("head"), None) == "review":
            return int(y.group(1)), int(y.group(1)) + 1
    return None, None


def find_parts(sections: list[Section], text: str = "") -> list[Part]:
    """Review and plan stretches of a work report, from the outline's parts (one
    classifier: `parts`, applied by `sections.parse_sections`); a text with no heading at all
    (a page that carries only the targets paragraph) is the part its body reads as."""
    if not sections and text:
        part = parts.body_part(text) or ("plan" if "主要预期目标" in text else None)
        return [Part(0, len(text), part)] if part else []
    return _merge([Part(s.start, s.end, s.part) for s in sections if s.part in ("review", "plan")])


def _merge(parts: list[Part]) -> list[Part]:
    out: list[Part] = []
    for p in sorted(parts, key=lambda p: p.start):
        if out and out[-1].part == p.part and p.start <= out[-1].end + 1:
            out[-1] = Part(out[-1].start, max(out[-1].end, p.end), p.part)
        elif out and p.start < out[-1].end:
            continue  # a nested section: the outer one already says
        else:
            out.append(p)
    return out


def part_at(parts: list[Part], pos: int) -> str | None:
    starts = [p.start for p in parts]
    i = bisect_right(starts, pos) - 1
    if i >= 0 and parts[i].start <= pos < parts[i].end:
        return parts[i].part
    return None


def excluded_spans(text: str, parts: list[Part]) -> list[tuple[int, int]]:
    """Glossaries, endnotes and what follows the closing words of the speech."""
    spans = []
    plan_start = next((p.start for p in parts if p.part == "plan"), None)
    for m in _GLOSSARY.finditer(text):
        if plan_start is not None and m.start() > plan_start:
            spans.append((m.start(), len(text)))
            break
    for m in _ENDNOTE_LINE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        spans.append((line_start, len(text) if line_end == -1 else line_end))
    if plan_start is not None:
        closings = [m for m in _CLOSING.finditer(text) if m.start() > plan_start]
        if closings:
            spans.append((closings[-1].end(), len(text)))
    return spans


def in_spans(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


# --- periods -------------------------------------------------------------------------

_YEAR_AT_CLAUSE = re.compile(
    r"(?:^|(?<=[,，;；:：。\s]))(?:(?:到|至|截至|截止到?|预计到|力争到|确保到|在|于)\s*)?(?P<y>(?:19|20)\d{2})\s*年"
    r"(?:底|末|前|度)?(?!\s*\d{1,2}\s*月)(?!以来|来|以前|的|同期|相比|比)",
    re.MULTILINE,
)
_YEAR_AFTER_DAO = re.compile(r"(?:到|至|截至)\s*(?P<y>(?:19|20)\d{2})\s*年(?:底|末)?(?!\s*\d{1,2}\s*月)")
_PLAN_SPAN = re.compile(
    r"(?m)^[“\"]?(?P<p>十[一二三四五六]五)[”\"]?|[“\"]?(?P<q>十[一二三四五六]五)[”\"]?(?:时期|期间)"
)
_PAST_FIVE = re.compile(r"过去五年|五年来|这五年|的五年|五年间|近五年")
_NEXT_FIVE = re.compile(r"今后五年|未来五年")


def plan_first_year(ordinal: str) -> int | None:
    """十三五 -> 2016."""
    return _PLAN_ORDINALS.get(ordinal)


@dataclass(frozen=True)
class Span:
    """Multi-year context of a paragraph: the years it covers."""

    first: int
    last: int

    def label(self) -> str:
        return f"{self.first}-{self.last}"


def explicit_year(text: str, para_start: int, pos: int) -> int | None:
    """The last year named at a clause start (2020年, / 到2026年) between the paragraph
    start and pos: it sets the period of what follows in the paragraph."""
    year = None
    for rx in (_YEAR_AT_CLAUSE, _YEAR_AFTER_DAO):
        for m in rx.finditer(text, para_start, pos):
            if year is None or m.start() >= year[0]:
                year = (m.start(), int(m.group("y")))
    return year[1] if year else None


def paragraph_span(context: str, part: str, review_year: int, plan_year: int) -> Span | None:
    """The five-year stretch a passage talks about (its heading, the opening sentence of
    its paragraph, the sentence itself), if it names one."""
    m = _PLAN_SPAN.search(context)
    if m:
        first = _PLAN_ORDINALS[m.group("p") or m.group("q")]
        return Span(first, first + 4)
    if part == "review" and _PAST_FIVE.search(context):
        return Span(review_year - 4, review_year)
    if part == "plan" and _NEXT_FIVE.search(context):
        return Span(plan_year, plan_year + 4)
    return None


_SPAN_OPENER = re.compile(
    r"(?:^|[。！!？?])\s*(?:——)?(?:各位代表[,，!！]\s*)?[“\"]?"
    r"(?:过去五年|过去的五年|五年来|这五年|近五年|今后五年|未来五年|(?P<p>十[一二三四五六]五)[”\"]?(?:时期|期间|以来))"
)
_YEAR_OPENER = re.compile(
    r"^(?:——)?(?:各位代表[,，!！:：]\s*)?"
    r"(?:过去一年|过去的一年|一年来|今年|去年|(?:刚刚)?过去的?(?:19|20)\d{2}\s*年|(?:19|20)\d{2}\s*年[,，是]"
    # the year's own work or targets after a five-year plan's (2017年主要工作; 全市经济社会发展主要预期目标)
    r"|(?:19|20)\d{2}\s*年的?(?:主要|重点)?工作|[^。\n]{0,16}主要预期目标)"
)


def opening_year(paragraph: str, review_year: int) -> int | None:
    """The one year a review paragraph opens on (刚刚过去的2025年, 过去一年, 2024年，), if
    it does not turn to five years later on (2015年是“十二五”收官之年。过去五年，…)."""
    m = _YEAR_OPENER.match(paragraph)
    if not m or _SPAN_OPENER.search(paragraph):
        return None
    y = re.search(r"(?:19|20)\d{2}", m.group(0))
    return int(y.group(0)) if y else review_year


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    span: Span


def span_passages(text: str, parts: list[Part], review_year: int, plan_year: int) -> list[Passage]:
    """Stretches about five years: from a paragraph that opens one (过去五年, 五年来,
    “十三五”时期) to the next paragraph that opens a single year, or the part's end."""
    out: list[Passage] = []
    for part in parts:
        current: tuple[int, Span] | None = None
        pos = part.start
        while pos < part.end:
            nl = text.find("\n", pos, part.end)
            line_end = part.end if nl == -1 else nl
            line = text[pos:line_end]
            opener = _SPAN_OPENER.search(line)
            if _YEAR_OPENER.match(line) and not (opener and opener.start() == 0) or _TOP_HEADING.match(line):
                if current:
                    out.append(Passage(current[0], pos, current[1]))
                current = None
            if opener:
                span = paragraph_span(opener.group(0).lstrip("。！!？?"), part.part, review_year, plan_year)
                if span:
                    if current:
                        out.append(Passage(current[0], pos + opener.start(), current[1]))
                    current = (pos + opener.start(), span)
            pos = line_end + 1
        if current:
            out.append(Passage(current[0], part.end, current[1]))
    return out


def passage_at(passages: list[Passage], pos: int) -> Span | None:
    return next((p.span for p in passages if p.start <= pos < p.end), None)
