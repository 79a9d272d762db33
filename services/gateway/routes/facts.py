"""Facts, and the indicator catalogue they are filed under."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from services.gateway import exports
from services.gateway.deps import Format, Limit, SessionDep
from services.gateway.paging import decode_cursor, page, row
from services.gateway.responses import PlainJSON
from services.gateway.schemas import Fact, Indicator, Page, names
from zhibiao.db import reads
from zhibiao.domain.indicators import list_indicators

router = APIRouter(prefix="/v1", tags=["facts"])


@router.get("/facts", response_model=Page[Fact])
def list_facts(session: SessionDep, limit: Limit = 100, cursor: str | None = None, document_id: str | None = None,
               indicator: str | None = None, region: str | None = None, period: str | None = None,
               kind: str | None = None, measure: str | None = None, format: Format = "json") -> Response:
    """Facts; with format=csv|xlsx every matching fact, as a download (limit and cursor unused)."""
    filters = {"document_id": document_id, "indicator": indicator, "region": region, "period": period,
               "kind": kind, "measure": measure}
    if format != "json":
        rows = [row(f, names(Fact)) for f in reads.all_facts(session=session, **filters)]
        return exports.download(rows, names(Fact), fmt=format, name="facts")
    rows = reads.page_facts(session=session, limit=limit, after=decode_cursor(cursor), **filters)
    return PlainJSON(page(rows, limit, names(Fact), "id"))


@router.get("/indicators", response_model=Page[Indicator])
def indicator_catalogue(session: SessionDep) -> Response:
    counts = reads.fact_counts_by_indicator(session=session)
    items = [{**entry, "facts": counts.get(entry["code"], 0)} for entry in list_indicators()]
    return PlainJSON({"items": items, "next_cursor": None})
