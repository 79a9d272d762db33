"""Corrections by hand, deletion and the original file (issue 15, point 3), through the
gateway over a database the store wrote, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.conftest import SAMPLES
from tests.integration.test_analytics import seed
from tests.integration.test_store import _deliver
from zhibiao.buckets import FolderBucket
from zhibiao.db import models
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import DocumentExtracted, DocumentReceived

pytestmark = pytest.mark.integration

NAME = "hangzhou-2020-work-report.md"
AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def stack(database_url, tmp_path, namespace):
    """(client, store, bucket, document id): one report dropped, received and extracted."""
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    store = make_sessionmaker(engine)
    bucket = FolderBucket(tmp_path / "bucket")
    data = (SAMPLES / NAME).read_bytes()
    key = bucket.put(data, '杭州 2020"报告\r\n.md')  # a name that must not break a header
    extracted = extract_bytes(data, NAME)
    doc = hashlib.sha256(data).hexdigest()
    handle_event(
        _deliver(
            DocumentReceived(
                document_id=doc,
                key=key,
                source_name=bucket.source_name(key),
                size_bytes=len(data),
                received_at=datetime.now(UTC),
            ),
            "received:1",
        ),
        sessions=store,
    )
    store.extract = lambda n: handle_event(
        _deliver(
            DocumentExtracted(  # a new extraction of the same bytes
                document_id=doc, extractor_version=EXTRACTOR_VERSION, **extracted.fields()
            ),
            f"extracted:{n}",
        ),
        sessions=store,
    )
    store.extract(1)
    settings = Settings(
        database_url=database_url, bucket_url=f"file://{tmp_path}/bucket", api_token="tok", namespace=namespace
    )
    with TestClient(create_app(settings)) as client:
        yield client, store, bucket, doc
    engine.dispose()


def _facts(client, doc):
    return client.get("/v1/facts", params={"document_id": doc, "limit": 1000}).json()["items"]


def test_fact_ids_and_corrections_survive_reprocessing(stack):
    client, store, _, doc = stack
    before = _facts(client, doc)
    gdp = next(f for f in before if f["indicator"] == "gdp" and f["measure"] == "growth")
    assert isinstance(gdp["id"], str) and gdp["id"].startswith(doc[:10])

    r = client.patch(f"/v1/documents/{doc[:8]}", json={"region": "宁波", "plan_year": 2021}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["region"] == "宁波市" and body["admin_level"] == "city" and body["plan_year"] == 2021
    assert {c["field"]: (c["value"], c["corrected_by"]) for c in body["corrections"]} == {
        "region": ("宁波市", "api"),
        "plan_year": (2021, "api"),
    }
    assert all(c["corrected_at"] for c in body["corrections"])
    r = client.patch(
        f"/v1/facts/{gdp['id']}",
        json={
            "value": 7.5,
            "unit": "%",
            "period": "2021",
            "kind": "target",
            "qualifier": "about",
            "subject": "经济增长",
        },
        headers=AUTH,
    )
    assert r.status_code == 200, r.text
    assert r.json()["value"] == 7.5 and r.json()["period"] == "2021" and r.json()["region"] == "宁波市"
    # the facts of the old region follow the document's new one
    assert {f["region"] for f in _facts(client, doc)} == {"宁波市"}

    store.extract(2)  # processed again: the extraction's values come back, the corrections over them

    after = _facts(client, doc)
    assert [f["id"] for f in after] == [f["id"] for f in before]
    fact = client.get(f"/v1/facts/{gdp['id']}").json()
    assert (fact["value"], fact["period"], fact["kind"], fact["qualifier"], fact["subject"]) == (
        7.5,
        "2021",
        "target",
        "about",
        "经济增长",
    )
    assert fact["region"] == "宁波市" and {c["field"] for c in fact["corrections"]} == {
        "value",
        "unit",
        "period",
        "kind",
        "qualifier",
        "subject",
    }
    document = client.get(f"/v1/documents/{doc}").json()
    assert (document["region"], document["plan_year"], document["review_year"]) == ("宁波市", 2021, 2019)
    assert [e["event"] for e in document["timeline"]].count("corrected") == 2
    assert client.get("/v1/facts", params={"region": "宁波", "indicator": "gdp"}).json()["total"] > 0
    with store() as s:  # nothing piles up: one row per corrected field
        assert s.scalar(select(func.count()).select_from(models.Correction)) == 8

    # an admin-level filter reads the level kept with each fact's region, corrections included
    def at_level(level):
        page = client.get("/v1/facts", params={"admin_level": level, "document_id": doc, "limit": 1000}).json()
        return {f["id"] for f in page["items"]}

    assert at_level("city") == {f["id"] for f in after} and not at_level("county")
    r = client.patch(f"/v1/facts/{gdp['id']}", json={"region": "容城县"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["region"] == "保定市容城县", r.text
    assert at_level("county") == {gdp["id"]} and gdp["id"] not in at_level("city")


def test_corrections_are_checked_and_need_the_token(stack):
    client, _, _, doc = stack
    fact = _facts(client, doc)[0]["id"]
    assert client.patch(f"/v1/documents/{doc}", json={"region": "宁波"}).status_code == 401
    assert client.patch(f"/v1/facts/{fact}", json={"value": 1}).status_code == 401
    cases = [
        (f"/v1/documents/{doc}", {"region": "火星市"}, 422, "unknown_region"),
        (f"/v1/documents/{doc}", {"title": "x"}, 422, None),
        (f"/v1/documents/{doc}", {"plan_year": 1800}, 422, None),
        ("/v1/documents/ffffffffff", {"plan_year": 2020}, 404, "not_found"),
        (f"/v1/facts/{fact}", {"kind": "bogus"}, 422, None),
        (f"/v1/facts/{fact}", {"value": None}, 422, "invalid_request"),
        (f"/v1/facts/{fact}", {"indicator": "nope"}, 422, None),
        (f"/v1/facts/{fact}", {"period": "next year"}, 422, "invalid_request"),
        (f"/v1/facts/{fact}", {"quote": "x"}, 422, None),
        ("/v1/facts/nope", {"value": 1}, 404, "not_found"),
    ]
    for path, body, status, code in cases:
        r = client.patch(path, json=body, headers=AUTH)
        assert r.status_code == status, (path, body, r.text)
        assert "error" in r.json() and (code is None or r.json()["error"]["code"] == code)
    r = client.patch(f"/v1/facts/{fact}", json={"indicator": "地区生产总值", "region": None}, headers=AUTH)
    assert r.status_code == 200 and r.json()["indicator"] == "gdp" and r.json()["region"] is None
    assert client.get(f"/v1/documents/{doc}").json()["corrections"] == []


def test_the_original_file_downloads_under_a_safe_name(stack):
    client, _, _, doc = stack
    r = client.get(f"/v1/documents/{doc[:6]}/file")
    assert r.status_code == 200 and r.content == (SAMPLES / NAME).read_bytes()
    disposition = r.headers["content-disposition"]
    assert "\r" not in disposition and "\n" not in disposition and disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote('杭州 2020"报告.md') in disposition
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/v1/documents/0123456789abcdef/file").status_code == 404


def test_delete_removes_the_document_its_rows_and_its_file(stack):
    client, store, bucket, doc = stack
    fact = _facts(client, doc)[0]["id"]
    client.patch(f"/v1/facts/{fact}", json={"value": 1}, headers=AUTH)
    assert client.delete(f"/v1/documents/{doc}").status_code == 401
    r = client.delete(f"/v1/documents/{doc[:10]}", headers=AUTH)
    assert r.status_code == 200 and r.json() == {"id": doc, "deleted": True, "file": "deleted"}
    assert client.get(f"/v1/documents/{doc}").status_code == 404
    assert client.get(f"/v1/facts/{fact}").status_code == 404
    assert client.get("/v1/documents").json()["total"] == 0
    with store() as s:
        for table in (models.Fact, models.Section, models.Paragraph, models.DocumentEvent, models.Correction):
            assert s.scalar(select(func.count()).select_from(table)) == 0, table
    # the file is gone, so ingest has nothing to take again; a new drop would be a new file
    assert list(bucket.list()) == []
    assert client.delete(f"/v1/documents/{doc}", headers=AUTH).status_code == 404


def test_the_facts_stored_before_get_their_stable_ids(database_url):
    """Migration 0008 gives facts stored with counter ids the ids a new extraction would give."""

    from tests.integration.old_schema import engine_at
    from zhibiao.domain.stable_ids import fact_ids

    engine = engine_at(database_url, "0007")
    doc = "a" * 64
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO documents (id, source_name, status) VALUES (:d, 'r.txt', 'done')"), {"d": doc})
        for i, (start, indicator) in enumerate([(40, "gdp"), (40, "gdp"), (90, None)], start=1):
            conn.execute(
                text(
                    "INSERT INTO facts (id, document_id, indicator, indicator_label, period, kind, measure, value, unit, "
                    'estimated, strive, quote, start, "end", figure_start, figure_end, subject_unclear) VALUES '
                    "(:i, :d, :ind, 'x', '2020', 'actual', 'value', 1, '亿元', false, false, 'q', 0, 200, :s, :e, false)"
                ),
                {"i": i, "d": doc, "ind": indicator, "s": start, "e": start + 3},
            )
    upgrade(engine)
    with engine.connect() as conn:
        ids = list(conn.scalars(text("SELECT id FROM facts ORDER BY id")))
    assert ids == fact_ids(doc, [(40, 43, "gdp"), (40, 43, "gdp"), (90, 93, None)])
    assert ids[1].endswith(".2")
    engine.dispose()


def test_term_counts_kept_while_the_archive_is_unchanged_follow_every_change(stack):
    """/v1/terms keeps its answers (state.TermCounts): a document stored, a year corrected
    by hand and a deletion must each show in the next answer."""
    client, store, _bucket, doc = stack

    def years() -> dict[int, int]:
        body = client.get("/v1/terms", params={"term": "数字经济"}).json()
        return {y["year"]: y["documents"] for y in body["by_year"]}

    assert years() == {2020: 1}
    seed(store, "hangzhou-2022-work-report.txt")
    assert years() == {2020: 1, 2022: 1}
    assert client.patch(f"/v1/documents/{doc}", json={"plan_year": 2021}, headers=AUTH).status_code == 200
    assert years() == {2021: 1, 2022: 1}
    assert client.delete(f"/v1/documents/{doc}", headers=AUTH).status_code == 200
    assert years() == {2022: 1}


def test_search_rankings_kept_while_the_archive_is_unchanged_follow_every_change(stack):
    """/v1/search keeps a query's ranked paragraphs (state.SearchRankings): the next page reads
    no ranking again, and a document stored, a year corrected and a deletion each show in the
    next answer."""
    client, store, _bucket, doc = stack
    engine = client.app.state.gateway.sessions.kw["bind"]
    ranked: list[str] = []

    def catch(_conn, _cursor, statement, *_args) -> None:
        if "tokens_ranked" in statement or "paragraphs_fts" in statement:
            ranked.append(statement)

    def hits(**params) -> dict:
        return client.get("/v1/search", params={"q": "数字经济", "limit": 1000, **params}).json()

    event.listen(engine, "before_cursor_execute", catch)
    try:
        first = client.get("/v1/search", params={"q": "数字经济", "limit": 2}).json()
        asked = len(ranked)
        assert asked and first["next_cursor"]
        second = client.get("/v1/search", params={"q": "数字经济", "limit": 2, "cursor": first["next_cursor"]}).json()
        assert len(ranked) == asked  # the second page came from the kept ranking
        assert [h["start"] for h in first["items"] + second["items"]] == [h["start"] for h in hits()["items"][:4]]
    finally:
        event.remove(engine, "before_cursor_execute", catch)

    assert {h["year"] for h in hits()["items"]} == {2020}
    seed(store, "hangzhou-2022-work-report.txt")
    assert {h["year"] for h in hits()["items"]} == {2020, 2022}
    assert client.patch(f"/v1/documents/{doc}", json={"plan_year": 2021}, headers=AUTH).status_code == 200
    assert {h["year"] for h in hits()["items"]} == {2021, 2022}
    assert client.delete(f"/v1/documents/{doc}", headers=AUTH).status_code == 200
    assert {h["year"] for h in hits()["items"]} == {2022}


def test_bm25_corpus_totals_follow_documents_stored_and_deleted(stack):
    """search_reads.corpus_stats sums the documents' own totals (migration 0014): they must be
    what the paragraphs say, after a document is stored and after one is deleted."""
    from zhibiao.db import search_reads

    client, store, _bucket, doc = stack

    def both() -> tuple[tuple[int, float], tuple[int, float]]:
        with store() as session:
            P = models.Paragraph
            count, avg = session.execute(select(func.count(), func.avg(P.token_count))).one()
            return search_reads.corpus_stats(session=session), (count, float(avg or 0))

    kept, counted = both()
    assert kept[0] == counted[0] > 0 and kept[1] == pytest.approx(counted[1])
    seed(store, "hangzhou-2022-work-report.txt")
    grown, counted = both()
    assert grown[0] == counted[0] > kept[0] and grown[1] == pytest.approx(counted[1])
    assert client.delete(f"/v1/documents/{doc}", headers=AUTH).status_code == 200
    shrunk, counted = both()
    assert shrunk[0] == counted[0] < grown[0] and shrunk[1] == pytest.approx(counted[1])


def test_bm25_token_counts_are_the_paragraphs_holding_each_token(stack):
    """search_reads.token_documents: FTS5's own doclists on SQLite; on PostgreSQL, once ANALYZE
    has run, a common token's share among the statistics' most common elements (whole here:
    the table is smaller than ANALYZE's sample)."""
    from zhibiao.db import search_reads

    _client, store, _bucket, _doc = stack
    seed(store, "hangzhou-2022-work-report.txt")
    tokens = ["发展", "数字", "亚运会", "3.5", "不在任何段落"]
    with store() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE paragraphs"))
            assert search_reads._pg_common_tokens(session, tokens).keys() >= {"发展", "数字"}
        P = models.Paragraph
        exact = {t: session.scalar(select(func.count()).where(P.tokens.like(f"% {t} %"))) for t in tokens}
        assert search_reads.token_documents(session=session, tokens=tokens) == exact
    assert exact["发展"] > exact["亚运会"] > 0 and exact["不在任何段落"] == 0
