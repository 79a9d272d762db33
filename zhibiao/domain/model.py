"""The values the domain produces. Plain dataclasses: the adapters translate them.

They are also the bodies' own types: messages.DocumentExtracted carries them as they are,
the store writes their fields and the gateway derives its response shapes from them, so a
field is declared here once (plus its column and migration in zhibiao/db).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from zhibiao.domain.search_text import Paragraph

# Closed vocabularies of the contract (../shared/CONTRACT.md), checked on the bus by pydantic.
Kind = Literal["actual", "target"]  # done in the review year, or planned for the plan year
Measure = Literal["value", "growth", "share"]
Qualifier = Literal["about", "at_least", "at_most"]  # 左右 · 以上 · 以内
Part = Literal["review", "plan", "appendix"]  # which part of a work report (appendix: glossaries, notes)
DocType = Literal["work_report", "progress_table", "other"]
AdminLevel = Literal["national", "province", "city", "district", "county"]


@dataclass(frozen=True)
class Fact:
    """One figure a report states, with the sentence it came from."""

    indicator: str | None  # catalogue code, e.g. "gdp"; None for a figure outside the catalogue
    indicator_label: str  # as written, e.g. "地区生产总值"
    region: str | None  # full official name, e.g. "杭州市滨江区"; None when the report names none
    period: str  # "2021" or "2017-2021"
    kind: Kind
    measure: Measure
    value: float
    unit: str  # as written: "亿元", "%", "个百分点", "" for pure ratios
    quote: str  # == text[start:end] of the cleaned text
    start: int
    end: int
    value_max: float | None = None
    qualifier: Qualifier | None = None
    estimated: bool = False  # 预计
    strive: bool = False  # 力争
    section: str | None = None  # heading of the innermost section holding the quote
    # where the number itself is written, as offsets into the cleaned text (inside the quote)
    figure_start: int | None = None
    figure_end: int | None = None
    # the phrase the figure measures, as written (the indicator's name for a catalogue fact);
    # unclear: no phrase could be told apart, the subject is the clause
    subject: str | None = None
    subject_unclear: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Section:
    """A node of the outline: 一、 （一） 1. （1） or a bold lead-in."""

    number: str  # as written: "一", "（二）", "3."
    heading: str
    level: int  # 1 = top
    start: int  # offsets into the cleaned text; end is exclusive
    end: int
    part: Part | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class DocumentMeta:
    """Document-level fields of the contract that come from the text itself."""

    doc_type: DocType = "other"
    title: str | None = None
    region: str | None = None
    admin_level: AdminLevel | None = None
    delivered_on: str | None = None  # ISO date; "YYYY-MM" when only the month is known
    review_year: int | None = None
    plan_year: int | None = None
    speaker: str | None = None
    speaker_title: str | None = None
    meeting: str | None = None
    issuer: str | None = None  # progress tables: who issued it (督查室)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Task:
    """One row of a key-task supervision table (重点工作)."""

    number: int
    text: str
    lead_units: list[str] = field(default_factory=list)
    leader: str | None = None
    progress: str | None = None
    next_steps: str | None = None  # 存在问题及下一步工作安排

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    """Everything derived from one document's text."""

    text: str  # the cleaned text every offset refers to
    meta: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # segmented here, in the worker that scales, not in the store
    paragraphs: list[Paragraph] = field(default_factory=list)
