"""Why a catalogue name with a figure beside it gave no fact: the misses made visible on
reports nobody labelled.

For every clause that names a catalogue indicator on its own and writes a figure after
it, with no fact on that figure for that indicator, `explain` gives the clause and the
first reason the engine had: no region, no part, a glossary, another body's figures, the
word that broke the link, a unit that does not fit the indicator, no period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhibiao.domain import facts as engine
from zhibiao.domain import facts_context as ctx
from zhibiao.domain import indicators
from zhibiao.domain.facts_subjects import find_subjects
from zhibiao.domain.model import Extraction
from zhibiao.domain.numbers import find_numbers

_CLAUSE_END = re.compile(r"[,，;；。！？!?\n]")


@dataclass(frozen=True)
class Miss:
    indicator: str
    reason: str
    clause: str
    start: int


def explain(ex: Extraction) -> list[Miss]:
    """The misses of one extracted document, in text order."""
    text, meta = ex.text, ex.meta
    if meta.doc_type not in ("work_report", "other"):
        return []
    parts = ctx.find_parts(ex.sections, text)
    skip = ctx.excluded_spans(text, parts)
    facts = [(f.indicator, f.figure_start) for f in ex.facts]
    out = []
    for start, end in engine._sentences(text):
        for subject in find_subjects(text, start, end, meta.region or ""):
            stop = _CLAUSE_END.search(text, subject.end, end)
            clause_end = stop.start() if stop else end
            figures = [f for f in find_numbers(text, subject.end, clause_end) if text[f.start - 1 : f.start] != "第"]
            if not figures:
                continue
            fig = figures[0]
            for code in subject.codes:
                # 分别 lists put each code's fact on its own figure further on in the sentence
                if any(c == code and subject.end <= at < end for c, at in facts):
                    continue
                reason = _reason(ex, parts, skip, subject, code, fig)
                clause_start = max(text.rfind(c, start, subject.start) for c in ",，;；") + 1 or start
                out.append(Miss(code, reason, text[max(start, clause_start) : clause_end], fig.start))
    return out


def _reason(ex: Extraction, parts, skip, subject, code: str, fig) -> str:
    text, meta = ex.text, ex.meta
    if not meta.region:
        return "no region"
    if meta.review_year is None and meta.plan_year is None:
        return "no years"
    if ctx.in_spans(skip, fig.start):
        return "glossary or notes"
    if ctx.part_at(parts, fig.start) is None:
        return "outside the review and plan parts"
    if not subject.scoped and engine._owned_by_other_entity(text, subject.start):
        return "another body's figures"
    link = text[subject.end : fig.start]
    linked = engine._LINK.match(link)
    if linked.end() < len(link):
        return f"link broken by «{link[linked.end() : linked.end() + 4]}»"
    measure = engine._measure(subject, link, fig, None)
    if not engine._unit_fits(code, measure, fig):
        return f"unit «{fig.unit or '-'}» does not fit a {measure} of {indicators.get(code).unit_kind}"
    return "no period, or a list the engine could not read"
