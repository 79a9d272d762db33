"""How often a term is written: in each document, and per year."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from typing_extensions import TypedDict  # see series.py


class TermInDocument(TypedDict):
    document_id: str
    source_name: str
    title: str | None
    region: str | None
    doc_type: str | None
    year: int | None  # the document's plan year
    review_year: int | None
    count: int
    per_10k_chars: float
    keyword_rank: int | None  # 1 = the document's first keyword


class TermInYear(TypedDict):
    year: int
    documents: int
    count: int


def term_usage(documents: Iterable[Any], term: str) -> tuple[list[TermInDocument], list[TermInYear]]:
    """Per document (rows with id, source_name, title, region, doc_type, plan_year,
    review_year, keywords, and either text or occurrences and chars: how often the text writes the
    term and how many characters it has) and per plan year, oldest first."""
    items, years = [], {}
    for d in documents:
        text = getattr(d, "text", None)
        count, length = (text.count(term), len(text)) if text is not None else (d.occurrences or 0, d.chars or 0)
        if not count:
            continue  # a database's LIKE may fold ASCII case; counting does not
        keywords = d.keywords or []
        items.append(
            {
                "document_id": d.id,
                "source_name": d.source_name,
                "title": d.title,
                "region": d.region,
                "doc_type": d.doc_type,
                "year": d.plan_year,
                "review_year": d.review_year,
                "count": count,
                "per_10k_chars": round(count * 10_000 / max(length, 1), 2),
                "keyword_rank": keywords.index(term) + 1 if term in keywords else None,
            }
        )
        if d.plan_year is not None:
            y = years.setdefault(d.plan_year, {"year": d.plan_year, "documents": 0, "count": 0})
            y["documents"] += 1
            y["count"] += count
    return items, [years[y] for y in sorted(years)]
