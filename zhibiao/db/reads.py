"""What the gateway reads: keyset-paginated queries with the contract's filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, Select, and_, case, func, literal_column, or_, select, text
from sqlalchemy.orm import Session, defer

from zhibiao.db import models


@dataclass(frozen=True)
class DocumentFilter:
    """What GET /v1/documents asks for; None (or empty) for any."""

    status: str | None = None
    regions: tuple[str, ...] | None = None  # any of these full names (the gateway resolves a query to them)
    year: int | None = None
    doc_type: str | None = None
    admin_level: str | None = None

    def clauses(self) -> list:
        D = models.Document
        out = []
        for column in ("status", "doc_type", "admin_level"):
            if getattr(self, column):
                out.append(getattr(D, column) == getattr(self, column))
        if self.regions is not None:
            out.append(D.region.in_(self.regions))
        if self.year is not None:
            out.append(or_(D.plan_year == self.year, D.review_year == self.year))
        return out


# sort names the API takes -> columns; id breaks every tie, so a page boundary is exact
DOCUMENT_SORTS = {
    "id": (models.Document.id,),
    "received_at": (models.Document.received_at,),
    "year": (models.Document.plan_year,),
    "region": (models.Document.region,),
    "source_name": (models.Document.source_name,),
    "status": (models.Document.status,),
}


def page_documents(
    *,
    session: Session,
    limit: int,
    after: str | None = None,
    offset: int = 0,
    where: DocumentFilter = DocumentFilter(),
    sort: str = "id",
) -> Sequence[models.Document]:
    """Documents in `sort` order (a DOCUMENT_SORTS name, "-" first for descending); by id
    `after` is the last id of the previous page, any other order pages by `offset`."""
    # the text (tens of KB a report) is read when asked for, not for every row of a list
    q = select(models.Document).options(defer(models.Document.text)).where(*where.clauses()).limit(limit)
    q = q.order_by(*_ordering(DOCUMENT_SORTS, sort, models.Document.id))
    if sort == "id" and after:
        q = q.where(models.Document.id > after)
    elif offset:
        q = q.offset(offset)
    return session.scalars(q).all()


def count_documents(*, session: Session, where: DocumentFilter = DocumentFilter()) -> int:
    return session.scalar(select(func.count()).select_from(models.Document).where(*where.clauses())) or 0


def documents_with_prefix(*, session: Session, prefix: str, limit: int) -> Sequence[models.Document]:
    """Documents whose id starts with `prefix`, at most `limit` of them."""
    q = (
        select(models.Document)
        .where(models.Document.id.like(_like_escaped(prefix) + "%", escape="\\"))
        .order_by(models.Document.id)
        .limit(limit)
    )
    return session.scalars(q).all()


def region_stored(*, session: Session, table: type[models.Fact | models.Document]) -> Callable[[str], bool]:
    """Whether a row of `table` names a region: one probe of its region index, asked only for
    a region query the division table does not know."""

    def stored(region: str) -> bool:
        return session.scalar(select(table.id).where(table.region == region).limit(1)) is not None

    return stored


def _ordering(sorts: dict, sort: str, tie) -> list:
    columns = sorts[sort.lstrip("-")]
    if sort.startswith("-"):
        return [*(c.desc() for c in columns), tie.desc()]
    return [*columns, tie]


UNCATALOGUED = "none"  # FactFilter.indicator for the figures outside the catalogue


@dataclass(frozen=True)
class FactFilter:
    """What GET /v1/facts (and its exports) ask for; None (or empty) for any.

    `subject` matches a fact's subject when the subject holds the query as written or every
    one of `subject_tokens` (the query's jieba tokens), case-insensitively: 5G基站 finds
    新增5G基站, 老旧小区 改造 finds 城镇老旧小区改造. `value_gte` and `value_lte` bound the
    whole figure: a range 4.5–5 is >= 4.5 and <= 5, so value_gte=5 leaves it out."""

    document_id: str | None = None  # a full id, or a prefix of one
    indicator: str | None = None  # a code, or UNCATALOGUED
    regions: tuple[str, ...] | None = None
    admin_level: str | None = None  # the level of the fact's region (facts.admin_level)
    period: str | tuple[str, ...] | None = None  # a tuple: any of these periods
    kind: str | None = None
    measure: str | None = None
    subject: str | None = None
    subject_tokens: tuple[str, ...] = ()
    value_gte: float | None = None
    value_lte: float | None = None
    # another copy of a report (documents.duplicate_of) repeats its facts: left out unless asked
    # for, or unless its document is
    include_duplicates: bool = False

    def clauses(self) -> list:
        F = models.Fact
        out = []
        if self.document_id:
            out.append(
                F.document_id == self.document_id
                if len(self.document_id) == 64
                else F.document_id.like(_like_escaped(self.document_id) + "%", escape="\\")
            )
        elif not self.include_duplicates:
            # > '' is IS NOT NULL for ids, and what SQLite reads through ix_documents_duplicate_of
            copies = select(models.Document.id).where(models.Document.duplicate_of > "")
            out.append(F.document_id.not_in(copies))
        if self.indicator == UNCATALOGUED:
            out.append(F.indicator.is_(None))
        elif self.indicator:
            out.append(F.indicator == self.indicator)
        if self.regions is not None:
            out.append(F.region.in_(self.regions))
        if self.admin_level:
            out.append(F.admin_level == self.admin_level)
        if isinstance(self.period, tuple):
            out.append(F.period.in_(self.period))
        for column in ("period", "kind", "measure"):
            if getattr(self, column) and not (column == "period" and isinstance(self.period, tuple)):
                out.append(getattr(F, column) == getattr(self, column))
        if self.subject:
            out.append(subject_matches(self.subject, self.subject_tokens))
        if self.value_gte is not None:
            out.append(F.value >= self.value_gte)
        if self.value_lte is not None:
            out.append(func.coalesce(F.value_max, F.value) <= self.value_lte)
        return out


def subject_matches(subject: str, tokens: tuple[str, ...]):
    """Facts whose subject holds `subject`, or every token of it (see FactFilter)."""
    lowered = func.lower(models.Fact.subject)

    def holds(part: str):
        return lowered.like("%" + _like_escaped(part.lower()) + "%", escape="\\")

    whole = holds(subject.strip())
    return or_(whole, and_(*(holds(t) for t in tokens))) if tokens else whole


FACT_SORTS = {
    "id": (models.Fact.id,),
    "value": (models.Fact.value,),
    "period": (models.Fact.period,),
    "region": (models.Fact.region,),
    "indicator": (models.Fact.indicator,),
    "subject": (models.Fact.subject,),
    "document": (models.Fact.document_id, models.Fact.start),
}


def _facts_where(where: FactFilter, sort: str = "id") -> Select:
    return select(models.Fact).where(*where.clauses()).order_by(*_ordering(FACT_SORTS, sort, models.Fact.id))


def page_facts(
    *,
    session: Session,
    limit: int,
    after: str | None = None,
    offset: int = 0,
    where: FactFilter = FactFilter(),
    sort: str = "id",
    fields: Sequence[str],
) -> Sequence[Row]:
    """Facts in `sort` order (a FACT_SORTS name, "-" first for descending); by id `after` is
    the last id of the previous page, any other order pages by `offset`. Plain rows of the
    `fields` columns, in that order: a page is only read and dumped, and making ORM objects
    of it (identity map, instance state, instrumented attributes) took half its time."""
    F = models.Fact
    q = select(*(getattr(F, name) for name in fields)).where(*where.clauses())
    q = q.order_by(*_ordering(FACT_SORTS, sort, F.id)).limit(limit)
    if sort == "id" and after is not None:
        q = q.where(F.id > after)
    elif offset:
        q = q.offset(offset)
    return session.execute(q).all()


def count_facts(*, session: Session, where: FactFilter = FactFilter(), at_most: int | None = None) -> int:
    """How many facts match, counting no further than `at_most` (None: all of them)."""
    matching = select(literal_column("1")).select_from(models.Fact).where(*where.clauses()).limit(at_most)
    return session.scalar(select(func.count()).select_from(matching.subquery())) or 0


def subject_counts(
    *,
    session: Session,
    limit: int,
    offset: int = 0,
    subject: str | None = None,
    subject_tokens: tuple[str, ...] = (),
    min_documents: int = 1,
) -> tuple[list[Row], int]:
    """The subjects of figures outside the catalogue (clear ones only), most documents first:
    rows (subject, documents, regions, figures), and how many subjects there are in all."""
    F = models.Fact
    documents = func.count(F.document_id.distinct())
    q = (
        select(
            F.subject,
            documents.label("documents"),
            func.count(F.region.distinct()).label("regions"),
            func.count().label("figures"),
        )
        .where(F.indicator.is_(None), F.subject.is_not(None), F.subject_unclear.is_not(True))
        .group_by(F.subject)
        .having(documents >= min_documents)
    )
    if subject:
        q = q.where(subject_matches(subject, subject_tokens))
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.execute(q.order_by(documents.desc(), func.count().desc(), F.subject).limit(limit).offset(offset))
    return list(rows), total


def sections_of(*, session: Session, document_id: str) -> Sequence[models.Section]:
    q = select(models.Section).where(models.Section.document_id == document_id).order_by(models.Section.ordinal)
    return session.scalars(q).all()


def timeline_of(*, session: Session, document_id: str) -> Sequence[models.DocumentEvent]:
    """What happened to a document, oldest first: received, extraction started, stored or failed."""
    q = (
        select(models.DocumentEvent)
        .where(models.DocumentEvent.document_id == document_id)
        .order_by(models.DocumentEvent.at, models.DocumentEvent.id)
    )
    return session.scalars(q).all()


def fact_counts_by_indicator(*, session: Session) -> dict[str, int]:
    q = select(models.Fact.indicator, func.count()).group_by(models.Fact.indicator)
    return dict(session.execute(q).all())


# --- analytics: series, attainment, search, terms, tasks ---------------------------------

_DOC_COLUMNS = (
    models.Document.source_name,
    models.Document.plan_year.label("doc_year"),
    models.Document.review_year,
    models.Document.title,
)


def facts_with_documents(
    *,
    session: Session,
    indicator: str | None = None,
    regions: tuple[str, ...] | None = None,
    measure: str | None = None,
    kind: str | None = None,
    periods: tuple[str, ...] | None = None,
    catalogued: bool = False,
) -> list[dict]:
    """Facts as dicts with their document's source_name, plan year (doc_year) and review year;
    only facts of a known region, since series and attainment are a region's (and with
    `catalogued` only those of an indicator of the catalogue)."""
    F, D = models.Fact, models.Document
    # the facts first, then their documents by id: joined, the planner hashed every document
    # of the archive to keep a few hundred facts' worth
    copies = select(D.id).where(D.duplicate_of > "")  # > '': what ix_documents_duplicate_of answers
    # plain rows, not ORM objects: they are only read into dicts
    q = select(*F.__table__.columns).where(F.region.is_not(None), F.document_id.not_in(copies)).order_by(F.id)
    for column, value in (("indicator", indicator), ("measure", measure), ("kind", kind)):
        if value:
            q = q.where(getattr(F, column) == value)
    if regions is not None:
        q = q.where(F.region.in_(regions))
    if periods is not None:
        q = q.where(F.period.in_(periods))
    if catalogued:
        q = q.where(F.indicator.is_not(None))
    facts = session.execute(q).all()
    docs = {}
    ids = list({f.document_id for f in facts})
    for i in range(0, len(ids), 1000):  # a bounded IN list
        part = select(D.id, *_DOC_COLUMNS).where(D.id.in_(ids[i : i + 1000]))
        docs.update({r.id: r for r in session.execute(part)})
    out = []
    for fact in facts:
        d = docs[fact.document_id]
        row = fact._asdict()
        row.update(source_name=d.source_name, doc_year=d.doc_year, review_year=d.review_year, title=d.title)
        out.append(row)
    return out


def fact_counts_by_region(
    *, session: Session, indicator: str, regions: tuple[str, ...] | None = None, measure: str | None = None
) -> dict[str, int]:
    """How many facts of an indicator each region has (only known regions): what a page of a
    series picks its regions by, read from ix_facts_indicator_region alone."""
    F = models.Fact
    q = select(F.region, func.count()).where(F.indicator == indicator, F.region.is_not(None)).group_by(F.region)
    if measure:
        q = q.where(F.measure == measure)
    if regions is not None:
        q = q.where(F.region.in_(regions))
    return dict(session.execute(q).all())


def fact_period_counts(
    *, session: Session, regions: tuple[str, ...], indicator: str | None = None
) -> dict[tuple[str, str], int]:
    """How many facts each (region, period) of `regions` has: what a page of attainment picks
    its periods by, read from ix_facts_region_period (or ix_facts_indicator_region)."""
    F = models.Fact
    q = select(F.region, F.period, func.count()).where(F.region.in_(regions)).group_by(F.region, F.period)
    if indicator:
        q = q.where(F.indicator == indicator)
    return {(r, p): n for r, p, n in session.execute(q)}


# Each step one probe of ix_facts_region_period for the next region: the distinct regions
# cost one probe per region (a few thousand in a whole country), not a read of every fact.
_FACT_REGIONS = text(
    """
    WITH RECURSIVE walk(region) AS (
        SELECT (SELECT region FROM facts WHERE region IS NOT NULL ORDER BY region LIMIT 1)
        UNION ALL
        SELECT (SELECT f.region FROM facts f WHERE f.region > walk.region ORDER BY f.region LIMIT 1)
        FROM walk WHERE walk.region IS NOT NULL
    )
    SELECT region FROM walk WHERE region IS NOT NULL
    """
)


def fact_regions(*, session: Session) -> list[str]:
    """Every region some fact names."""
    return list(session.scalars(_FACT_REGIONS))


def work_reports(*, session: Session, regions: tuple[str, ...] | None = None) -> list[dict]:
    """(document_id, region, review_year, source_name) of every stored work report: where a
    target's actual would be stated."""
    D = models.Document
    q = select(D.id, D.region, D.review_year, D.source_name).where(
        D.doc_type == "work_report", D.status == "done", D.region.is_not(None), D.duplicate_of.is_(None)
    )
    if regions is not None:
        q = q.where(D.region.in_(regions))
    return [
        {"document_id": r.id, "region": r.region, "review_year": r.review_year, "source_name": r.source_name}
        for r in session.execute(q)
    ]


def all_facts(*, session: Session, where: FactFilter = FactFilter(), sort: str = "id") -> Sequence[models.Fact]:
    """Every fact matching, for exports."""
    return session.scalars(_facts_where(where, sort)).all()


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


def paragraphs_matching(
    *, session: Session, tokens: list[str], document_id: str | None = None, cap: int = 20_000
) -> Sequence:
    """Rows (id, document_id, ordinal, start, end, tokens, token_count) holding every token."""
    P = models.Paragraph
    q = (
        select(P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count)
        .where(_has_token(session, tokens))
        .order_by(P.id)
        .limit(cap)
    )
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
    rows = session.execute(
        select(
            models.Document.id,
            models.Document.source_name,
            models.Document.title,
            models.Document.region,
            models.Document.plan_year,
            models.Document.review_year,
            models.Document.doc_type,
        ).where(models.Document.id.in_(ids))
    ).all()
    return {r.id: r for r in rows}


def documents_containing(*, session: Session, term: str) -> Sequence:
    """Done documents whose text holds `term`, with their text and keywords."""
    D = models.Document
    pattern = "%" + _like_escaped(term) + "%"
    q = (
        select(D.id, D.source_name, D.title, D.region, D.doc_type, D.plan_year, D.review_year, D.text, D.keywords)
        .where(D.text.like(pattern, escape="\\"))
        .order_by(D.plan_year, D.source_name)
    )
    return session.execute(q).all()


def work_report_for(*, session: Session, region: str | None, year: int | None) -> models.Document | None:
    """The work report of a region for a plan year: what that year's key tasks come from."""
    if not region or year is None:
        return None
    D = models.Document
    q = (
        select(D)
        .where(D.doc_type == "work_report", D.region == region, D.plan_year == year, D.status == "done")
        .order_by(D.processed_at.desc())
        .limit(1)
    )
    return session.scalars(q).first()


def paragraph_tokens(*, session: Session, document_id: str) -> Sequence:
    """(id, ordinal, start, end, tokens) of a document's paragraphs, in order."""
    P = models.Paragraph
    q = select(P.id, P.ordinal, P.start, P.end, P.tokens).where(P.document_id == document_id).order_by(P.ordinal)
    return session.execute(q).all()
