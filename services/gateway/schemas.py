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

from pydantic import BaseModel, create_model

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


class ErrorDetail(BaseModel):
    code: str  # for programs: not_found, invalid_request, unknown_region, ...
    message: str  # for people


class ErrorBody(BaseModel):
    """What every failure answers, whatever its status."""

    error: ErrorDetail


ERRORS = {"4XX": {"model": ErrorBody, "description": "the request's fault"},
          "5XX": {"model": ErrorBody, "description": "the database or the broker is away: try again"}}


class Health(BaseModel):
    status: str


class Accepted(BaseModel):
    id: str  # sha256 of the file's bytes
    status: DocumentStatus


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


class DocumentDetail(Document):
    keywords: list[str]
    timeline: list[Event]


class ReportParagraph(BaseModel):
    """The work-report paragraph a key task tracks."""

    document_id: str
    source_name: str
    paragraph: int
    start: int
    end: int
    score: float
    excerpt: str


def _stored(payload: type, **more: Any) -> type[BaseModel]:
    """A payload of the domain as the database keeps it: its id and its document's first."""
    hints = get_type_hints(payload)
    own = {f.name: (hints[f.name], ...) for f in dataclasses.fields(payload)}
    return create_model(payload.__name__, __doc__=payload.__doc__, id=(int, ...), document_id=(str, ...), **own,
                        **more)


Fact = _stored(model.Fact)
Task = _stored(model.Task, progress_status=(ProgressStatus | None, ...),  # from the progress text; null without one
               report_paragraph=(ReportParagraph | None, ...))


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
    items: list[SeriesItem]
    next_cursor: None


class Tolerance(BaseModel):
    about_points: float  # 左右 on a rate: this many points either side
    about_relative: float  # 左右 on an amount: this share of the target either side


class Attainment(BaseModel):
    items: list[AttainmentItem]
    next_cursor: None
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
    items: list[TermInDocument]
    by_year: list[TermInYear]
    next_cursor: None


@cache
def names(shape: type) -> tuple[str, ...]:
    """The field names of a response model or a domain dataclass, in order."""
    if dataclasses.is_dataclass(shape):
        return tuple(f.name for f in dataclasses.fields(shape))
    return tuple(shape.model_fields)
