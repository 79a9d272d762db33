"""What the gateway reads: keyset-paginated queries with the contract's filters."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, Select, and_, case, func, or_, select, text
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


def _facts_where(**filters) -> Select:
    """Facts ordered by id; filters are exact matches on Fact columns, None for any."""
    q = select(models.Fact).order_by(models.Fact.id)
    for column, value in filters.items():
        if value is not None:
            q = q.where(getattr(models.Fact, column) == value)
    return q


def page_facts(*, session: Session, limit: int, after: int | None, **filters) -> Sequence[models.Fact]:
    """Facts ordered by id; `after` is the last id of the previous page."""
    q = _facts_where(**filters).limit(limit)
    if after is not None:
        q = q.where(models.Fact.id > after)
    return session.scalars(q).all()


def sections_of(*, session: Session, document_id: str) -> Sequence[models.Section]:
    q = select(models.Section).where(models.Section.document_id == document_id).order_by(models.Section.ordinal)
    return session.scalars(q).all()


def timeline_of(*, session: Session, document_id: str) -> Sequence[models.DocumentEvent]:
    """What happened to a document, oldest first: received, extraction started, stored or failed."""
    q = (select(models.DocumentEvent).where(models.DocumentEvent.document_id == document_id)
         .order_by(models.DocumentEvent.at, models.DocumentEvent.id))
    return session.scalars(q).all()


def fact_counts_by_indicator(*, session: Session) -> dict[str, int]:
    q = select(models.Fact.indicator, func.count()).group_by(models.Fact.indicator)
    return dict(session.execute(q).all())


# --- analytics: series, attainment, search, terms, tasks ---------------------------------

_DOC_COLUMNS = (models.Document.source_name, models.Document.plan_year.label("doc_year"),
                models.Document.review_year, models.Document.title)


def facts_with_documents(*, session: Session, indicator: str | None = None, region: str | None = None,
                         measure: str | None = None, kind: str | None = None) -> list[dict]:
    """Facts as dicts with their document's source_name, plan year (doc_year) and review year;
    only facts of a known region, since series and attainment are a region's."""
    q = (select(models.Fact, *_DOC_COLUMNS).join(models.Document, models.Document.id == models.Fact.document_id)
         .where(models.Fact.region.is_not(None)).order_by(models.Fact.id))
    for column, value in (("indicator", indicator), ("region", region), ("measure", measure), ("kind", kind)):
        if value:
            q = q.where(getattr(models.Fact, column) == value)
    out = []
    for fact, source_name, doc_year, review_year, title in session.execute(q):
        row = {c.name: getattr(fact, c.name) for c in models.Fact.__table__.columns}
        row.update(source_name=source_name, doc_year=doc_year, review_year=review_year, title=title)
        out.append(row)
    return out


def all_facts(*, session: Session, **filters) -> Sequence[models.Fact]:
    """Every fact matching exact filters, for exports."""
    return session.scalars(_facts_where(**filters)).all()


def _tsquery(tokens: list[str]) -> str:
    return " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in tokens)


def _like_escaped(literal: str) -> str:
    """`literal` as part of a LIKE pattern with ESCAPE '\\': its % and _ match themselves."""
    return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_token(token: str) -> str:
    return "% " + _like_escaped(token) + " %"


def _has_token(session: Session, tokens: list[str]):
    """A WHERE clause true for paragraphs holding every token. PostgreSQL matches the stored
    tsvector of exactly these tokens (migration 0003); SQLite looks for " token " in the text."""
    if session.get_bind().dialect.name == "postgresql":
        return text("paragraphs.tokens_tsv @@ CAST(:tsq AS tsquery)").bindparams(tsq=_tsquery(tokens))
    return and_(*(models.Paragraph.tokens.like(_like_token(t), escape="\\") for t in tokens))


def paragraph_stats(*, session: Session, tokens: list[str]) -> tuple[int, float, dict[str, int]]:
    """(paragraph count, mean tokens per paragraph, paragraphs holding each token), in one scan."""
    P = models.Paragraph
    holding = [func.sum(case((_has_token(session, [t]), 1), else_=0)) for t in tokens]
    total, avg, *df = session.execute(select(func.count(), func.avg(P.token_count), *holding)).one()
    return total or 0, float(avg or 0.0), {t: int(n or 0) for t, n in zip(tokens, df, strict=True)}


def paragraphs_matching(*, session: Session, tokens: list[str], document_id: str | None = None,
                        cap: int = 20_000) -> Sequence:
    """Rows (id, document_id, ordinal, start, end, tokens, token_count) holding every token."""
    P = models.Paragraph
    q = (select(P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count)
         .where(_has_token(session, tokens)).order_by(P.id).limit(cap))
    if document_id:
        q = q.where(P.document_id == document_id)
    return session.execute(q).all()


def text_slices(*, session: Session, spans: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], str]:
    """document text[start:end] for each (document_id, start, end), sliced by the database."""
    out = {}
    for document_id, start, end in spans:
        q = select(func.substr(models.Document.text, start + 1, end - start)).where(models.Document.id == document_id)
        out[(document_id, start, end)] = session.scalar(q) or ""
    return out


def documents_by_id(*, session: Session, ids: set[str]) -> dict[str, Row]:
    """(id, source_name, title, region, plan_year, review_year, doc_type) of each document."""
    if not ids:
        return {}
    rows = session.execute(select(models.Document.id, models.Document.source_name, models.Document.title,
                                  models.Document.region, models.Document.plan_year, models.Document.review_year,
                                  models.Document.doc_type).where(models.Document.id.in_(ids))).all()
    return {r.id: r for r in rows}


def documents_containing(*, session: Session, term: str) -> Sequence:
    """Done documents whose text holds `term`, with their text and keywords."""
    D = models.Document
    pattern = "%" + _like_escaped(term) + "%"
    q = (select(D.id, D.source_name, D.title, D.region, D.doc_type, D.plan_year, D.review_year, D.text, D.keywords)
         .where(D.text.like(pattern, escape="\\")).order_by(D.plan_year, D.source_name))
    return session.execute(q).all()


def tasks_page(*, session: Session, limit: int, after: int | None, document_id: str | None = None,
               lead_unit: str | None = None, q: str | None = None) -> list[models.Task]:
    """Tasks ordered by id. lead_unit matches any part of a unit's name (财政 finds 市财政局):
    lead_units is JSON, whose text form differs by database, so that filter runs here."""
    T = models.Task
    out: list[models.Task] = []
    cursor = after
    while len(out) < limit:
        stmt = select(T).order_by(T.id).limit(500)
        if cursor is not None:
            stmt = stmt.where(T.id > cursor)
        if document_id:
            stmt = stmt.where(T.document_id == document_id)
        if q:
            like = "%" + _like_escaped(q) + "%"
            stmt = stmt.where(or_(T.text.like(like, escape="\\"), T.progress.like(like, escape="\\"),
                                  T.next_steps.like(like, escape="\\"), T.leader.like(like, escape="\\")))
        batch = session.scalars(stmt).all()
        if not batch:
            break
        out += [t for t in batch if not lead_unit or any(lead_unit in u for u in t.lead_units or [])]
        cursor = batch[-1].id
    return out[:limit]


def work_report_for(*, session: Session, region: str | None, year: int | None) -> models.Document | None:
    """The work report of a region for a plan year: what that year's key tasks come from."""
    if not region or year is None:
        return None
    D = models.Document
    q = (select(D).where(D.doc_type == "work_report", D.region == region, D.plan_year == year, D.status == "done")
         .order_by(D.processed_at.desc()).limit(1))
    return session.scalars(q).first()


def paragraph_tokens(*, session: Session, document_id: str) -> Sequence:
    """(id, ordinal, start, end, tokens) of a document's paragraphs, in order."""
    P = models.Paragraph
    q = select(P.id, P.ordinal, P.start, P.end, P.tokens).where(P.document_id == document_id).order_by(P.ordinal)
    return session.execute(q).all()
