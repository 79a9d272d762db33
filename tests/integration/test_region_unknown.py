"""Unknown regions on the real databases: uploads with region=, facts without a region,
and the old "" rows that migration 0005 turns into NULL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.integration.old_schema import engine_at
from tests.integration.test_store import DOC, _deliver
from zhibiao.buckets import FolderBucket
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import DocumentExtracted

pytestmark = pytest.mark.integration

REPORT = (
    "政府工作报告\n各位代表：\n一、2019年工作回顾\n过去一年，全县地区生产总值增长6.5%。\n"
    "二、2020年工作安排\n地区生产总值增长6%左右。\n"
).encode()


def _unplaced() -> DocumentExtracted:
    result = extract_bytes(REPORT, "report.txt")
    ex = result.extraction
    assert ex.meta.region is None and ex.facts
    return DocumentExtracted(document_id=DOC, extractor_version=EXTRACTOR_VERSION, **{**result.fields(), "tasks": []})


@pytest.fixture
def client(database_url, tmp_path, namespace):
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    handle_event(_deliver(_unplaced(), "extracted:1"), sessions=make_sessionmaker(engine))
    engine.dispose()
    settings = Settings(
        database_url=database_url, bucket_url=f"file://{tmp_path}/bucket", api_token="tok", namespace=namespace
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_an_unknown_region_is_null_on_the_document_and_its_facts(client):
    assert client.get(f"/v1/documents/{DOC}").json()["region"] is None
    facts = client.get(f"/v1/facts?document_id={DOC}").json()["items"]
    assert facts and all(f["region"] is None for f in facts)
    # a series is a region's: facts of no region take no part, and nothing breaks
    assert client.get("/v1/series?indicator=gdp").status_code == 200
    assert client.get("/v1/attainment").status_code == 200


@pytest.mark.parametrize(
    ("given", "folder"),
    [
        ("保定市容城县", "保定市容城县"),
        ("容城县", "保定市容城县"),
        (" 浙江省 ", "浙江省"),
        ("全国", "全国"),
        ("", None),
    ],
)
def test_an_upload_with_a_region_lands_in_its_folder(client, tmp_path, given, folder):
    r = client.post(
        "/v1/documents",
        files={"file": ("报告.txt", "政府工作报告".encode(), "text/plain")},
        data={"region": given},
        headers={"Authorization": "Bearer tok"},
    )
    assert r.status_code == 202, r.json()
    [obj] = list(FolderBucket(tmp_path / "bucket").list())
    parts = obj.key.split("/")
    assert parts[0] == "uploads" and (parts[1] if len(parts) == 3 else None) == folder


@pytest.mark.parametrize("given", ["朝阳区", "杭州市容城县", "火星市", "../etc"])
def test_an_upload_with_an_unknown_or_ambiguous_region_is_refused(client, tmp_path, given):
    r = client.post(
        "/v1/documents",
        files={"file": ("报告.txt", "政府工作报告".encode(), "text/plain")},
        data={"region": given},
        headers={"Authorization": "Bearer tok"},
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_region"
    assert not list(FolderBucket(tmp_path / "bucket").list())


def test_migration_0005_turns_empty_regions_into_null(database_url):
    engine = engine_at(database_url, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, source_name, status) VALUES ('x', 'a.txt', 'done')"))
        conn.execute(
            text(
                "INSERT INTO facts (document_id, indicator, indicator_label, region, period, kind, measure,"
                " value, unit, estimated, strive, quote, start, \"end\") VALUES ('x', 'gdp', '地区生产总值', '',"
                " '2020', 'actual', 'growth', 6, '%', false, false, 'q', 0, 1)"
            )
        )
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT region FROM facts")).scalar_one() is None
    engine.dispose()


def test_migration_0012_keeps_each_stored_fact_s_level(database_url):
    engine = engine_at(database_url, "0011")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, source_name, status) VALUES ('x', 'a.txt', 'done')"))
        for i, region in enumerate(["浙江省", "杭州市", "保定市容城县", "杭州高新技术产业开发区", None]):
            conn.execute(
                text(
                    "INSERT INTO facts (id, document_id, indicator, indicator_label, region, period, kind, measure,"
                    " value, unit, estimated, strive, quote, start, \"end\") VALUES (:id, 'x', 'gdp', '地区生产总值',"
                    " :region, '2020', 'actual', 'growth', 6, '%', false, false, 'q', 0, 1)"
                ),
                {"id": f"f{i}", "region": region},
            )
    upgrade(engine)
    with engine.connect() as conn:
        levels = dict(conn.execute(text("SELECT id, admin_level FROM facts")).all())
    assert levels == {"f0": "province", "f1": "city", "f2": "county", "f3": None, "f4": None}
    engine.dispose()


def _sqlite_plans(tmp_path, prefix: str, ask) -> list[list[str]]:
    """The SQLite plans of the statements starting with `prefix` that ask(session) runs."""
    from sqlalchemy import event

    engine = make_engine(f"sqlite:///{tmp_path}/z.db", writer=True)
    upgrade(engine)
    caught = []
    event.listen(
        engine,
        "before_cursor_execute",
        lambda _c, _k, sql, params, *_: sql.startswith(prefix) and caught.append((sql, params)),
    )
    with make_sessionmaker(engine)() as session:
        ask(session)
    with engine.connect() as conn:
        plans = [[r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)] for sql, params in caught]
    engine.dispose()
    return plans


def test_a_level_s_facts_are_counted_off_the_index(tmp_path):
    """Migration 0013: a list's bounded count at a level leaves out duplicates' facts by
    document id, so the level indexes carry it and the count reads no fact row."""
    from zhibiao.db import reads

    def ask(session) -> None:
        for where in (reads.FactFilter(admin_level="county"), reads.FactFilter(indicator="gdp", admin_level="county")):
            reads.count_facts(session=session, where=where, at_most=10_001)

    plans = _sqlite_plans(tmp_path, "SELECT count", ask)
    assert [any("facts USING COVERING INDEX ix_facts_" in line for line in plan) for plan in plans] == [True, True]


def test_migration_0014_sums_each_stored_document_s_paragraphs(database_url):
    engine = engine_at(database_url, "0013")
    with engine.begin() as conn:
        for doc in ("x", "y"):
            conn.execute(
                text("INSERT INTO documents (id, source_name, status) VALUES (:d, 'a.txt', 'done')"), {"d": doc}
            )
        for i, tokens in enumerate([" 数字 经济 ", " 数字 经济 发展 "]):
            conn.execute(
                text(
                    'INSERT INTO paragraphs (document_id, ordinal, start, "end", tokens, token_count)'
                    " VALUES ('x', :i, 0, 1, :tokens, :n)"
                ),
                {"i": i, "tokens": tokens, "n": len(tokens.split())},
            )
    upgrade(engine)
    with engine.connect() as conn:
        totals = {
            r[0]: tuple(r[1:])
            for r in conn.execute(text("SELECT id, paragraph_count, paragraph_tokens FROM documents"))
        }
    assert totals == {"x": (2, 5), "y": (0, 0)}
    engine.dispose()


def test_bm25_totals_are_summed_off_an_index(tmp_path):
    """Migration 0014: on SQLite the documents' paragraph totals stand behind each text's
    overflow pages in the row, so the corpus's sum must read an index of its own."""
    from zhibiao.db import search_reads

    plans = _sqlite_plans(
        tmp_path, "SELECT sum(documents.paragraph_count", lambda session: search_reads.corpus_stats(session=session)
    )
    assert plans == [["SCAN documents USING COVERING INDEX ix_documents_paragraph_totals"]]


def test_migration_0015_stores_a_new_text_with_lz4(pg_url):
    """/v1/terms reads whole texts: on PostgreSQL a stored text is compressed with lz4 (faster
    to read back than pglz), where the server has it."""
    engine = make_engine(pg_url, writer=True)
    upgrade(engine)
    with engine.begin() as conn:
        if not conn.execute(
            text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        ).scalar():
            pytest.skip("this PostgreSQL was built without lz4")
        conn.execute(
            text("INSERT INTO documents (id, source_name, status, text) VALUES ('x', 'a.txt', 'done', :t)"),
            {"t": "地区生产总值增长5%，数字经济核心产业增加值增长8%。" * 2000},
        )
        assert conn.execute(text("SELECT pg_column_compression(text) FROM documents")).scalar() == "lz4"
    engine.dispose()
