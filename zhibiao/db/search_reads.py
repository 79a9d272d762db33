"""What search and the key-task table read: paragraphs by token with document filters,
document texts for phrases and snippets, and key tasks with filters the database cannot apply."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhibiao.db import models
from zhibiao.db.reads import _has_token, _like_escaped


def region_matches(column, region: str):
    """A region and the divisions inside it: 杭州 finds 杭州市, 杭州市 finds 杭州市滨江区
    (full official names begin with their parent's)."""
    return column.like(_like_escaped(region) + "%", escape="\\")


def paragraphs_matching(*, session: Session, tokens: list[str], document_id: str | None = None,
                        region: str | None = None, year: int | None = None, doc_type: str | None = None,
                        cap: int = 20_000) -> Sequence:
    """Rows (id, document_id, ordinal, start, end, tokens, token_count) holding every token, of
    documents matching the filters (year is the year a report plans for)."""
    P, D = models.Paragraph, models.Document
    q = (select(P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count)
         .where(_has_token(session, tokens)).order_by(P.id).limit(cap))
    if document_id:
        q = q.where(P.document_id == document_id)
    if region or year is not None or doc_type:
        q = q.join(D, D.id == P.document_id)
        if region:
            q = q.where(region_matches(D.region, region))
        if year is not None:
            q = q.where(D.plan_year == year)
        if doc_type:
            q = q.where(D.doc_type == doc_type)
    return session.execute(q).all()


def document_texts(*, session: Session, ids: set[str]) -> dict[str, str]:
    """The cleaned text of each document, by id."""
    if not ids:
        return {}
    rows = session.execute(select(models.Document.id, models.Document.text).where(models.Document.id.in_(ids)))
    return {r.id: r.text or "" for r in rows}


def _task_rows(session: Session, *, after: int | None, document_id: str | None, leader: str | None,
               q: str | None) -> Iterator[models.Task]:
    """Tasks ordered by id from `after` on, in batches, with the filters the database applies."""
    T = models.Task
    cursor = after
    while True:
        stmt = select(T).order_by(T.id).limit(500)
        if cursor is not None:
            stmt = stmt.where(T.id > cursor)
        if document_id:
            stmt = stmt.where(T.document_id == document_id)
        if leader:
            stmt = stmt.where(T.leader.like("%" + _like_escaped(leader) + "%", escape="\\"))
        if q:
            like = "%" + _like_escaped(q) + "%"
            stmt = stmt.where(or_(T.text.like(like, escape="\\"), T.progress.like(like, escape="\\"),
                                  T.next_steps.like(like, escape="\\"), T.leader.like(like, escape="\\")))
        batch = session.scalars(stmt).all()
        if not batch:
            return
        yield from batch
        cursor = batch[-1].id


def tasks(*, session: Session, limit: int | None = None, after: int | None = None, document_id: str | None = None,
          leader: str | None = None, q: str | None = None,
          keep: Callable[[models.Task], bool] = lambda _t: True) -> list[models.Task]:
    """Tasks ordered by id (at most `limit`, after id `after`): leader and q match any part of
    their text; `keep` filters on what the database cannot read (lead units are JSON, whose text
    form differs by database; the progress status is derived)."""
    out: list[models.Task] = []
    for t in _task_rows(session, after=after, document_id=document_id, leader=leader, q=q):
        if keep(t):
            out.append(t)
            if limit is not None and len(out) >= limit:
                break
    return out
