"""What search and the key-task table read: paragraphs by token with document filters,
document texts for phrases and snippets, and key tasks with filters the database cannot apply."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from sqlalchemy import (
    Float,
    Integer,
    LargeBinary,
    Row,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
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

    The totals are a sum of the documents' own (migration 0014), read again whenever a
    paragraph or a document came or went. Counting the paragraphs holding a token reads its
    whole index entry (a million paragraphs for a common word at 60,000 documents), so those
    counts are kept until the corpus changed size by DF_DRIFT: a BM25 weight moves by less
    than that, while an ingest adds paragraphs every few seconds."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.total, self.avg = 0, 0.0
        self.df: dict[str, int] = {}
        self.df_total = 0  # the corpus's size when df was counted
        self.lock = threading.Lock()

    def current(self, session: Session) -> _CorpusStats:
        P, D = models.Paragraph, models.Document
        url = str(session.get_bind().url)
        key = (url, session.scalar(select(func.max(P.id))), session.scalar(select(func.count()).select_from(D)))
        with self.lock:
            if key == self.key:
                return self
        total, tokens = session.execute(select(func.sum(D.paragraph_count), func.sum(D.paragraph_tokens))).one()
        total, tokens = int(total or 0), int(tokens or 0)
        with self.lock:
            if self.key is None or self.key[0] != url or abs(total - self.df_total) > DF_DRIFT * self.df_total:
                self.df, self.df_total = {}, total
            self.key, self.total, self.avg = key, total, tokens / total if total else 0.0
        return self


_STATS = _CorpusStats()
DF_DRIFT = 0.01


def corpus_stats(*, session: Session) -> tuple[int, float]:
    """(paragraph count, mean tokens per paragraph)."""
    stats = _STATS.current(session)
    return stats.total, stats.avg


def token_documents(*, session: Session, tokens: list[str]) -> dict[str, int]:
    """Paragraphs holding each token, counted through the index (and kept with corpus_stats)."""
    return _token_counts(session, _STATS.current(session), tokens)


def bm25_figures(*, session: Session, tokens: list[str]) -> tuple[int, float, dict[str, int]]:
    """corpus_stats and token_documents of `tokens` from one look at whether the corpus changed."""
    stats = _STATS.current(session)
    return stats.total, stats.avg, _token_counts(session, stats, tokens)


def _token_counts(session: Session, stats: _CorpusStats, tokens: list[str]) -> dict[str, int]:
    """On PostgreSQL a common token's count is its share among ANALYZE's most common elements
    of the tsvector times the paragraphs: counting it read every paragraph holding it (5 s for
    the 265,000 holding 发展 at 10,000 documents), and BM25 weighs a word by the log of it."""
    P = models.Paragraph
    postgres = session.get_bind().dialect.name == "postgresql"
    unknown = [t for t in tokens if t not in stats.df]
    common = _pg_common_tokens(session, unknown) if postgres and unknown else {}
    out = {}
    for t in tokens:
        n = stats.df.get(t)
        if n is None:
            if t in common:
                n = round(common[t] * stats.total)
            elif not postgres and _index_alone([t], {}):
                # FTS5 counts its own doclist: looking each match up in paragraphs took 25 times
                # longer (250 ms for the 104,000 paragraphs holding 生态 at 10,000 documents)
                fts = text("SELECT count(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH :fts")
                n = session.scalar(fts, {"fts": _fts_query([t])}) or 0
            else:
                n = session.scalar(select(func.count()).select_from(P).where(indexed(session, [t]))) or 0
            if len(stats.df) < 10_000:
                stats.df[t] = n
        out[t] = n
    return out


def _pg_common_tokens(session: Session, tokens: list[str]) -> dict[str, float]:
    """The share of paragraphs holding each of `tokens` that PostgreSQL's statistics know (its
    most common elements: a thousand, for the table's last ANALYZE); the others are absent."""
    # the frequencies end with three summary numbers, which unnest pairs with NULL elements
    rows = session.execute(
        text(
            "SELECT u.token, u.share FROM pg_stats s,"
            " unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS u(token, share)"
            " WHERE s.schemaname = current_schema() AND s.tablename = 'paragraphs'"
            " AND s.attname = 'tokens_tsv' AND u.token = ANY(:tokens)"
        ),
        {"tokens": tokens},
    )
    return {token: share for token, share in rows}


CANDIDATES = 200  # at least this many paragraphs, the database's best, are scored exactly


class Found(NamedTuple):
    """A paragraph search found: where it stands (its tokens served the scoring only)."""

    id: int
    document_id: str
    ordinal: int
    start: int
    end: int


def candidate_pool(depth: int) -> int:
    """How many of the database's best are scored for a page ending at `depth`: at least twice
    that, in steps that double from CANDIDATES, so that the pages of one query share a pool
    (and a kept ranking) until one reaches past half of it."""
    pool = CANDIDATES
    while pool < 2 * depth:
        pool *= 2
    return pool


def ranked_paragraphs(
    *,
    session: Session,
    tokens: list[str],
    depth: int,
    document_id: str | None = None,
    region: str | None = None,
    year: int | None = None,
    doc_type: str | None = None,
    cap: int = 20_000,
) -> tuple[list[tuple[float, Found]], int]:
    """Paragraphs holding every token, best first (search_text.rank: BM25, doubled for the
    words side by side), as (score, paragraph), enough of them for a page ending at `depth`
    (candidate_pool(depth) where that many match); and how many paragraphs match (at most `cap`).

    Scoring every match exactly cost a whole archive ~500 ms (17,000 paragraphs for two common
    words), so the database ranks the matches with its own, cheaper BM25 (SQLite's FTS5 bm25(),
    PostgreSQL's ts_rank over tokens with positions, migration 0010), doubled like ours for the
    words side by side, and only its best (the pool) are scored by search_text.rank. Where
    fewer paragraphs match, every one is scored: the order is exact; past that, a paragraph
    the database ranks far lower than we would could be missed."""
    P = models.Paragraph
    total, avg, df = bm25_figures(session=session, tokens=tokens)
    filters = {"document_id": document_id, "region": region, "year": year, "doc_type": doc_type}
    columns = (P.id, P.document_id, P.ordinal, P.start, P.end, P.tokens, P.token_count)
    k = candidate_pool(depth)
    if session.get_bind().dialect.name == "postgresql":
        # counted by the ranking query itself: a count of its own read every match from the
        # heap a second time (16,000 scattered rows at 10,000 documents). It picks ids only:
        # with the candidates' columns it carried every match's tokens to the sort; their rows
        # are read by id after. OFFSET 0 keeps the scored matches a subquery: flattened, the
        # window held each match's whole tsvector (spilled to disk) and scored it above that.
        matches = select(P.id, _pg_score(tokens).label("score")).where(indexed(session, tokens))
        scored = _filtered(matches, **filters).offset(0).subquery()
        best = session.execute(
            select(scored.c.id, func.count().over().label("matches"))
            .order_by(scored.c.score.desc(), scored.c.id)
            .limit(k)
        ).all()
        count = min(best[0].matches if best else 0, cap)
        rows = {}
        if best:
            found = session.execute(select(*columns).where(P.id.in_([r.id for r in best])))
            rows = {r.id: r for r in found}
    else:
        count = _fts_count(session, tokens, filters, cap)
        rows = {}
        if count:
            if _index_alone(tokens, filters):
                # the ids by FTS5's rank first, their rows after: joined, each match's row was
                # read before the sort (a fifth of the query at 16,000 matches)
                best = text(
                    "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH :fts "
                    "ORDER BY bm25(paragraphs_fts) LIMIT :k"
                )
                ids = {i for q in _fts_queries(tokens) for i in session.scalars(best, {"fts": q, "k": k})}
                rows = {r.id: r for r in session.execute(select(*columns).where(P.id.in_(ids)))}
            else:
                rows = {
                    r.id: r
                    for q in _best(session, tokens, columns)
                    for r in session.execute(_filtered(q, **filters).limit(k))
                }
    scored = sorted(
        (
            (search_text.rank(r.tokens, r.token_count, tokens, df=df, total=total, avg_length=avg), r)
            for r in rows.values()
        ),
        key=lambda sr: (-sr[0], sr[1].id),
    )
    return [(score, Found(r.id, r.document_id, r.ordinal, r.start, r.end)) for score, r in scored], count


def _pg_score(tokens: list[str]):
    """PostgreSQL's rank of a paragraph holding every token: ts_rank over its tokens with
    positions (migration 0010), doubled like search_text.rank for the words side by side."""
    # '|': ts_rank sums each word's weight by how often it stands (with '&' it would
    # weigh the distances between them); normalisation 1 divides by the log of the length
    lowered = [t.lower() for t in tokens]
    ranks = cast(literal(_tsquery(lowered).replace(" & ", " | ")), TSQUERY)
    score = func.ts_rank(literal_column("paragraphs.tokens_ranked"), ranks, 1, type_=Float)
    if len(tokens) > 1:  # the words side by side: the tsvector's positions tell, a LIKE cost 3 times more
        phrase = cast(literal(_tsquery(lowered).replace(" & ", " <-> ")), TSQUERY)
        side_by_side = literal_column("paragraphs.tokens_ranked").op("@@")(phrase)
        score = score * case((side_by_side, search_text.PHRASE_BOOST), else_=1.0)
    return score


def _fts_count(session: Session, tokens: list[str], filters: dict, cap: int) -> int:
    """Paragraphs holding every token (SQLite), at most `cap`. Where the index alone can tell,
    FTS5 counts its own doclists: looking each match up in paragraphs
    was 9 of every 10 ms (25 ms for 16,000 matches at 10,000 documents)."""
    if _index_alone(tokens, filters):
        fts = text("SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH :fts LIMIT :cap")
        matching = fts.bindparams(fts=_fts_query(tokens), cap=cap).columns(column("rowid")).subquery()
    else:
        P = models.Paragraph
        matching = _filtered(select(P.id).where(indexed(session, tokens)), **filters).limit(cap).subquery()
    return session.scalar(select(func.count()).select_from(matching)) or 0


def _best(session: Session, tokens: list[str], columns: tuple) -> list:
    """Queries of the paragraphs holding every token (SQLite), each best first by FTS5's own
    ranking; a paragraph among the first of any is a candidate."""
    P = models.Paragraph
    # FTS5 reads its rank (bm25(), lower is better) in index order; a second query finds the
    # paragraphs holding the words side by side (an FTS5 phrase), which search_text.rank doubles
    fts = table("paragraphs_fts", column("rowid"), column("rank"))
    exact = [P.tokens.like(_like_token(t), escape="\\") for t in tokens if not t.isalnum()]
    return [
        select(*columns)
        .join(fts, fts.c.rowid == P.id)
        .where(text("paragraphs_fts MATCH :fts").bindparams(fts=q), *exact)
        .order_by(fts.c.rank)
        for q in _fts_queries(tokens)
    ]


def _fts_queries(tokens: list[str]) -> list[str]:
    """FTS5 queries of every token, and of the tokens side by side (a phrase)."""
    return [_fts_query(tokens)] + (
        ['"' + " ".join(t.replace('"', '""') for t in tokens) + '"'] if len(tokens) > 1 else []
    )


def _index_alone(tokens: list[str], filters: dict) -> bool:
    """True when FTS5 alone can tell the matches: no filter on their documents, and no token
    that FTS5 cuts into parts (3.5, covid-19), whose paragraphs' own text must be checked."""
    return not any(filters.values()) and all(t.isalnum() for t in tokens)


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


def archive_version(*, session: Session) -> tuple:
    """What changes whenever a document's text, year or status may have: a document stored,
    extracted again or deleted (count, last processed_at) and a correction made. Three index
    reads, whatever the archive's size."""
    D, C = models.Document, models.Correction
    # one aggregate a statement: SQLite reads a max() off an index only when it stands alone
    return (
        session.scalar(select(func.count()).select_from(D)),
        session.scalar(select(func.max(D.processed_at))),
        session.scalar(select(func.max(C.corrected_at))),
    )


def term_counts(*, session: Session, term: str, tokens: list[str]) -> list[Row]:
    """Done documents whose text holds `term` and how often: rows (id, plan_year, source_name,
    occurrences), counted by the database in one pass over each candidate's text. The
    candidates are the documents with a paragraph holding the term's jieba words (`tokens`),
    found through the index; without words (punctuation alone) every text is read."""
    D, P = models.Document, models.Paragraph
    # in bytes: the lengths are read from a header, where counting characters walks the text
    # (twice as slow on SQLite, whose length of a BLOB is its size)
    if session.get_bind().dialect.name == "postgresql":
        size = func.octet_length
    else:
        size = lambda value: func.length(cast(value, LargeBinary))
    # a multiple of the term's width: the division is exact, the cast only keeps it an integer
    occurrences = cast((size(D.text) - size(func.replace(D.text, term, ""))) / len(term.encode()), Integer)
    q = select(D.id, D.plan_year, D.source_name, occurrences.label("occurrences"))
    if tokens:
        # the ids first: given a subquery, PostgreSQL misjudged the text filter and read every text
        ids = list(session.scalars(select(P.document_id).where(indexed(session, tokens)).distinct()))
        rows = []
        for i in range(0, len(ids), 1000):  # a bounded IN list
            rows += session.execute(q.where(D.id.in_(ids[i : i + 1000]))).all()
    else:
        rows = session.execute(q).all()
    return [r for r in rows if r.occurrences]


def term_documents(*, session: Session, ids: list[str]) -> dict[str, Row]:
    """What a page of /v1/terms shows of each document: rows (id, source_name, title, region,
    doc_type, plan_year, review_year, keywords, chars), by id."""
    D = models.Document
    q = select(
        D.id,
        D.source_name,
        D.title,
        D.region,
        D.doc_type,
        D.plan_year,
        D.review_year,
        D.keywords,
        func.length(D.text).label("chars"),
    ).where(D.id.in_(ids))
    return {r.id: r for r in session.execute(q)} if ids else {}
