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


def order_key(year: int | None, source_name: str, document_id: str) -> tuple:
    """Where a document stands in a term's list: by plan year (unknown last), then name."""
    return (year is None, year or 0, source_name, document_id)


def term_years(counts: Iterable[Any]) -> list[TermInYear]:
    """Per plan year, oldest first, the documents writing the term and how often, from rows
    (plan_year, occurrences) of every document that writes it."""
    years: dict[int, TermInYear] = {}
    for d in counts:
        if d.plan_year is not None and d.occurrences:
            y = years.setdefault(d.plan_year, {"year": d.plan_year, "documents": 0, "count": 0})
            y["documents"] += 1
            y["count"] += d.occurrences
    return [years[y] for y in sorted(years)]


def term_in_document(d: Any, term: str, count: int) -> TermInDocument:
    """A document's row (id, source_name, title, region, doc_type, plan_year, review_year,
    keywords, chars: its length in characters) with how often it writes the term."""
    keywords = d.keywords or []
    return {
        "document_id": d.id,
        "source_name": d.source_name,
        "title": d.title,
        "region": d.region,
        "doc_type": d.doc_type,
        "year": d.plan_year,
        "review_year": d.review_year,
        "count": count,
        "per_10k_chars": round(count * 10_000 / max(d.chars or 0, 1), 2),
        "keyword_rank": keywords.index(term) + 1 if term in keywords else None,
    }
