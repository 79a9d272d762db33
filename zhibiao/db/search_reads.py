"""What search and the key-task table read: paragraphs by token with document filters,
document texts for phrases and snippets, and key tasks with filters the database cannot apply."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import Float, Integer, Row, and_, case, cast, func, literal, or_, select, text
from sqlalchemy.orm import Session

from zhibiao.db import models
from zhibiao.db.reads import _like_escaped, _like_token, _tsquery
from zhibiao.domain import search_text


def region_matches(column, region: str):
    """A region and the divisions inside it: 杭州 finds 杭州市, 杭州市 finds 杭州市滨江区
    (full official names begin with their parent's)."""
    return column.like(_like_escaped(region) + "%", escape="\\")


def paragraphs_matching(
    *,
    session: Session,
    tokens: list[str],
    document_id: str | None = None,
    region: str | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    cap: int = 20_000,
) -> Sequence:
    """Rows (id, document_id, ordinal, start, end, tokens, token_count) holding every token, of
    documents matching the filters (year is the year a report plans for)."""
    P = models.Paragraph
    q = (
        select(P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count)
        .where(indexed(session, tokens))
        .order_by(P.id)
        .limit(cap)
    )
    return session.execute(_filtered(q, document_id=document_id, region=region, year=year, doc_type=doc_type)).all()


# --- search through the index -------------------------------------------------------------
# SQLite asks its FTS5 table of the paragraphs' tokens (migration 0009), PostgreSQL the GIN
# index of their tsvector (0003); either finds the candidates, the exact " token " test runs on
# those alone. BM25 is computed by the database from per-token constants (idf), so only the
# page's rows come back, in the order search_text.rank gives them.


def _fts_query(tokens: list[str]) -> str:
    return " ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def indexed(session: Session, tokens: list[str]):
    """A WHERE clause true for the paragraphs holding every token, found through the index. The
    tsvector holds exactly the tokens; FTS5 cuts a token with punctuation (3.5, covid-19) into
    parts, so for such a token the paragraph's own " token " is checked as well."""
    P = models.Paragraph
    if session.get_bind().dialect.name == "postgresql":
        return text("paragraphs.tokens_tsv @@ CAST(:tsq AS tsquery)").bindparams(tsq=_tsquery(tokens))
    fts = text("SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH :fts").bindparams(fts=_fts_query(tokens))
    exact = [P.tokens.like(_like_token(t), escape="\\") for t in tokens if not t.isalnum()]
    return and_(P.id.in_(fts), *exact)


def _filtered(q, *, document_id: str | None, region: str | None, year: int | None, doc_type: str | None):
    P, D = models.Paragraph, models.Document
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
    return q


class _CorpusStats:
    """What BM25 needs of the whole corpus: paragraphs, mean length, paragraphs per token.
    Counting them reads every paragraph (or every one holding a common word), so they are kept
    while no paragraph was added (the largest id is the same) and for STATS_SECONDS at most."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.at = 0.0
        self.total, self.avg = 0, 0.0
        self.df: dict[str, int] = {}
        self.lock = threading.Lock()

    def current(self, session: Session) -> _CorpusStats:
        P = models.Paragraph
        key = (str(session.get_bind().url), session.scalar(select(func.max(P.id))))
        with self.lock:
            if key == self.key and time.monotonic() - self.at < STATS_SECONDS:
                return self
        total, avg = session.execute(select(func.count(), func.avg(P.token_count))).one()
        with self.lock:
            self.key, self.at, self.total, self.avg, self.df = key, time.monotonic(), total or 0, float(avg or 0), {}
        return self


_STATS = _CorpusStats()
STATS_SECONDS = 60.0


def corpus_stats(*, session: Session) -> tuple[int, float]:
    """(paragraph count, mean tokens per paragraph)."""
    stats = _STATS.current(session)
    return stats.total, stats.avg


def token_documents(*, session: Session, tokens: list[str]) -> dict[str, int]:
    """Paragraphs holding each token, counted through the index (and kept with corpus_stats)."""
    P = models.Paragraph
    stats = _STATS.current(session)
    out = {}
    for t in tokens:
        n = stats.df.get(t)
        if n is None:
            n = session.scalar(select(func.count()).select_from(P).where(indexed(session, [t]))) or 0
            if len(stats.df) < 10_000:
                stats.df[t] = n
        out[t] = n
    return out


def ranked_paragraphs(
    *,
    session: Session,
    tokens: list[str],
    limit: int,
    offset: int = 0,
    document_id: str | None = None,
    region: str | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    cap: int = 20_000,
) -> tuple[list[tuple[float, Row]], int]:
    """The page [offset, offset + limit) of paragraphs holding every token, best first
    (search_text.rank: BM25, doubled for the words side by side), as (score, row); and how many
    paragraphs match (at most `cap`)."""
    P = models.Paragraph
    total, avg = corpus_stats(session=session)
    df = token_documents(session=session, tokens=tokens)
    k1, b = 1.2, 0.75
    norm = k1 * (1 - b) + (k1 * b / max(avg, 1.0)) * cast(P.token_count, Float)
    # a token's count is what replacing it shortens the text by; PostgreSQL's octet_length reads
    # the header where length would count the characters (SQLite's length is cheap)
    pg = session.get_bind().dialect.name == "postgresql"
    size = func.octet_length if pg else func.length
    score = literal(0.0)
    for t in tokens:
        needle = f" {t} "
        width = (len(needle.encode()) if pg else len(needle)) - 1
        tf = cast(size(P.tokens) - size(func.replace(P.tokens, needle, " ")), Float) / width
        idf = math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5))
        score = score + idf * (k1 + 1) * tf / (tf + norm)  # 0 where the token is not: no CASE
    if len(tokens) > 1:
        phrase = P.tokens.like(_like_token(" ".join(tokens)), escape="\\")
        score = score * case((phrase, search_text.PHRASE_BOOST), else_=1.0)
    matching = _filtered(
        select(P.id).where(indexed(session, tokens)),
        document_id=document_id,
        region=region,
        year=year,
        doc_type=doc_type,
    )
    count = session.scalar(select(func.count()).select_from(matching.limit(cap).subquery())) or 0
    if offset >= count:
        return [], count
    q = _filtered(
        select(P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count, score.label("score")).where(
            indexed(session, tokens)
        ),
        document_id=document_id,
        region=region,
        year=year,
        doc_type=doc_type,
    )
    # a little past the page: the database's float sums may order near-ties differently from Python's
    rows = session.execute(q.order_by(score.desc(), P.id).limit(offset + limit + 20)).all()
    scored = sorted(
        ((search_text.rank(r.tokens, r.token_count, tokens, df=df, total=total, avg_length=avg), r) for r in rows),
        key=lambda sr: (-sr[0], sr[1].id),
    )
    return scored[offset : offset + limit], count


def text_spans(*, session: Session, spans: set[tuple[str, int, int]]) -> dict[tuple[str, int, int], str]:
    """document text[start:end] for each (document_id, start, end), sliced by the database: one
    query per document, not the whole text of each."""
    D = models.Document
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for document_id, start, end in spans:
        by_doc.setdefault(document_id, []).append((start, end))
    out = {}
    for document_id, cuts in by_doc.items():
        for i in range(0, len(cuts), 200):
            part = cuts[i : i + 200]
            row = session.execute(
                select(*(func.substr(D.text, s + 1, e - s) for s, e in part)).where(D.id == document_id)
            ).first()
            for j, (s, e) in enumerate(part):
                out[(document_id, s, e)] = (row[j] if row else "") or ""
    return out


def document_texts(*, session: Session, ids: set[str]) -> dict[str, str]:
    """The cleaned text of each document, by id."""
    if not ids:
        return {}
    rows = session.execute(select(models.Document.id, models.Document.text).where(models.Document.id.in_(ids)))
    return {r.id: r.text or "" for r in rows}


def _task_rows(
    session: Session, *, after: int | None, document_id: str | None, leader: str | None, q: str | None
) -> Iterator[models.Task]:
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
            stmt = stmt.where(
                or_(
                    T.text.like(like, escape="\\"),
                    T.progress.like(like, escape="\\"),
                    T.next_steps.like(like, escape="\\"),
                    T.leader.like(like, escape="\\"),
                )
            )
        batch = session.scalars(stmt).all()
        if not batch:
            return
        yield from batch
        cursor = batch[-1].id


def tasks(
    *,
    session: Session,
    limit: int | None = None,
    after: int | None = None,
    document_id: str | None = None,
    leader: str | None = None,
    q: str | None = None,
    keep: Callable[[models.Task], bool] = lambda _t: True,
) -> list[models.Task]:
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


def term_documents(*, session: Session, term: str, tokens: list[str]) -> Sequence:
    """Done documents whose text holds `term`, with how often (occurrences) and their length in
    characters, counted by the database: rows (id, source_name, title, region, doc_type,
    plan_year, review_year, keywords, occurrences, chars). The candidates are the documents with a
    paragraph holding the term's jieba words (`tokens`), found through the index; without
    words (punctuation alone) every text is read."""
    D, P = models.Document, models.Paragraph
    # a multiple of len(term): the division is exact, the cast only keeps it an integer
    occurrences = cast((func.length(D.text) - func.length(func.replace(D.text, term, ""))) / len(term), Integer)
    q = (
        select(
            D.id,
            D.source_name,
            D.title,
            D.region,
            D.doc_type,
            D.plan_year,
            D.review_year,
            D.keywords,
            occurrences.label("occurrences"),
            func.length(D.text).label("chars"),
        )
        .where(D.text.like("%" + _like_escaped(term) + "%", escape="\\"))
        .order_by(D.plan_year, D.source_name)
    )
    if not tokens:
        return session.execute(q).all()
    # the ids first: given a subquery, PostgreSQL misjudges the LIKE and reads every text
    ids = set(session.scalars(select(P.document_id).where(indexed(session, tokens)).distinct()))
    return session.execute(q.where(D.id.in_(ids))).all() if ids else []
