"""The shapes the gateway answers with, as /docs shows them (names: ../shared/CONTRACT.md).

Payloads the domain defines are not declared again: a stored fact is the domain's Fact with
its id and document, a section is the domain's Section, a series item is series.SeriesItem.
Routes build their rows from these shapes (`names`) and send them as PlainJSON (see
responses.py); tests/integration/test_gateway_shapes.py checks every answer against them.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import cache
from typing import Any, Generic, Literal, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from zhibiao.db.models import DocumentStatus
from zhibiao.domain import model
from zhibiao.domain.attainment import AttainmentItem
from zhibiao.domain.series import SeriesItem
from zhibiao.domain.task_progress import ProgressStatus
from zhibiao.domain.terms import TermInDocument, TermInYear

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None  # give it as ?cursor= for the next page; null on the last


class CountedPage(Page[T], Generic[T]):
    total: int  # how many rows match in all pages


class FactPage(CountedPage[T], Generic[T]):
    # false: at least `total` facts match (counting stopped there; exact_total=true counts all)
    total_exact: bool


class ErrorDetail(BaseModel):
    code: str  # for programs: not_found, invalid_request, unknown_region, ...
    message: str  # for people


class ErrorBody(BaseModel):
    """What every failure answers, whatever its status."""

    error: ErrorDetail


ERRORS = {
    "4XX": {"model": ErrorBody, "description": "the request's fault"},
    "5XX": {"model": ErrorBody, "description": "the database or the broker is away: try again"},
}


class Health(BaseModel):
    status: str


class Accepted(BaseModel):
    id: str  # sha256 of the file's bytes
    status: DocumentStatus


class Deleted(BaseModel):
    id: str
    deleted: Literal[True]
    file: Literal["deleted", "none"]  # the bucket's file removed, or there was none


class Reprocessing(BaseModel):
    id: str
    status: Literal["queued"]
    previous_status: DocumentStatus
    request_id: str


class Document(BaseModel):
    id: str  # sha256 of the file's bytes
    source_name: str
    media_type: str | None
    size_bytes: int | None
    status: DocumentStatus
    error: str | None
    doc_type: model.DocType | None
    title: str | None
    region: str | None
    admin_level: model.AdminLevel | None
    delivered_on: str | None
    review_year: int | None
    plan_year: int | None
    speaker: str | None
    speaker_title: str | None
    meeting: str | None
    pages: int | None
    ocr_pages: int | None
    received_at: datetime | None
    processed_at: datetime | None
    extractor_version: str | None
    duplicate_of: str | None  # another copy of the report (TXT and PDF): the document served in its place


class Event(BaseModel):
    event: str  # received, extraction_started, stored, failed, dead_lettered
    at: datetime
    detail: str | None


class Correction(BaseModel):
    """A field set by hand: kept over every later extraction of the document."""

    field: str
    value: Any
    corrected_by: str  # "api": whoever held the write token
    corrected_at: datetime


class DocumentDetail(Document):
    keywords: list[str]
    timeline: list[Event]
    corrections: list[Correction]  # the document's own fields set by hand


class DocumentCorrection(BaseModel):
    """PATCH /v1/documents/{id}: only the fields given change; null clears one."""

    model_config = ConfigDict(extra="forbid")
    region: str | None = Field(
        None,
        max_length=128,
        description="a division's name (杭州, 杭州市, 保定市容城县); the document's facts of its old region follow",
    )
    review_year: int | None = Field(None, ge=1949, le=2200)
    plan_year: int | None = Field(None, ge=1949, le=2200)


class FactCorrection(BaseModel):
    """PATCH /v1/facts/{id}: only the fields given change."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    indicator: str | None = Field(None, description="a catalogue code, Chinese name or alias; null: outside it")
    indicator_label: str | None = Field(None, min_length=1, max_length=128)
    subject: str | None = Field(None, max_length=256)
    region: str | None = Field(None, max_length=128, description="a division's name")
    period: str | None = Field(None, description="a year (2026) or a span (2021-2025)")
    kind: model.Kind | None = None
    measure: model.Measure | None = None
    value: float | None = None
    value_max: float | None = None
    unit: str | None = Field(None, max_length=32)
    qualifier: model.Qualifier | None = None
    estimated: bool | None = None
    strive: bool | None = None


class ReportParagraph(BaseModel):
    """The work-report paragraph a key task tracks."""

    document_id: str
    source_name: str
    paragraph: int
    start: int
    end: int
    score: float
    excerpt: str


def _stored(payload: type, id_type: type = int, **more: Any) -> type[BaseModel]:
    """A payload of the domain as the database keeps it: its id and its document's first."""
    hints = get_type_hints(payload)
    own = {f.name: (hints[f.name], ...) for f in dataclasses.fields(payload)}
    return create_model(
        payload.__name__, __doc__=payload.__doc__, id=(id_type, ...), document_id=(str, ...), **own, **more
    )


# a fact's id is a string that survives reprocessing (domain.stable_ids), e.g. 9f86d08188-00001a2-3c1e
Fact = _stored(model.Fact, str)
FactDetail = _stored(model.Fact, str, corrections=(list[Correction], ...))
Task = _stored(
    model.Task,
    progress_status=(ProgressStatus | None, ...),  # from the progress text; null without one
    report_paragraph=(ReportParagraph | None, ...),
)


class TaskUnit(BaseModel):
    lead_unit: str
    tasks: int  # tasks it leads (alone or with others)
    done: int  # of which 完成
    on_track: int  # 推进中
    behind: int  # 滞后
    unknown: int  # no progress written


class TaskUnits(BaseModel):
    items: list[TaskUnit]
    next_cursor: None


class Indicator(BaseModel):
    code: str
    name: str
    aliases: list[str]
    facts: int  # how many facts name it


class Subject(BaseModel):
    """A phrase figures outside the catalogue measure, as written, and how widely it is written."""

    subject: str
    documents: int  # how many documents state a figure of it
    regions: int  # of how many regions
    figures: int  # how many figures in all


class Series(BaseModel):
    indicator: str
    indicator_name: str | None
    items: list[SeriesItem]  # a page, by region, measure and period
    next_cursor: str | None


class Tolerance(BaseModel):
    about_points: float  # 左右 on a rate: this many points either side
    about_relative: float  # 左右 on an amount: this share of the target either side


class Attainment(BaseModel):
    items: list[AttainmentItem]
    next_cursor: str | None
    tolerance: Tolerance


class SearchHit(BaseModel):
    document_id: str
    source_name: str
    title: str | None
    region: str | None
    year: int | None
    doc_type: str | None
    paragraph: int
    start: int
    end: int
    score: float
    snippet: str  # the paragraph around the words, each in <mark>


class Search(BaseModel):
    query: str
    tokens: list[str]
    total: int
    items: list[SearchHit]
    next_cursor: str | None


class Terms(BaseModel):
    term: str
    items: list[TermInDocument]  # a page, by year then name
    by_year: list[TermInYear]  # every document's
    next_cursor: str | None
    total: int  # documents writing the term


@cache
def names(shape: type) -> tuple[str, ...]:
    """The field names of a response model or a domain dataclass, in order."""
    if dataclasses.is_dataclass(shape):
        return tuple(f.name for f in dataclasses.fields(shape))
    return tuple(shape.model_fields)
