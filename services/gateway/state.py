"""What one gateway holds between requests: its settings, database sessions, the bucket,
a publisher, and five small caches. Built once in create_app, reached through deps."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import pika
from sqlalchemy.orm import Session, sessionmaker

from zhibiao.buckets import Bucket
from zhibiao.db import reads, search_reads
from zhibiao.domain import search_text
from zhibiao.domain.task_links import ReportIndex
from zhibiao.domain.terms import order_key, term_years
from zhibiao.plumbing.bus import Publisher, connection_parameters
from zhibiao.plumbing.config import Settings


class BrokerCheck:
    """Whether the broker answers. A probe opens a connection, so one is made at most every
    `every` seconds and its answer kept in between: /readyz is polled often."""

    def __init__(self, settings: Settings, every: float = 5.0) -> None:
        self._settings, self._every = settings, every
        self._at, self._ok = 0.0, False

    def problems(self) -> list[str]:
        if time.monotonic() - self._at <= self._every:
            return [] if self._ok else ["broker: unreachable"]
        problems = []
        try:
            pika.BlockingConnection(connection_parameters(self._settings)).close()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
            problems.append(f"broker: {type(exc).__name__}")
        self._ok, self._at = not problems, time.monotonic()
        return problems


class _Kept:
    """Values by key, at most `size` of them, the least recently used dropped first. A value
    is made outside the lock: two threads may both make one, the last kept."""

    def __init__(self, size: int) -> None:
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = make()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return value


class ReportIndexes:
    """Paragraph indexes of work reports, kept while the report is unchanged."""

    def __init__(self, size: int = 16) -> None:
        self._kept = _Kept(size)

    def get(self, session: Session, report) -> tuple[ReportIndex, dict[int, tuple]]:
        """The report's index, and where each paragraph id is (ordinal, start, end)."""

        def make() -> tuple[ReportIndex, dict[int, tuple]]:
            rows = reads.paragraph_tokens(session=session, document_id=report.id)
            return ReportIndex([(r.id, r.tokens) for r in rows]), {r.id: (r.ordinal, r.start, r.end) for r in rows}

        return self._kept.get((report.id, report.processed_at), make)


class TermCounts:
    """/v1/terms' answers, kept while the archive is unchanged: an exact count of a term reads
    the text of every document that writes it (1.5 s at 10,000 documents), while whether the
    archive changed is three index reads (search_reads.archive_version)."""

    def __init__(self, size: int = 64) -> None:
        self._kept = _Kept(size)

    def get(self, session: Session, term: str) -> tuple[list, list, list]:
        """Every document writing `term`, in list order (rows id, plan_year, source_name,
        occurrences), their order keys, and the counts per year."""

        def make() -> tuple[list, list, list]:
            counts = search_reads.term_counts(session=session, term=term, tokens=search_text.query_tokens(term))
            keyed = sorted((list(order_key(r.plan_year, r.source_name, r.id)), r) for r in counts)
            return [r for _, r in keyed], [k for k, _ in keyed], term_years(counts)

        return self._kept.get((term, search_reads.archive_version(session=session)), make)


class SearchRankings:
    """/v1/search's ranked paragraphs of a query, kept while the archive is unchanged: ranking
    reads every match (16,000 paragraphs for two common words at 10,000 documents, 100 ms and
    growing with the archive), so the next page, or the next analyst asking the same, reads
    only the page's texts. A page past half of the kept pool ranks a pool twice as deep."""

    def __init__(self, size: int = 64) -> None:
        self._kept = _Kept(size)

    def get(self, session: Session, tokens: list[str], filters: dict, depth: int) -> tuple[list, int]:
        """(score, paragraph) best first, enough for a page ending at `depth`, and the matches' count."""
        pool = search_reads.candidate_pool(depth)
        key = (tuple(tokens), tuple(sorted(filters.items())), pool, search_reads.archive_version(session=session))
        return self._kept.get(
            key, lambda: search_reads.ranked_paragraphs(session=session, tokens=tokens, depth=depth, **filters)
        )


class FactRegions:
    """Every region some fact names, in order, kept while the archive is unchanged: the walk
    is one index probe a region (3,100 at 10,000 documents, 40 ms), and a page of the whole
    country's attainment starts from it."""

    def __init__(self) -> None:
        self._kept = _Kept(1)

    def get(self, session: Session) -> list[str]:
        version = search_reads.archive_version(session=session)
        return self._kept.get(version, lambda: sorted(reads.fact_regions(session=session)))


@dataclass
class Gateway:
    settings: Settings
    sessions: sessionmaker
    bucket: Bucket
    publisher: Publisher  # connects on first use; its own thread serves every request
    broker: BrokerCheck
    # corrections and deletions: on SQLite a writer's transaction takes the lock up front
    # (engine.make_engine), so its read-then-write cannot rest on a stale read
    writer: sessionmaker | None = None
    report_indexes: ReportIndexes = field(default_factory=ReportIndexes)
    term_counts: TermCounts = field(default_factory=TermCounts)
    search_rankings: SearchRankings = field(default_factory=SearchRankings)
    fact_regions: FactRegions = field(default_factory=FactRegions)
