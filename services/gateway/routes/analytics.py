"""What analysts come for: series, target attainment, search, term counts, key tasks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy.orm import Session

from services.gateway import exports
from services.gateway.deps import Format, GatewayDep, Limit, SessionDep
from services.gateway.errors import ApiError
from services.gateway.paging import decode_cursor, encode_cursor, page
from services.gateway.responses import PlainJSON
from services.gateway.schemas import Attainment, Page, Search, Series, Task, Terms, names
from services.gateway.state import ReportIndexes
from zhibiao.db import models, reads
from zhibiao.domain import attainment, search_text
from zhibiao.domain.series import build_series, indicator_name
from zhibiao.domain.terms import term_usage

router = APIRouter(prefix="/v1", tags=["analytics"])


@router.get("/series", response_model=Series)
def series(session: SessionDep, indicator: str, region: str | None = None, measure: str | None = None,
           format: Format = "json") -> Response:
    """Per period, every actual and target statement of an indicator, with its document and quote."""
    facts = reads.facts_with_documents(session=session, indicator=indicator, region=region, measure=measure)
    items = build_series(facts)
    if format != "json":
        return exports.download(exports.series_rows(items), exports.SERIES_COLUMNS, fmt=format,
                                name=f"series-{indicator}")
    return PlainJSON({"indicator": indicator, "indicator_name": indicator_name(indicator), "items": items,
                      "next_cursor": None})


@router.get("/attainment", response_model=Attainment)
def attainment_table(session: SessionDep, region: str | None = None, indicator: str | None = None,
                     status: str | None = None, format: Format = "json") -> Response:
    """Each target next to the actual later reported for the same region, indicator, measure, period."""
    facts = reads.facts_with_documents(session=session, region=region, indicator=indicator)
    items = [i for i in attainment.attainment_items(facts) if not status or i["status"] == status]
    if format != "json":
        return exports.download([exports.attainment_row(i) for i in items], exports.ATTAINMENT_COLUMNS, fmt=format,
                                name="attainment")
    return PlainJSON({"items": items, "next_cursor": None,
                      "tolerance": {"about_points": attainment.ABOUT_TOLERANCE_POINTS,
                                    "about_relative": attainment.ABOUT_TOLERANCE_RELATIVE}})


@router.get("/search", response_model=Search)
def search(session: SessionDep, q: Annotated[str, Query(min_length=1, max_length=200)],
           document_id: str | None = None, limit: Annotated[int, Query(ge=1, le=100)] = 20,
           cursor: str | None = None) -> Response:
    """Paragraphs holding every word of the query (jieba), best first (BM25), with <mark> snippets."""
    tokens = search_text.query_tokens(q)
    if not tokens:
        raise ApiError(400, "empty_query", "the query has no searchable words")
    offset = decode_cursor(cursor) or 0
    if not isinstance(offset, int) or offset < 0:
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
    ranked = _ranked(session, tokens, document_id)
    hits = _hits(session, ranked[offset:offset + limit], [q.strip(), *tokens])
    nxt = encode_cursor(offset + limit) if offset + limit < len(ranked) else None
    return PlainJSON({"query": q, "tokens": tokens, "total": len(ranked), "items": hits, "next_cursor": nxt})


def _ranked(session: Session, tokens: list[str], document_id: str | None) -> list[tuple[float, object]]:
    """(score, paragraph row) of every paragraph holding the tokens, best first."""
    rows = reads.paragraphs_matching(session=session, tokens=tokens, document_id=document_id)
    total, avg, df = reads.paragraph_stats(session=session, tokens=tokens)
    scored = ((search_text.rank(r.tokens, r.token_count, tokens, df=df, total=total, avg_length=avg), r)
              for r in rows)
    return sorted(scored, key=lambda sr: (-sr[0], sr[1].id))


def _hits(session: Session, ranked: list[tuple[float, object]], marked: list[str]) -> list[dict]:
    texts = reads.text_slices(session=session, spans=[(r.document_id, r.start, r.end) for _, r in ranked])
    docs = reads.documents_by_id(session=session, ids={r.document_id for _, r in ranked})
    hits = []
    for score, r in ranked:
        d = docs[r.document_id]
        hits.append({"document_id": r.document_id, "source_name": d.source_name, "title": d.title,
                     "region": d.region, "year": d.plan_year, "doc_type": d.doc_type, "paragraph": r.ordinal,
                     "start": r.start, "end": r.end, "score": round(score, 4),
                     "snippet": search_text.snippet(texts[(r.document_id, r.start, r.end)], marked)})
    return hits


@router.get("/terms", response_model=Terms)
def terms(session: SessionDep, term: Annotated[str, Query(min_length=1, max_length=100)]) -> Response:
    """How often a term is written in each document, and per year; its rank among the document's keywords."""
    items, by_year = term_usage(reads.documents_containing(session=session, term=term), term)
    return PlainJSON({"term": term, "items": items, "by_year": by_year, "next_cursor": None})


@router.get("/tasks", response_model=Page[Task])
def tasks(session: SessionDep, gateway: GatewayDep, limit: Limit = 100, cursor: str | None = None,
          document_id: str | None = None, lead_unit: str | None = None, q: str | None = None) -> Response:
    """Key tasks with lead units and progress, each linked to the work-report paragraph it tracks."""
    rows = reads.tasks_page(session=session, limit=limit, after=decode_cursor(cursor), document_id=document_id,
                            lead_unit=lead_unit, q=q)
    result = page(rows, limit, names(Task)[:-1], "id")  # all but report_paragraph
    links = _report_paragraphs(session, rows, gateway.report_indexes)
    for item in result["items"]:
        item["report_paragraph"] = links[item["id"]]
    return PlainJSON(result)


def _report_paragraphs(session: Session, rows: list[models.Task], indexes: ReportIndexes) -> dict[int, dict | None]:
    """For each task, the paragraph it tracks in the work report of its table's region and year."""
    tables = reads.documents_by_id(session=session, ids={t.document_id for t in rows})
    reports: dict[str, models.Document | None] = {}
    links = {}
    for t in rows:
        if t.document_id not in reports:
            table = tables.get(t.document_id)
            reports[t.document_id] = reads.work_report_for(session=session, region=table and table.region,
                                                           year=table and table.plan_year)
        links[t.id] = _paragraph_of(session, t, reports[t.document_id], indexes)
    return links


def _paragraph_of(session: Session, task: models.Task, report: models.Document | None,
                  indexes: ReportIndexes) -> dict | None:
    if report is None:
        return None
    index, where = indexes.get(session, report)
    best = index.best(task.text)
    if not best:
        return None
    ordinal, start, end = where[best[0]]
    return {"document_id": report.id, "source_name": report.source_name, "paragraph": ordinal, "start": start,
            "end": end, "score": best[1], "excerpt": (report.text or "")[start:end][:200]}
