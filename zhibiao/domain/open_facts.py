"""Every figure of a report, not only the catalogue's: 高新技术企业3万家, 造林面积120万亩,
新增5G基站2.5万个, each with the phrase it measures as written and its place in the text.

A figure is a measurement when it carries a unit (or %, ‰, 个百分点, 倍) and is none of
the things reports number without measuring: years and spans of years, ranks (第3位),
names in quotes (“3个100万”), glossary and note entries. Its subject is the clause before
it, less the linking words (达到, 增长, 比上年...) and scope words (全省, 全年); a clause
that is only linking words goes on with the subject of the figure before it in the
sentence (总额6744亿元、增长11.4%). Where no phrase can be told apart, the subject is the
clause and the fact says so (subject_unclear): no guess.

The catalogue's facts stay as the catalogue engine makes them; a figure it took, or a
subject that is a catalogue name, is left to it.
"""

from __future__ import annotations

import re

from zhibiao.domain import facts as engine
from zhibiao.domain import facts_context as ctx
from zhibiao.domain import indicators
from zhibiao.domain.model import DocumentMeta, Fact, Section
from zhibiao.domain.numbers import Figure, find_numbers

_CLAUSE_STOP = "，,；;：:、。！？!?\n（("
_SCOPE = re.compile(
    r"^(?:全国|全省|全市|全区|全县|全州|全盟|全旗|全域|我国|我省|我市|我区|我县|本市|本省|全年|年末|年底|今年|去年|其中"
    r"|同时|此外|并|再|还|共|累计|总计)+"
)
_NOT_A_SUBJECT = re.compile(r"^[\s“”\"'‘’《》（）()【】\[\]—…·]*$")
_MAX_SUBJECT = 24  # past this the clause is a sentence, not a name
_MAX_QUOTE_SUBJECT = 120
_NOT_MEASURED_UNITS = ("年",)  # years and spans of years: dates, not measurements
# 引进10个重大项目: a count of the noun after it, not of the clause before
_NOUN_AFTER = re.compile(r"[“\"]?[\u4e00-\u9fff]{2}")
_COUNTED = re.compile(
    r"[“\"]?[\u4e00-\u9fff][\u4e00-\u9fff“”\"A-Za-z0-9+]{1,15}?(?=$|[，,；;。、（(）)和及与已均被]|(?:实现|达到|完成|获|入选|通过|建成|全部))"
)
_COMPARED = re.compile(r"^(?:高于|低于|快于|慢于|高出|超出|领先|追平)")
_ANAPHORIC = {"总数", "总量", "规模", "总计", "累计", "其中", "占比", "达", "共", "合计"}
_LINK_AFTER = re.compile(r"增长|增速|下降|以上|以内|以下|左右|上下|和|及|与|同比|比上年|较上年|分别|占|的|之|多|余|居|位|为|是")


def extract_open_facts(text: str, sections: list[Section], meta: DocumentMeta, catalogue: list[Fact]) -> list[Fact]:
    """The figures the catalogue does not cover, in text order."""
    if meta.doc_type not in ("work_report", "other"):
        return []
    review_year, plan_year = ctx.report_years(text, meta)
    if review_year is None:
        return []
    parts = ctx.find_parts(sections)
    if not parts:
        return []
    skip = ctx.excluded_spans(text, parts)
    passages = ctx.span_passages(text, parts, review_year, plan_year)
    doc = engine._Doc(text, sections, parts, passages, meta.region, review_year, plan_year)
    taken = {f.figure_start for f in catalogue}
    out: list[Fact] = []
    for start, end in engine._sentences(text):
        if ctx.in_spans(skip, start) or ctx.part_at(parts, start) is None:
            continue
        out.extend(_sentence(doc, start, end, taken))
    return out


def _sentence(doc, start: int, end: int, taken: set[int]) -> list[Fact]:
    text = doc.text
    quoted = [(m.start(), m.end()) for m in re.finditer(r"“[^”]{0,30}”|\"[^\"]{0,30}\"", text[start:end])]
    out: list[Fact] = []
    previous: tuple[str, int, int] | None = None  # subject, its start, the end of its figure
    for fig in engine._borrow_units(text, find_numbers(text, start, end)):
        if not _measured(text, fig, start, quoted):
            previous = None
            continue
        clause_start = max(text.rfind(c, start, fig.start) for c in _CLAUSE_STOP) + 1 or start
        clause_start = max(clause_start, start)
        phrase = text[clause_start : fig.start]
        cut = _link_start(phrase)
        subject, link = phrase[:cut].strip(), phrase[cut:]
        subject = _SCOPE.sub("", subject)
        unclear = False
        if not subject or _NOT_A_SUBJECT.match(subject):
            # 总额6744亿元、增长11.4%: the clause only links; the subject goes on
            if previous is None or not _continues(text, previous[2], clause_start):
                previous = None
                continue
            subject, subject_start = previous[0], previous[1]
        else:
            subject_start = clause_start + phrase.find(subject)
        if _COMPARED.match(subject):
            continue  # 高于全国0.7个百分点: a gap to a benchmark, not the region's own figure
        after = fig_end_of(text, fig)
        counted_after = bool(_NOUN_AFTER.match(text, after)) and not _LINK_AFTER.match(text, after)
        counted = _COUNTED.match(text, after) if counted_after and len(subject) <= 4 else None
        if counted:
            # 新增8个国家级临床重点专科: the verb before, the noun after
            subject, counted_after = subject + counted.group(0), False
        if subject in _ANAPHORIC or len(subject) < 2:
            counted_after = True  # 总数达23家: the total of something named before
        # 5G基站 and PM2.5 are names; a subject holding a figure with a unit is a clause
        holds_figure = any(f.unit for f in find_numbers(subject))
        if holds_figure or len(subject) > _MAX_SUBJECT or counted_after:
            unclear = True
            subject = phrase.strip()[-_MAX_QUOTE_SUBJECT:]
        suffix = engine._SUFFIX.match(text, fig.end)
        fig_end = suffix.end() if suffix else fig.end
        previous = (subject, subject_start, fig_end)
        if fig.start in taken or indicators.lookup(subject):
            continue  # the catalogue's own
        measure = _measure(link, fig)
        qualifier = "at_least" if fig.more else engine._qualifier(link, suffix.group(1) if suffix else None)
        strive = "力争" in text[engine._clause_start(text, fig.start, start) : fig.start]
        pending = engine._Pending(fig, measure, qualifier, strive, link)
        fact = engine.figure_fact(doc, None, subject, pending, subject_start, start, end,
                                  people=fig.unit.endswith("人"), unclear=unclear)
        if fact is not None:
            out.append(fact)
    return out


def fig_end_of(text: str, fig: Figure) -> int:
    suffix = engine._SUFFIX.match(text, fig.end)
    return suffix.end() if suffix else fig.end


def _measured(text: str, fig: Figure, floor: int, quoted: list[tuple[int, int]]) -> bool:
    if not fig.unit or fig.unit in _NOT_MEASURED_UNITS:
        return False
    before, after = text[fig.start - 1 : fig.start], text[fig.end : fig.end + 1]
    if before == "第" or (before == "前" and fig.unit in ("名", "位")):
        return False  # ranks: 第3位, 前3名
    if fig.unit == "个" and after == "月":
        return False  # 连续10个月: a duration
    if not any(c.isdigit() for c in text[fig.start : fig.end]):
        return False  # 十件民生实事, 两个翻一番, 跑零次: names and idioms, not measurements
    return not any(a <= fig.start - floor < b for a, b in quoted)


def _link_start(phrase: str) -> int:
    """Where the linking words before the figure begin: the shortest tail they cover whole."""
    for i in range(len(phrase) + 1):
        if engine._LINK.fullmatch(phrase, i):
            return i
    return len(phrase)


def _continues(text: str, previous_end: int, clause_start: int) -> bool:
    """Only a separator and link words lie between the previous figure and this clause."""
    between = text[previous_end:clause_start]
    return bool(re.fullmatch(r"[\s、，,]*", between))


def _measure(link: str, fig: Figure) -> str:
    if engine._SHARE_WORD.search(link) and fig.unit == "%":
        return "share"
    if engine._GROWTH_WORD.search(link) or engine._FALL_WORD.search(link):
        return "growth"  # 增长8% is a rate; 增加36个 an absolute change, kept with its unit
    return "value"
