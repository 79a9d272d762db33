"""The archive at scale: documents made from the corpus (bench/archive.py) loaded through the
store's writes to N = 1,000 then 10,000 (--full: 60,000, PostgreSQL only), on PostgreSQL and
SQLite; at each N the database size, the load rate, and p50/p99 of what analysts ask the
gateway (in-process, the whole read path: routing, parameters, queries, serialisation), the
query plan of every statement each request ran (index or scan), and the ratio of each p99 at
the largest N to the smallest, measured in this one run.

    .venv/bin/python bench/bench_archive.py [--sizes 1000,10000] [--full] [--db sqlite,postgresql] [--keep]

--keep leaves each size's database in place (PostgreSQL zb_archive_keep_<n>, SQLite under
/tmp/zb-archive-keep/) and a later --keep run reuses it: migrations run again, so new indexes
apply, and the load rate reads "reused".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import archive
from bench.harness import load, percentile

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# a p99 of 40 requests is their slowest: one GC pause or page-cache miss; of 200, the third slowest
REPEATS = 200


def queries(sessions) -> dict[str, str]:
    """The paths analysts ask for, with a region, year and cursor taken from what is loaded."""
    from sqlalchemy import func, select

    from zhibiao.db import models

    with sessions() as s:
        F, D = models.Fact, models.Document
        region, year = s.execute(
            select(F.region, F.period).where(F.indicator == "gdp", F.region.like("%县")).order_by(F.id.desc()).limit(1)
        ).one()
        province = s.scalar(select(D.region).where(D.admin_level == "province").limit(1))
        deep = s.scalar(
            select(D.id).order_by(D.id).offset(s.scalar(select(func.count()).select_from(D)) * 9 // 10).limit(1)
        )
        doc = s.scalar(select(D.id).order_by(D.id.desc()).limit(1))
    q = lambda v: quote(str(v))
    return {
        "facts indicator+region": f"/v1/facts?indicator=gdp&region={q(region)}&limit=100",
        "facts region+period": f"/v1/facts?region={q(region)}&period={q(year[:4])}&limit=100",
        "facts indicator x level": "/v1/facts?indicator=gdp&admin_level=province&measure=growth&limit=100",
        # broad lists: their total is counted no further than TOTAL_COUNTED
        "facts, all of them": "/v1/facts?limit=100",
        "facts, every county": "/v1/facts?admin_level=county&limit=100",
        "facts indicator x county": "/v1/facts?indicator=gdp&admin_level=county&limit=100",
        "series one region": f"/v1/series?indicator=gdp&region={q(region)}",
        "series province+subregions": f"/v1/series?indicator=gdp&region={q(province)}&include_subregions=true",
        "attainment one region": f"/v1/attainment?region={q(region)}",
        "attainment, every region": "/v1/attainment?limit=100",
        "documents deep cursor": f"/v1/documents?limit=100&cursor={q(_cursor(deep))}",
        "search two words": f"/v1/search?q={q('乡村振兴 产业')}&limit=20",
        "terms": f"/v1/terms?term={q('数字经济')}",
        "one document": f"/v1/documents/{doc}",
        "its facts": f"/v1/facts?document_id={doc}&limit=1000",
    }


def _cursor(last_id: str) -> str:
    from services.gateway.paging import encode_cursor

    return encode_cursor(last_id)


class Statements:
    """The SQL statements a request runs, caught on the engine."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.caught: list[tuple[str, object]] | None = None
        event.listen(engine, "before_cursor_execute", self._catch)

    def _catch(self, _conn, _cursor, statement, parameters, _context, _many) -> None:
        if self.caught is not None and statement.lstrip().upper().startswith("SELECT"):
            self.caught.append((statement, parameters))


_SQLITE_SCAN = re.compile(r"\bSCAN (\w+)\b(?! USING (?:COVERING )?INDEX)(?! VIRTUAL)")
_PG_SCAN = re.compile(r"Seq Scan on (\w+)")
_LARGE = {"documents", "facts", "paragraphs", "sections", "tasks"}  # a scan of anything else is of a few rows


def plans(engine, statements: list[tuple[str, object]]) -> tuple[str, list[str]]:
    """'index' when no statement reads a whole table, else 'scan', with the scanning lines."""
    scans = []
    with engine.connect() as conn:
        for statement, params in statements:
            if engine.dialect.name == "sqlite":
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
                lines, pattern = [r[-1] for r in rows], _SQLITE_SCAN
            else:
                rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
                lines, pattern = [r[0] for r in rows], _PG_SCAN
            scans += [line.strip() for line in lines if (m := pattern.search(line)) and m.group(1) in _LARGE]
    return ("scan" if scans else "index"), sorted(set(scans))


def measure(client, engine, paths: dict[str, str]) -> dict[str, tuple[float, float, str, list[str], int]]:
    out = {}
    watch = Statements(engine)
    for name, path in paths.items():
        watch.caught = []  # from the first ask: what a kept answer (terms, search) was made of
        for _ in range(3):
            r = client.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        caught, watch.caught = watch.caught, None
        times = []
        for _ in range(REPEATS):
            t = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - t) * 1000)
        verdict, scans = plans(engine, caught)
        out[name] = (percentile(times, 50), percentile(times, 99), verdict, scans, len(r.content))
    return out


# Asked once each: /v1/terms keeps a term's counts and /v1/search a query's ranking while the
# archive is unchanged (services/gateway/state: TermCounts, SearchRankings), so the repeated
# "terms" and "search two words" above are kept answers, and these are what the first analyst
# to ask a term or a query waits for.
FIRST_TERMS = ("营商环境", "新质生产力", "共同富裕", "碳达峰", "高质量发展", "城市更新", "乡村振兴")
FIRST_SEARCHES = ("数字经济 发展", "营商环境 优化", "生态 保护", "科技 创新", "城市更新 改造", "就业 收入", "教育 医疗")


def first_asks(client) -> dict[str, tuple[float, float, int]]:
    """p50 and the slowest of a term's and of a search query's first ask, in ms, and how many were asked."""
    asks = {
        "terms": [f"/v1/terms?term={quote(term)}" for term in FIRST_TERMS],
        "search": [f"/v1/search?q={quote(q)}&limit=20" for q in FIRST_SEARCHES],
    }
    out = {}
    for name, paths in asks.items():
        times = []
        for path in paths:
            t = time.perf_counter()
            r = client.get(path)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        out[name] = (percentile(times, 50), max(times), len(times))
    return out


def size(engine, url: str) -> int:
    from sqlalchemy import text

    if engine.dialect.name == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    with engine.connect() as conn:
        return conn.scalar(text("SELECT pg_database_size(current_database())"))


KEEP_DIR = Path("/tmp/zb-archive-keep")  # the kept SQLite files (--keep)
_LOADED = "zhibiao archive: {n} documents loaded"


def _pg_url(name: str) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def _pg_exists(admin, name: str) -> bool:
    from sqlalchemy import text

    with admin.connect() as conn:
        return bool(conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}))


class Kept:
    """--keep: one database per size (PostgreSQL zb_archive_keep_<n>, SQLite
    /tmp/zb-archive-keep/zhibiao-<n>.db), left in place after the run so the next run reuses
    it instead of loading again (~11 minutes at 10,000). A size is made from a copy of the
    next smaller kept one, then loaded with the rest, so every size holds the documents a
    single load would have."""

    def __init__(self, db: str, admin) -> None:
        self.db, self.admin = db, admin

    def url(self, n: int) -> str:
        if self.db == "sqlite":
            return f"sqlite:///{KEEP_DIR}/zhibiao-{n}.db"
        return _pg_url(f"zb_archive_keep_{n}")

    def complete(self, n: int) -> bool:
        """Whether a run finished loading n here (marked by done(): a load that was stopped
        is not, and a count would not tell: a few plan entries are the same document)."""
        from sqlalchemy import text

        if self.db == "sqlite":
            return (KEEP_DIR / f"zhibiao-{n}.db.loaded").exists()
        with self.admin.connect() as conn:
            note = conn.scalar(
                text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"),
                {"n": f"zb_archive_keep_{n}"},
            )
        return note == _LOADED.format(n=n)

    def done(self, n: int) -> None:
        from sqlalchemy import text

        if self.db == "sqlite":
            (KEEP_DIR / f"zhibiao-{n}.db.loaded").touch()
            return
        with self.admin.connect() as conn:
            conn.execute(text(f"COMMENT ON DATABASE \"zb_archive_keep_{n}\" IS '{_LOADED.format(n=n)}'"))

    def start(self, n: int, previous: int | None) -> None:
        """An empty database for n, or a copy of the one for `previous` (complete)."""
        from sqlalchemy import text

        if self.db == "sqlite":
            KEEP_DIR.mkdir(parents=True, exist_ok=True)
            for p in KEEP_DIR.glob(f"zhibiao-{n}.db*"):
                p.unlink()
            if previous is not None:
                shutil.copyfile(KEEP_DIR / f"zhibiao-{previous}.db", KEEP_DIR / f"zhibiao-{n}.db")
            return
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "zb_archive_keep_{n}" WITH (FORCE)'))
            template = f' TEMPLATE "zb_archive_keep_{previous}"' if previous is not None else ""
            conn.execute(text(f'CREATE DATABASE "zb_archive_keep_{n}"{template}'))


def run(db: str, sizes: list[int], keep: bool = False) -> dict[int, dict]:
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text

    from services.gateway.app import create_app
    from zhibiao.db.engine import make_engine, make_sessionmaker
    from zhibiao.db.migrate import upgrade
    from zhibiao.plumbing.config import Settings

    workdir = Path(tempfile.mkdtemp(prefix="zhibiao-archive-"))
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT") if db == "postgresql" else None
    kept = Kept(db, admin) if keep else None
    name = None
    if kept is None:
        if db == "sqlite":
            url = f"sqlite:///{workdir}/zhibiao.db"
        else:
            name = f"zb_archive_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = _pg_url(name)
    results = {}
    try:
        loaded, previous = 0, None
        for n in sizes:
            reused = False
            if kept is not None:
                url = kept.url(n)
                reused = kept.complete(n)
                if not reused:
                    kept.start(n, previous)
                    loaded = previous or 0
            writer = make_engine(url, writer=True)
            upgrade(writer)  # on a reused database: the migrations added since it was loaded
            sessions = make_sessionmaker(writer)
            seconds, facts = 0.0, 0
            if not reused:
                t = time.perf_counter()
                facts = archive.load(
                    sessions,
                    n - loaded,
                    seed=13 + loaded,
                    progress=lambda i, base=loaded: print(f"  [{db}] {base + i} documents", flush=True),
                )
                seconds = time.perf_counter() - t
                if kept is not None:
                    kept.done(n)
            if db == "postgresql":
                # as autovacuum would have done to a loaded archive: statistics, and the
                # visibility map an index-only count needs (a migration's backfill clears it)
                with writer.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.exec_driver_sql("VACUUM ANALYZE")
            else:  # committed: SQLite's ANALYZE writes sqlite_stat1 in a transaction like any other
                with writer.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
            settings = Settings(database_url=url, bucket_url=f"file://{workdir}/bucket")
            app = create_app(settings)
            with TestClient(app) as client:
                engine = app.state.gateway.sessions.kw["bind"]
                figures = measure(client, engine, queries(sessions))
                asked_once = first_asks(client)
            engine.dispose()
            results[n] = {
                "size": size(writer, url),
                "reused": reused,
                "rate": (n - loaded) / seconds if seconds else 0.0,
                "facts_rate": facts / seconds if seconds else 0.0,
                "queries": figures,
                "first_asks": asked_once,
            }
            report(db, n, results[n])
            writer.dispose()
            loaded, previous = n, n
    finally:
        shutil.rmtree(workdir, ignore_errors=True)  # the SQLite file: 2.4 GiB at 10,000
        if admin is not None:
            if name is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return results


def report(db: str, n: int, r: dict) -> None:
    loading = (
        "reused (loaded by an earlier --keep run)"
        if r["reused"]
        else f"loaded at {r['rate']:.1f} documents/s ({r['facts_rate']:,.0f} facts/s)"
    )
    print(f"\n{db} at {n:,} documents: database {r['size'] / 2**20:,.0f} MiB, {loading}", flush=True)
    print(f"  {'query':28} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>9}  plan")
    for name, (p50, p99, verdict, scans, nbytes) in r["queries"].items():
        print(
            f"  {name:28} {p50:8.1f} {p99:8.1f} {nbytes:9,}  {verdict}"
            + (f": {'; '.join(scans)[:160]}" if scans else "")
        )
    for name, (p50, slowest, asked) in r["first_asks"].items():
        print(f"  {name + ', a first ask':28} {p50:8.1f} {slowest:8.1f}  (p50 and the slowest of {asked} asked once)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=os.environ.get("BENCH_ARCHIVE_SIZES", "1000,10000"))
    parser.add_argument("--full", action="store_true", help="also 60,000 documents, on PostgreSQL")
    parser.add_argument("--db", default="postgresql,sqlite")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the loaded databases (PostgreSQL zb_archive_keep_<n>, SQLite {KEEP_DIR}) and reuse them next time",
    )
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(f"archive benchmark, sizes {sizes}{' and 60,000 on PostgreSQL' if args.full else ''}; {load()}")
    print(f"sources: {len(archive.sources())} corpus reports, extracted once")
    for db in args.db.split(","):
        results = run(db, sizes + ([60_000] if args.full and db == "postgresql" else []), keep=args.keep)
        first, larger = min(results), sorted(results)[1:]
        print(f"\n{db}: p99 at {' and '.join(f'{n:,}' for n in larger)} / p99 at {first:,}")
        sizes_ = [first, *larger]
        p99s = {name: [results[n]["queries"][name][1] for n in sizes_] for name in results[first]["queries"]}
        for name in results[first]["first_asks"]:
            p99s[f"{name}, a first ask (slowest)"] = [results[n]["first_asks"][name][1] for n in sizes_]
        for name, (a, *rest) in p99s.items():
            print(f"  {name:34}" + "".join(f" {b / a:6.2f}x" for b in rest))


if __name__ == "__main__":
    main()
