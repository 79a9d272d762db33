"""Facts, the indicator catalogue they are filed under, and the subjects of the figures outside it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.gateway import exports
from services.gateway.deps import Format, GatewayDep, Limit, SessionDep, Writer
from services.gateway.errors import ApiError
from services.gateway.paging import encode_cursor, position, row, sorted_items
from services.gateway.params import (
    AdminLevelParam,
    Kind,
    Measure,
    RegionParam,
    SubregionsParam,
    asked_regions,
    indicator_code,
    period,
    periods,
)
from services.gateway.responses import PlainJSON
from services.gateway.routes.documents import WHO, division
from services.gateway.schemas import (
    Correction,
    CountedPage,
    Fact,
    FactCorrection,
    FactDetail,
    FactPage,
    Indicator,
    Subject,
    names,
)
from zhibiao.db import models, reads, writes
from zhibiao.domain.indicators import list_indicators
from zhibiao.domain.search_text import query_tokens

router = APIRouter(prefix="/v1", tags=["facts"])

FactSort = Literal[
    "id",
    "-id",
    "value",
    "-value",
    "period",
    "-period",
    "region",
    "-region",
    "indicator",
    "-indicator",
    "subject",
    "-subject",
    "document",
    "-document",
]
FACT_FIELDS = names(Fact)  # a fact's keys in a response, in order
FactId = Annotated[str, Path(description="a fact's id: it stays the same when its document is processed again")]
SubjectParam = Annotated[
    str | None,
    Query(
        max_length=100,
        description="the phrase a figure measures: its subject holds the query as written, or every "
        "jieba word of it (5G基站 finds 新增5G基站; 老旧小区 改造 finds 城镇老旧小区改造)",
    ),
]


def fact_filter(
    session: Session,
    *,
    document_id,
    indicator,
    subject,
    region,
    include_subregions,
    admin_level,
    period_,
    kind,
    measure,
    value_gte,
    value_lte,
    include_duplicates=False,
) -> reads.FactFilter:
    if value_gte is not None and value_lte is not None and value_gte > value_lte:
        raise ApiError(422, "invalid_request", f"value_gte {value_gte} is above value_lte {value_lte}")
    subject = subject.strip() if subject and subject.strip() else None
    return reads.FactFilter(
        document_id=document_id or None,
        indicator=indicator_code(indicator),
        regions=asked_regions(region, include_subregions, reads.region_stored(session=session, table=models.Fact)),
        admin_level=admin_level,
        period=periods(period_),
        kind=kind,
        measure=measure,
        subject=subject,
        subject_tokens=tuple(query_tokens(subject)) if subject else (),
        value_gte=value_gte,
        value_lte=value_lte,
        include_duplicates=include_duplicates,
    )


# A list's total counted to here: counting every match was most of a broad list's time and
# grew with the archive (1.4 million facts read for /v1/facts at 10,000 reports, 166 ms)
TOTAL_COUNTED = 10_000


@router.get("/facts", response_model=FactPage[Fact])
def list_facts(
    session: SessionDep,
    limit: Limit = 100,
    cursor: str | None = None,
    document_id: Annotated[str | None, Query(description="a document's id, or a prefix of it")] = None,
    indicator: Annotated[
        str | None,
        Query(
            description="a catalogue code (gdp), its Chinese name or an alias (地区生产总值, GDP); "
            "none: the figures outside the catalogue"
        ),
    ] = None,
    subject: SubjectParam = None,
    region: RegionParam = None,
    include_subregions: SubregionsParam = False,
    admin_level: AdminLevelParam = None,
    period: Annotated[
        str | None, Query(description="a year (2026), a span (2021-2025), or several comma-separated (2025,2026)")
    ] = None,
    kind: Kind | None = None,
    measure: Measure | None = None,
    value_gte: Annotated[
        float | None,
        Query(description="figures of at least this value, in the fact's own unit (a range counts by its lower end)"),
    ] = None,
    value_lte: Annotated[
        float | None,
        Query(description="figures of at most this value, in the fact's own unit (a range counts by its upper end)"),
    ] = None,
    sort: Annotated[FactSort, Query(description="a field, - first for descending; id by default")] = "id",
    include_duplicates: Annotated[
        bool, Query(description="also the facts of documents that are another copy of a report (duplicate_of)")
    ] = False,
    exact_total: Annotated[
        bool,
        Query(
            description=f"count every match for `total`; by default counting stops past {TOTAL_COUNTED:,} "
            "and `total_exact` is false"
        ),
    ] = False,
    format: Format = "json",
) -> Response:
    """Facts; with format=csv|xlsx every matching fact, as a download (limit and cursor unused).

    Which provinces set a GDP growth target of at least 6 % for 2026:
    `?indicator=gdp&kind=target&measure=growth&period=2026&admin_level=province&value_gte=6`;
    which regions, for 2025 or 2026: `…&period=2025,2026&value_gte=6`."""
    where = fact_filter(
        session,
        document_id=document_id,
        indicator=indicator,
        subject=subject,
        region=region,
        include_subregions=include_subregions,
        admin_level=admin_level,
        period_=period,
        kind=kind,
        measure=measure,
        value_gte=value_gte,
        value_lte=value_lte,
        include_duplicates=include_duplicates,
    )
    if format != "json":
        rows = [row(f, names(Fact)) for f in reads.all_facts(session=session, where=where, sort=sort)]
        rows = exports.fact_rows(rows, reads.documents_by_id(session=session, ids={r["document_id"] for r in rows}))
        return exports.download(rows, exports.FACT_COLUMNS, fmt=format, name=exports.name_for(rows, "facts"))
    after, offset = position(cursor, sort)
    if after is not None and not isinstance(after, str):
        # a cursor from before fact ids were strings (migration 0008)
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned: start again without it")
    rows = reads.page_facts(
        session=session, limit=limit, after=after, offset=offset, where=where, sort=sort, fields=FACT_FIELDS
    )
    at_most = None if exact_total else TOTAL_COUNTED + 1
    counted = reads.count_facts(session=session, where=where, at_most=at_most)
    exact = at_most is None or counted < at_most
    total = counted if exact else TOTAL_COUNTED
    # a fact's columns are all plain JSON values (no dates): each row is zipped with its names
    items = [dict(zip(FACT_FIELDS, r, strict=True)) for r in rows]
    return PlainJSON(sorted_items(items, limit, "id", sort=sort, offset=offset, total=total) | {"total_exact": exact})


def _fact_detail(session: Session, fact: models.Fact) -> dict:
    corrections = writes.corrections_of(session=session, document_id=fact.document_id, fact_id=fact.id)
    return {**row(fact, names(Fact)), "corrections": [row(c, names(Correction)) for c in corrections]}


@router.get("/facts/{fact_id}", response_model=FactDetail)
def get_fact(fact_id: FactId, session: SessionDep) -> Response:
    """One fact, with the fields set on it by hand."""
    fact = session.get(models.Fact, fact_id)
    if fact is None:
        raise ApiError(404, "not_found", f"no fact {fact_id}")
    return PlainJSON(_fact_detail(session, fact))


# columns that hold no NULL: a correction may not clear them
_REQUIRED = ("indicator_label", "period", "kind", "measure", "value", "unit", "estimated", "strive")


@router.patch("/facts/{fact_id}", response_model=FactDetail, dependencies=[Writer])
def correct_fact(fact_id: FactId, body: FactCorrection, session: SessionDep, gateway: GatewayDep) -> Response:
    """Set a fact's fields by hand. The correction is recorded apart (who, when) and laid over
    every later extraction of its document: the fact keeps its id when it is processed again."""
    changes = body.model_dump(include=body.model_fields_set)
    cleared = sorted(k for k in _REQUIRED if k in changes and changes[k] is None)
    if cleared:
        raise ApiError(422, "invalid_request", f"{', '.join(cleared)} cannot be null")
    if "indicator" in changes:
        changes["indicator"] = indicator_code(changes["indicator"], allow_none=False)
    if changes.get("region") is not None:
        changes["region"] = division(changes["region"])
    if "period" in changes:
        changes["period"] = period(changes["period"])
    value = changes.get("value", None)
    if (
        "value_max" in changes
        and changes["value_max"] is not None
        and value is not None
        and changes["value_max"] < value
    ):
        raise ApiError(422, "invalid_request", "value_max is below value")
    with gateway.writer.begin() as writer:
        fact = writer.get(models.Fact, fact_id)
        if fact is None:
            raise ApiError(404, "not_found", f"no fact {fact_id}")
        doc = writes.lock_document(session=writer, document_id=fact.document_id)
        if changes:
            writes.correct(session=writer, doc=doc, fact=fact, changes=changes, by=WHO)
        writer.flush()
        return PlainJSON(_fact_detail(writer, fact))


@router.get("/subjects", response_model=CountedPage[Subject])
def list_subjects(
    session: SessionDep,
    limit: Limit = 100,
    cursor: str | None = None,
    subject: SubjectParam = None,
    min_documents: Annotated[int, Query(ge=1, description="only subjects written in this many documents or more")] = 1,
) -> Response:
    """The subjects of figures outside the catalogue (not those whose subject is unclear), most
    documents first, then most figures: the candidates for the catalogue."""
    _, offset = position(cursor, "subjects")
    subject = subject.strip() if subject and subject.strip() else None
    rows, total = reads.subject_counts(
        session=session,
        limit=limit,
        offset=offset,
        subject=subject,
        subject_tokens=tuple(query_tokens(subject)) if subject else (),
        min_documents=min_documents,
    )
    items = [{"subject": r.subject, "documents": r.documents, "regions": r.regions, "figures": r.figures} for r in rows]
    nxt = encode_cursor({"offset": offset + limit}) if offset + limit < total else None
    return PlainJSON({"items": items, "next_cursor": nxt, "total": total})


@router.get("/indicators", response_model=CountedPage[Indicator])
def indicator_catalogue(session: SessionDep) -> Response:
    counts = reads.fact_counts_by_indicator(session=session)
    items = [{**entry, "facts": counts.get(entry["code"], 0)} for entry in list_indicators()]
    return PlainJSON({"items": items, "next_cursor": None, "total": len(items)})
