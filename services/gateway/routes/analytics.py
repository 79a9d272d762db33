"""What analysts come for: series, target attainment, search, term counts, key tasks."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.gateway import exports
from services.gateway.deps import Format, GatewayDep, Limit, SessionDep, Year
from services.gateway.errors import ApiError
from services.gateway.paging import decode_cursor, encode_cursor, row
from services.gateway.params import Measure, RegionParam, SubregionsParam, asked_regions, indicator_code
from services.gateway.responses import PlainJSON
from services.gateway.schemas import Attainment, CountedPage, Search, Series, Task, TaskUnits, Terms, names
from services.gateway.state import ReportIndexes
from zhibiao.db import models, reads, search_reads
from zhibiao.domain import attainment, search_text
from zhibiao.domain.model import DocType
from zhibiao.domain.series import build_series, indicator_name, period_key
from zhibiao.domain.task_progress import STATUS_LABELS, ProgressStatus, progress_status
from zhibiao.domain.terms import term_in_document

router = APIRouter(prefix="/v1", tags=["analytics"])


IndicatorParam = Annotated[str, Query(description="a catalogue code (gdp), its Chinese name or an alias")]


def _regions(session: Session, region: str | None, subregions: bool) -> tuple[str, ...] | None:
    return asked_regions(region, subregions, reads.region_stored(session=session, table=models.Fact))


@router.get("/series", response_model=Series)
def series(
    session: SessionDep,
    indicator: IndicatorParam,
    region: RegionParam = None,
    include_subregions: SubregionsParam = False,
    measure: Measure | None = None,
    limit: Limit = 100,
    cursor: str | None = None,
    format: Format = "json",
) -> Response:
    """Per period, every actual and target statement of an indicator, with its document and
    quote: a page of `limit` periods, by region, measure and period; with format=csv|xlsx every
    one, as a download (limit and cursor unused)."""
    code = indicator_code(indicator, allow_none=False)
    regions_ = _regions(session, region, include_subregions)
    if format != "json":
        items = build_series(
            reads.facts_with_documents(session=session, indicator=code, regions=regions_, measure=measure)
        )
        rows = exports.series_rows(items)  # named after what it holds: 杭州市-gdp-2019-2023
        return exports.download(rows, exports.SERIES_COLUMNS, fmt=format, name=exports.name_for(rows, f"series-{code}"))
    after = decode_cursor(cursor)  # the last item's [region, measure, period]
    if after is not None and (not isinstance(after, list) or [type(v) for v in after] != [str, str, str]):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    items, more = _series_page(session, code, regions_, measure, after, limit)
    last = items[-1] if items else None
    nxt = encode_cursor([last["region"], last["measure"], last["period"]]) if more and last else None
    return PlainJSON({"indicator": code, "indicator_name": indicator_name(code), "items": items, "next_cursor": nxt})


def _series_key(region: str, measure: str, period: str) -> tuple:
    return region, measure, period_key(period)  # build_series's order, within one indicator


def _series_page(
    session: Session, code: str, regions_: tuple[str, ...] | None, measure: str | None, after: list | None, limit: int
) -> tuple[list[dict], bool]:
    """The `limit` series items after `after`, and whether more follow. Only the facts of the
    regions the page needs are read, a few regions at a time (each of their facts is at most
    one item), so a page costs the same in a whole archive as in a few reports."""
    counts = reads.fact_counts_by_region(session=session, indicator=code, regions=regions_, measure=measure)
    pending = sorted(r for r in counts if after is None or r >= after[0])  # Python's order, as build_series's
    items: list[dict] = []
    while pending and len(items) <= limit:
        batch, facts = [], 0
        while pending and facts < limit - len(items) + 1:
            batch.append(pending.pop(0))
            facts += counts[batch[-1]]
        found = build_series(
            reads.facts_with_documents(session=session, indicator=code, regions=tuple(batch), measure=measure)
        )
        if after is not None:
            found = [i for i in found if _series_key(i["region"], i["measure"], i["period"]) > _series_key(*after)]
        items += found
    return items[:limit], len(items) > limit or bool(pending)


@router.get("/attainment", response_model=Attainment)
def attainment_table(
    session: SessionDep,
    gateway: GatewayDep,
    region: RegionParam = None,
    include_subregions: SubregionsParam = False,
    indicator: Annotated[str | None, Query(description="a catalogue code, its Chinese name or an alias")] = None,
    status: Annotated[attainment.Status | None, Query(description="only targets with this verdict")] = None,
    unreported: Annotated[
        attainment.Unreported | None,
        Query(
            description="only unreported targets for which no later report is loaded, or for which one is and "
            "does not state the figure"
        ),
    ] = None,
    limit: Limit = 100,
    cursor: str | None = None,
    format: Format = "json",
) -> Response:
    """Each target next to the actual later reported for the same region, indicator, measure,
    period: a page of `limit` targets, by region, period, indicator and measure; with
    format=csv|xlsx every one, as a download (limit and cursor unused)."""
    regions_ = _regions(session, region, include_subregions)
    code = indicator_code(indicator, allow_none=False)

    def wanted(i: attainment.AttainmentItem) -> bool:
        return (not status or i["status"] == status) and (not unreported or i["unreported"] == unreported)

    if format != "json":
        facts = reads.facts_with_documents(session=session, regions=regions_, indicator=code, catalogued=True)
        reports = reads.work_reports(session=session, regions=regions_)
        rows = [exports.attainment_row(i) for i in attainment.attainment_items(facts, reports) if wanted(i)]
        common = exports.name_for(rows, "")
        return exports.download(
            rows, exports.ATTAINMENT_COLUMNS, fmt=format, name=f"attainment-{common}" if common else "attainment"
        )
    after = decode_cursor(cursor)  # the last item's attainment.position
    if after is not None and (not isinstance(after, list) or [type(v) for v in after] != [str] * 5):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    every = sorted(regions_) if regions_ is not None else gateway.fact_regions.get(session)  # kept sorted
    items, more = _attainment_page(session, every, code, wanted, after, limit)
    return PlainJSON(
        {
            "items": items,
            "next_cursor": encode_cursor(attainment.position(items[-1])) if more and items else None,
            "tolerance": {
                "about_points": attainment.ABOUT_TOLERANCE_POINTS,
                "about_relative": attainment.ABOUT_TOLERANCE_RELATIVE,
            },
        }
    )


REGIONS_AT_ONCE = 16  # regions whose periods are counted in one query


def _attainment_page(
    session: Session, regions_: Sequence[str], code: str | None, wanted, after: list | None, limit: int
) -> tuple[list[attainment.AttainmentItem], bool]:
    """The `limit` wanted items after position `after` among those of `regions_` (in order),
    and whether more may follow. An item
    is judged from the facts of its own region and period alone, so only the periods the
    page needs are read, a few at a time (each fact is at most one item): a page of a county
    with twenty years of reports costs what a page of one with two does. Each read takes as
    many facts as the items still wanted took so far (a status filter keeps few)."""
    start = attainment.order_key(after) if after is not None else None
    pending = [r for r in regions_ if start is None or r >= start[0]]
    items: list[attainment.AttainmentItem] = []
    groups: list[tuple[str, str]] = []  # (region, period), in order, not read yet
    counts: dict[tuple[str, str], int] = {}
    reports: list[dict] = []
    read = queued = 0  # facts read so far, facts in `groups`
    per_item = 16.0  # facts read for each item kept, as the reads so far found (11 to 23 in an archive)
    while (pending or groups) and len(items) <= limit:
        need = int((limit - len(items) + 1) * per_item)
        while pending and queued < need:
            batch, pending = tuple(pending[:REGIONS_AT_ONCE]), pending[REGIONS_AT_ONCE:]
            found = reads.fact_period_counts(session=session, regions=batch, indicator=code)
            counts.update(found)
            later = [
                g
                for g in sorted(found, key=attainment.order_key)
                if start is None or attainment.order_key(g) >= start[:3]
            ]
            groups += later
            queued += sum(found[g] for g in later)
            reports += reads.work_reports(session=session, regions=batch)
        taken, facts = [], 0
        while groups and facts < need:
            taken.append(groups.pop(0))
            facts += counts[taken[-1]]
        queued -= facts
        rows = reads.facts_with_documents(
            session=session,
            regions=tuple({r for r, _ in taken}),
            periods=tuple({p for _, p in taken}),
            indicator=code,
            catalogued=True,
        )
        chosen = set(taken)
        judged = attainment.attainment_items([f for f in rows if (f["region"], f["period"]) in chosen], reports)
        kept = [
            i for i in judged if wanted(i) and (start is None or attainment.order_key(attainment.position(i)) > start)
        ]
        items += kept
        read += facts
        per_item = min(read / max(len(items), 1), 8 * per_item)
    return items[:limit], len(items) > limit or bool(groups) or bool(pending)


@router.get("/search", response_model=Search)
def search(
    session: SessionDep,
    gateway: GatewayDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description=(
                'words to find (every one must be in a paragraph); a part in quotes ("数字经济", “数字经济”) '
                "must stand in the paragraph exactly as written"
            ),
        ),
    ],
    document_id: Annotated[str | None, Query(description="only this document's paragraphs")] = None,
    region: Annotated[
        str | None,
        Query(description=("only documents of this region or inside it: 杭州 and 杭州市 find 杭州市 and 杭州市滨江区")),
    ] = None,
    year: Annotated[Year | None, Query(description="only documents for this year (a report's plan year)")] = None,
    doc_type: Annotated[DocType | None, Query(description="only documents of this type")] = None,
    limit: Limit = 20,
    cursor: str | None = None,
    format: Format = "json",
) -> Response:
    """Paragraphs holding every word of the query (jieba), best first (BM25), with <mark> snippets;
    with format=csv|xlsx every matching paragraph, whole, as a download named after the query
    (search-亚运会.xlsx; limit and cursor unused)."""
    query = search_text.parse_query(q)
    if not query.tokens:
        raise ApiError(400, "empty_query", "the query has no searchable words (查询中没有可检索的词)")
    offset = decode_cursor(cursor) or 0
    if not isinstance(offset, int) or offset < 0:
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    filters = {"document_id": document_id, "region": region, "year": year, "doc_type": doc_type}
    if format != "json":  # every hit, from the first
        offset, limit = 0, SEARCH_EXPORT_CAP
    if query.phrases:  # the phrases are checked in each candidate's text: every candidate is read
        rows = search_reads.paragraphs_matching(session=session, tokens=query.tokens, **filters)
        texts = search_reads.text_spans(session=session, spans={(r.document_id, r.start, r.end) for r in rows})
        rows = [r for r in rows if search_text.holds_phrases(texts[(r.document_id, r.start, r.end)], query.phrases)]
        ranked = _ranked(session, rows, query.tokens)
        total, page = len(ranked), ranked[offset : offset + limit]
    else:  # ranked by the database, only the page read back
        if format == "json":
            ranked, total = gateway.search_rankings.get(session, query.tokens, filters, depth=offset + limit)
        else:  # a download's ranking is read once: not kept
            ranked, total = search_reads.ranked_paragraphs(session=session, tokens=query.tokens, depth=limit, **filters)
        page = ranked[offset : offset + limit]
        texts = search_reads.text_spans(session=session, spans={(r.document_id, r.start, r.end) for _, r in page})
    hits = _hits(session, page, texts, query.marked)
    if format != "json":
        rows = [
            {**hit, "paragraph": hit["paragraph"] + 1, "paragraph_text": texts[(r.document_id, r.start, r.end)]}
            for hit, (_, r) in zip(hits, page, strict=True)
        ]
        named = [q, region, year and str(year), doc_type and exports.LABELS["doc_type"].get(doc_type, doc_type)]
        return exports.download(rows, exports.SEARCH_COLUMNS, fmt=format, name=exports.file_name("search", *named))
    nxt = encode_cursor(offset + limit) if offset + limit < total else None
    return PlainJSON({"query": q, "tokens": query.tokens, "total": total, "items": hits, "next_cursor": nxt})


SEARCH_EXPORT_CAP = 20_000  # paragraphs in one download: the search's own cap on candidates


def _ranked(session: Session, rows: Sequence, tokens: list[str]) -> list[tuple[float, object]]:
    """(score, paragraph row) of each paragraph, best first."""
    total, avg, df = search_reads.bm25_figures(session=session, tokens=tokens)
    scored = ((search_text.rank(r.tokens, r.token_count, tokens, df=df, total=total, avg_length=avg), r) for r in rows)
    return sorted(scored, key=lambda sr: (-sr[0], sr[1].id))


def _hits(
    session: Session, ranked: list[tuple[float, object]], texts: dict[tuple[str, int, int], str], marked: list[str]
) -> list[dict]:
    docs = reads.documents_by_id(session=session, ids={r.document_id for _, r in ranked})
    hits = []
    for score, r in ranked:
        d = docs[r.document_id]
        hits.append(
            {
                "document_id": r.document_id,
                "source_name": d.source_name,
                "title": d.title,
                "region": d.region,
                "year": d.plan_year,
                "doc_type": d.doc_type,
                "paragraph": r.ordinal,
                "start": r.start,
                "end": r.end,
                "score": round(score, 4),
                "snippet": search_text.snippet(texts[(r.document_id, r.start, r.end)], marked),
            }
        )
    return hits


@router.get("/terms", response_model=Terms)
def terms(
    session: SessionDep,
    gateway: GatewayDep,
    term: Annotated[str, Query(min_length=1, max_length=100)],
    limit: Limit = 100,
    cursor: str | None = None,
) -> Response:
    """How often a term is written per year, and in each document (a page of them, by year then
    name, `total` in all); its rank among the document's keywords."""
    after = decode_cursor(cursor)
    # the last document's order_key: (year unknown, year, source name, id)
    if after is not None and (not isinstance(after, list) or [type(v) for v in after] != [bool, int, str, str]):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    ordered, keys, by_year = gateway.term_counts.get(session, term)
    first = bisect.bisect_right(keys, after) if after is not None else 0
    page = ordered[first : first + limit]
    docs = search_reads.term_documents(session=session, ids=[r.id for r in page])
    items = [term_in_document(docs[r.id], term, r.occurrences) for r in page]
    nxt = encode_cursor(keys[first + limit - 1]) if len(ordered) > first + limit else None
    return PlainJSON({"term": term, "items": items, "by_year": by_year, "next_cursor": nxt, "total": len(ordered)})


LeadUnit = Annotated[str | None, Query(description="any part of a lead unit's name: 发改 finds 市发改委")]
Leader = Annotated[str | None, Query(description="any part of the leader's name (分管领导)")]
TaskText = Annotated[str | None, Query(description="any part of the task, its progress, next steps or leader")]
TaskStatus = Annotated[
    ProgressStatus | None, Query(description="the progress read from its text: done 完成, on_track 推进中, behind 滞后")
]
TaskDocument = Annotated[str | None, Query(description="only the tasks of this supervision table")]


@router.get("/tasks", response_model=CountedPage[Task])
def tasks(
    session: SessionDep,
    gateway: GatewayDep,
    limit: Limit = 100,
    cursor: str | None = None,
    document_id: TaskDocument = None,
    lead_unit: LeadUnit = None,
    leader: Leader = None,
    q: TaskText = None,
    status: TaskStatus = None,
    format: Format = "json",
) -> Response:
    """Key tasks with lead units, progress and its status, each linked to the work-report paragraph
    it tracks; with format=csv|xlsx every matching task, as a download (limit and cursor unused)."""
    keep = _task_filter(lead_unit, status)
    if format != "json":
        rows = search_reads.tasks(session=session, document_id=document_id, leader=leader, q=q, keep=keep)
        items = _task_items(session, rows, gateway.report_indexes)
        return exports.download([_task_export_row(t) for t in items], TASK_COLUMNS, fmt=format, name="tasks")
    matching = search_reads.tasks(session=session, document_id=document_id, leader=leader, q=q, keep=keep)
    after = decode_cursor(cursor)
    if after is not None and (not isinstance(after, int) or isinstance(after, bool)):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    rows = [t for t in matching if after is None or t.id > after][:limit]  # ordered by id
    items = _task_items(session, rows, gateway.report_indexes)
    return PlainJSON(
        {
            "items": items,
            "next_cursor": encode_cursor(items[-1]["id"]) if len(items) == limit else None,
            "total": len(matching),
        }
    )


@router.get("/tasks/lead_units", response_model=TaskUnits)
def task_lead_units(
    session: SessionDep, document_id: TaskDocument = None, leader: Leader = None, q: TaskText = None
) -> Response:
    """Per lead unit, how many tasks it leads and how many are done, on track or behind, most tasks first."""
    counts: dict[str, dict[str, int]] = {}
    for t in search_reads.tasks(session=session, document_id=document_id, leader=leader, q=q):
        status = progress_status(t.progress) or "unknown"
        for unit in dict.fromkeys(t.lead_units or ["（未写明）"]):
            c = counts.setdefault(unit, {"tasks": 0, "done": 0, "on_track": 0, "behind": 0, "unknown": 0})
            c["tasks"] += 1
            c[status] += 1
    items = [{"lead_unit": u, **c} for u, c in sorted(counts.items(), key=lambda uc: (-uc[1]["tasks"], uc[0]))]
    return PlainJSON({"items": items, "next_cursor": None})


def _task_filter(lead_unit: str | None, status: str | None):
    def keep(t: models.Task) -> bool:
        return (not lead_unit or any(lead_unit in u for u in t.lead_units or [])) and (
            not status or progress_status(t.progress) == status
        )

    return keep


def _task_items(session: Session, rows: list[models.Task], indexes: ReportIndexes) -> list[dict]:
    fields = [n for n in names(Task) if n not in ("progress_status", "report_paragraph")]
    links = _report_paragraphs(session, rows, indexes)
    return [
        {**row(t, fields), "progress_status": progress_status(t.progress), "report_paragraph": links[t.id]}
        for t in rows
    ]


TASK_COLUMNS = (
    "number",
    "text",
    "lead_units",
    "leader",
    "progress_status",
    "progress",
    "next_steps",
    "report_source",
    "report_paragraph",
    "document_id",
)


def _task_export_row(t: dict) -> dict:
    link = t["report_paragraph"]
    return {
        **t,
        "progress_status": STATUS_LABELS.get(t["progress_status"] or "", ""),
        "report_source": link and link["source_name"],
        "report_paragraph": link and link["paragraph"] + 1,
    }


def _report_paragraphs(session: Session, rows: list[models.Task], indexes: ReportIndexes) -> dict[int, dict | None]:
    """For each task, the paragraph it tracks in the work report of its table's region and year."""
    tables = reads.documents_by_id(session=session, ids={t.document_id for t in rows})
    reports: dict[str, models.Document | None] = {}
    links = {}
    for t in rows:
        if t.document_id not in reports:
            table = tables.get(t.document_id)
            reports[t.document_id] = reads.work_report_for(
                session=session, region=table and table.region, year=table and table.plan_year
            )
        links[t.id] = _paragraph_of(session, t, reports[t.document_id], indexes)
    return links


def _paragraph_of(
    session: Session, task: models.Task, report: models.Document | None, indexes: ReportIndexes
) -> dict | None:
    if report is None:
        return None
    index, where = indexes.get(session, report)
    best = index.best(task.text)
    if not best:
        return None
    ordinal, start, end = where[best[0]]
    return {
        "document_id": report.id,
        "source_name": report.source_name,
        "paragraph": ordinal,
        "start": start,
        "end": end,
        "score": best[1],
        "excerpt": (report.text or "")[start:end][:200],
    }
