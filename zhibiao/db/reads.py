"""What the gateway reads: keyset-paginated queries with the contract's filters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhibiao.db import models


def page_documents(*, session: Session, limit: int, after: str | None, status: str | None = None,
                   region: str | None = None, year: int | None = None,
                   doc_type: str | None = None) -> Sequence[models.Document]:
    """Documents ordered by id; `after` is the last id of the previous page."""
    q = select(models.Document).order_by(models.Document.id).limit(limit)
    if after:
        q = q.where(models.Document.id > after)
    if status:
        q = q.where(models.Document.status == status)
    if region:
        q = q.where(models.Document.region == region)
    if year is not None:
        q = q.where(or_(models.Document.plan_year == year, models.Document.review_year == year))
    if doc_type:
        q = q.where(models.Document.doc_type == doc_type)
    return session.scalars(q).all()


def page_facts(*, session: Session, limit: int, after: int | None, **filters) -> Sequence[models.Fact]:
    """Facts ordered by id; filters are exact matches on Fact columns."""
    q = select(models.Fact).order_by(models.Fact.id).limit(limit)
    if after is not None:
        q = q.where(models.Fact.id > after)
    for column, value in filters.items():
        if value is not None:
            q = q.where(getattr(models.Fact, column) == value)
    return session.scalars(q).all()


def sections_of(*, session: Session, document_id: str) -> Sequence[models.Section]:
    q = select(models.Section).where(models.Section.document_id == document_id).order_by(models.Section.ordinal)
    return session.scalars(q).all()


def fact_counts_by_indicator(*, session: Session) -> dict[str, int]:
    q = select(models.Fact.indicator, func.count()).group_by(models.Fact.indicator)
    return dict(session.execute(q).all())
