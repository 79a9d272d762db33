"""The gateway over a real database the store wrote: contract shapes, pagination, uploads."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.integration.test_store import DOC, _deliver, _extracted
from zhibiao.buckets import FolderBucket
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.plumbing.config import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def client(database_url, tmp_path, namespace):
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=make_sessionmaker(engine))
    engine.dispose()
    settings = Settings(
        database_url=database_url,
        bucket_url=f"file://{tmp_path}/bucket",
        api_token="tok",
        namespace=namespace,
        max_file_bytes=1000,
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_documents_and_their_text(client):
    page = client.get("/v1/documents").json()
    assert page["next_cursor"] is None and [d["id"] for d in page["items"]] == [DOC]
    doc = client.get(f"/v1/documents/{DOC}").json()
    assert doc["status"] == "done" and doc["region"] == "杭州市" and doc["plan_year"] == 2020
    assert [e["event"] for e in doc["timeline"]] == ["stored"]
    text = client.get(f"/v1/documents/{DOC}/text")
    assert text.headers["content-type"] == "text/plain; charset=utf-8" and "杭州" in text.text
    assert client.get("/v1/documents?region=杭州市&year=2020&status=done").json()["items"]
    assert client.get("/v1/documents?region=全国").json()["items"] == []
    sections = client.get(f"/v1/documents/{DOC}/sections").json()["items"]
    assert sections and {"number", "heading", "level", "start", "end"} <= set(sections[0])


def test_facts_paginate_without_gaps_or_repeats(client):
    everything = client.get(f"/v1/facts?document_id={DOC}&limit=1000").json()["items"]
    seen, cursor = [], None
    while True:
        page = client.get("/v1/facts", params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [f["id"] for f in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f["id"] for f in everything] and len(seen) > 3
    fact = everything[0]
    assert fact["quote"] and fact["kind"] in ("actual", "target")
    text = client.get(f"/v1/documents/{DOC}/text").text
    assert all(f["start"] <= f["figure_start"] < f["figure_end"] <= f["end"] for f in everything)
    assert all(any(ch.isdigit() for ch in text[f["figure_start"] : f["figure_end"]]) for f in everything)
    gdp = client.get("/v1/facts?indicator=gdp&kind=target&measure=growth").json()["items"]
    assert gdp and all(f["indicator"] == "gdp" for f in gdp)


def test_errors_have_the_contract_shape(client):
    r = client.get("/v1/documents/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.get("/v1/facts?limit=5000")
    assert r.status_code == 422 and "limit" in r.json()["error"]["message"]
    r = client.get("/v1/facts?cursor=%%%")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_cursor"


def test_uploads_need_the_token_and_land_in_the_bucket(client, tmp_path):
    files = {"file": ("报告.txt", "政府工作报告".encode(), "text/plain")}
    assert client.post("/v1/documents", files=files).status_code == 401
    r = client.post("/v1/documents", files=files, headers={"Authorization": "Bearer tok"})
    assert r.status_code == 202 and r.json()["status"] == "received"
    bucket = FolderBucket(tmp_path / "bucket")
    [obj] = list(bucket.list())
    assert bucket.source_name(obj.key) == "报告.txt" and bucket.sha256(obj.key) == r.json()["id"]


def test_uploads_over_the_limit_are_refused_while_streaming(client):
    r = client.post(
        "/v1/documents", files={"file": ("big.txt", b"x" * 5000, "text/plain")}, headers={"Authorization": "Bearer tok"}
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_health_readiness_metrics_and_openapi(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    assert "zhibiao_gateway_uploads_total" in client.get("/metrics").text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/documents", "/v1/facts", "/v1/indicators", "/v1/documents/{document_id}/text"} <= set(paths)
    indicators = client.get("/v1/indicators").json()["items"]
    assert any(i["code"] == "gdp" and i["facts"] > 0 for i in indicators)
