"""What analysts come for: series, target attainment, search, term counts, key tasks."""


import threading
from collections import OrderedDict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from services.gateway.errors import ApiError
from services.gateway.exports import download
from services.gateway.paging import decode_cursor, encode_cursor
from services.gateway.responses import PlainJSON
from zhibiao.db import reads
from zhibiao.domain import attainment, search_text
from zhibiao.domain.indicators import catalogue
from zhibiao.domain.series import build_series, period_key
from zhibiao.domain.task_links import ReportIndex

Format = Literal["json", "csv", "xlsx"]
Limit = Annotated[int, Query(ge=1, le=1000)]

SERIES_COLUMNS = ("indicator", "indicator_name", "region", "measure", "period", "kind", "value", "value_max",
                  "unit", "qualifier", "estimated", "strive", "disagree", "source_name", "document_id", "fact_id",
                  "quote")
ATTAINMENT_COLUMNS = ("region", "indicator", "indicator_name", "measure", "period", "status", "rule",
                      "target_value", "target_value_max", "target_unit", "qualifier", "strive", "actual_value",
                      "actual_unit", "gap", "target_source", "target_quote", "actual_source", "actual_quote",
                      "target_fact_id", "actual_fact_id")


def _name(code: str) -> str | None:
    entry = catalogue().get(code)
    return entry.name if entry else None


def _observation(f: dict) -> dict:
    keep = ("id", "value", "value_max", "unit", "qualifier", "estimated", "strive", "document_id", "source_name",
            "doc_year", "quote", "start", "end", "indicator_label")
    return {("fact_id" if k == "id" else k): f.get(k) for k in keep}


def attainment_items(facts: list[dict]) -> list[dict]:
    """Every target (one per document and figure) with its actual and verdict."""
    actuals: dict[tuple, list[dict]] = {}
    targets: dict[tuple, dict] = {}
    for f in facts:
        key = (f["region"], f["indicator"], f["measure"], f["period"])
        if f["kind"] == "actual":
            actuals.setdefault(key, []).append(f)
        else:
            targets.setdefault((*key, f["document_id"], f["value"], f["value_max"], f["unit"]), f)
    items = []
    for key, target in targets.items():
        region, indicator, measure, period = key[:4]
        candidates = actuals.get(key[:4], [])
        actual = attainment.pick_actual(target, candidates)
        verdict = attainment.judge(target, actual)
        others = [_observation(a) for a in candidates
                  if actual is not None and a["id"] != actual["id"] and a["document_id"] != target["document_id"]
                  and (a["value"], a["unit"]) != (actual["value"], actual["unit"])]
        items.append({"region": region, "indicator": indicator, "indicator_name": _name(indicator),
                      "measure": measure, "period": period, "status": verdict.status, "rule": verdict.rule,
                      "gap": verdict.gap, "actual_in_target_unit": verdict.actual_value,
                      "target": _observation(target), "actual": _observation(actual) if actual else None,
                      "other_actuals": others})
    items.sort(key=lambda i: (i["region"], period_key(i["period"]), i["indicator"], i["measure"]))
    return items


def _attainment_row(i: dict) -> dict:
    t, a = i["target"], i["actual"] or {}
    return {**{k: i[k] for k in ("region", "indicator", "indicator_name", "measure", "period", "status", "rule",
                                 "gap")},
            "target_value": t["value"], "target_value_max": t["value_max"], "target_unit": t["unit"],
            "qualifier": t["qualifier"], "strive": t["strive"], "actual_value": a.get("value"),
            "actual_unit": a.get("unit"), "target_source": t["source_name"], "target_quote": t["quote"],
            "actual_source": a.get("source_name"), "actual_quote": a.get("quote"),
            "target_fact_id": t["fact_id"], "actual_fact_id": a.get("fact_id")}


def _series_rows(items: list[dict]) -> list[dict]:
    rows = []
    for item in items:
        for kind in ("actual", "target"):
            for o in item[kind]:
                rows.append({**o, "indicator": item["indicator"], "indicator_name": _name(item["indicator"]),
                             "region": item["region"], "measure": item["measure"], "period": item["period"],
                             "kind": kind, "disagree": item["disagree"]})
    return rows


class ReportIndexes:
    """Paragraph indexes of work reports, kept while the report is unchanged."""

    def __init__(self, size: int = 16) -> None:
        self._cache: OrderedDict[tuple, ReportIndex] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, session: Session, report) -> tuple[ReportIndex, dict[int, tuple]]:
        key = (report.id, report.processed_at)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        rows = reads.paragraph_tokens(session=session, document_id=report.id)
        value = (ReportIndex([(r.id, r.tokens) for r in rows]), {r.id: (r.ordinal, r.start, r.end) for r in rows})
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return value


def build_router(db) -> APIRouter:
    """The analytics endpoints; `db` is the gateway's session dependency."""
    router = APIRouter(prefix="/v1", tags=["analytics"])
    DB = Annotated[Session, Depends(db)]
    indexes = ReportIndexes()

    @router.get("/series")
    def series(session: DB, indicator: str, region: str | None = None, measure: str | None = None,
               format: Format = "json"):
        """Per period, every actual and target statement of an indicator, with its document and quote."""
        facts = reads.facts_with_documents(session=session, indicator=indicator, region=region, measure=measure)
        items = build_series(facts)
        if format != "json":
            return download(_series_rows(items), SERIES_COLUMNS, fmt=format, name=f"series-{indicator}")
        return PlainJSON({"indicator": indicator, "indicator_name": _name(indicator), "items": items,
                          "next_cursor": None})

    @router.get("/attainment")
    def attainment_table(session: DB, region: str | None = None, indicator: str | None = None,
                         status: str | None = None, format: Format = "json"):
        """Each target next to the actual later reported for the same region, indicator, measure, period."""
        facts = reads.facts_with_documents(session=session, region=region, indicator=indicator)
        items = attainment_items(facts)
        if status:
            items = [i for i in items if i["status"] == status]
        if format != "json":
            return download([_attainment_row(i) for i in items], ATTAINMENT_COLUMNS, fmt=format,
                            name="attainment")
        return PlainJSON({"items": items, "next_cursor": None,
                          "tolerance": {"about_points": attainment.ABOUT_TOLERANCE_POINTS,
                                        "about_relative": attainment.ABOUT_TOLERANCE_RELATIVE}})

    @router.get("/search")
    def search(session: DB, q: Annotated[str, Query(min_length=1, max_length=200)], document_id: str | None = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20, cursor: str | None = None) -> dict:
        """Paragraphs holding every word of the query (jieba), best first (BM25), with <mark> snippets."""
        tokens = search_text.query_tokens(q)
        if not tokens:
            raise ApiError(400, "empty_query", "the query has no searchable words")
        offset = decode_cursor(cursor) or 0
        if not isinstance(offset, int) or offset < 0:
            raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned")
        rows = reads.paragraphs_matching(session=session, tokens=tokens, document_id=document_id)
        total, avg, df = reads.paragraph_stats(session=session, tokens=tokens)
        scored = sorted(((search_text.rank(r.tokens, r.token_count, tokens, df=df, total=total, avg_length=avg), r)
                         for r in rows), key=lambda sr: (-sr[0], sr[1].id))
        page = scored[offset:offset + limit]
        texts = reads.text_slices(session=session, spans=[(r.document_id, r.start, r.end) for _, r in page])
        docs = reads.documents_by_id(session=session, ids={r.document_id for _, r in page})
        items = []
        for score, r in page:
            d = docs[r.document_id]
            items.append({"document_id": r.document_id, "source_name": d.source_name, "title": d.title,
                          "region": d.region, "year": d.plan_year, "doc_type": d.doc_type, "paragraph": r.ordinal,
                          "start": r.start, "end": r.end, "score": round(score, 4),
                          "snippet": search_text.snippet(texts[(r.document_id, r.start, r.end)], [q.strip(), *tokens])})
        nxt = encode_cursor(offset + limit) if offset + limit < len(scored) else None
        return {"query": q, "tokens": tokens, "total": len(scored), "items": items, "next_cursor": nxt}

    @router.get("/terms")
    def terms(session: DB, term: Annotated[str, Query(min_length=1, max_length=100)]) -> dict:
        """How often a term is written in each document, and per year; its rank among the document's keywords."""
        items, years = [], {}
        for d in reads.documents_containing(session=session, term=term):
            count = d.text.count(term)
            if not count:
                continue  # LIKE folds ASCII case; counting does not
            keywords = d.keywords or []
            items.append({"document_id": d.id, "source_name": d.source_name, "title": d.title, "region": d.region,
                          "doc_type": d.doc_type, "year": d.plan_year, "review_year": d.review_year,
                          "count": count, "per_10k_chars": round(count * 10_000 / max(len(d.text), 1), 2),
                          "keyword_rank": keywords.index(term) + 1 if term in keywords else None})
            if d.plan_year is not None:
                y = years.setdefault(d.plan_year, {"year": d.plan_year, "documents": 0, "count": 0})
                y["documents"] += 1
                y["count"] += count
        return {"term": term, "items": items, "by_year": [years[y] for y in sorted(years)], "next_cursor": None}

    @router.get("/tasks")
    def tasks(session: DB, limit: Limit = 100, cursor: str | None = None, document_id: str | None = None,
              lead_unit: str | None = None, q: str | None = None):
        """Key tasks with lead units and progress, each linked to the work-report paragraph it tracks."""
        after = decode_cursor(cursor)
        rows = reads.tasks_page(session=session, limit=limit, after=after, document_id=document_id,
                                lead_unit=lead_unit, q=q)
        tables = reads.documents_by_id(session=session, ids={t.document_id for t in rows})
        links: dict[int, dict | None] = {}
        reports: dict[str, object] = {}
        for t in rows:
            table = tables.get(t.document_id)
            if t.document_id not in reports:
                reports[t.document_id] = reads.work_report_for(session=session, region=table and table.region,
                                                               year=table and table.plan_year)
            report = reports[t.document_id]
            links[t.id] = None
            if report is None:
                continue
            index, where = indexes.get(session, report)
            best = index.best(t.text)
            if best:
                ordinal, start, end = where[best[0]]
                links[t.id] = {"document_id": report.id, "source_name": report.source_name, "paragraph": ordinal,
                               "start": start, "end": end, "score": best[1],
                               "excerpt": (report.text or "")[start:end][:200]}
        items = [{"id": t.id, "document_id": t.document_id, "number": t.number, "text": t.text,
                  "lead_units": t.lead_units or [], "leader": t.leader, "progress": t.progress,
                  "next_steps": t.next_steps, "report_paragraph": links[t.id]} for t in rows]
        nxt = encode_cursor(rows[-1].id) if len(rows) == limit else None
        return PlainJSON({"items": items, "next_cursor": nxt})

    return router
