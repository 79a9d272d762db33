"""Series, attainment, search, terms, tasks and exports over a database the store wrote
from the real sample reports, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime
from functools import cache

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from services.gateway import exports
from services.gateway.app import create_app
from services.gateway.routes import analytics, documents, facts, ops
from services.store.handler import handle_event
from tests.conftest import SAMPLES
from tests.integration.test_store import _deliver
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import DocumentExtracted, DocumentReceived

pytestmark = pytest.mark.integration
NAMES = (
    "hangzhou-2020-work-report.md",
    "hangzhou-2022-work-report.txt",
    "hangzhou-2023-work-report.txt",
    "binjiang-2020-work-report.md",
    "hangzhou-2020-h1-key-tasks-progress.md",
)


def doc_id(name: str) -> str:
    return hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest()


@cache
def extracted(name: str) -> DocumentExtracted:
    fields = extract_bytes((SAMPLES / name).read_bytes(), name).fields()
    return DocumentExtracted(document_id=doc_id(name), extractor_version=EXTRACTOR_VERSION, **fields)


def seed(sessions, name: str) -> None:
    """What the store receives for one dropped file: received, then extracted."""
    received = DocumentReceived(
        document_id=doc_id(name),
        key=name,
        source_name=name,
        size_bytes=(SAMPLES / name).stat().st_size,
        received_at=datetime.now(UTC),
    )
    handle_event(_deliver(received, f"received:{name}"), sessions=sessions)
    handle_event(_deliver(extracted(name), f"extracted:{name}"), sessions=sessions)


@pytest.fixture
def client(database_url, tmp_path, namespace):
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    for name in NAMES:
        seed(sessions, name)
    engine.dispose()
    settings = Settings(database_url=database_url, bucket_url=f"file://{tmp_path}/bucket", namespace=namespace)
    with TestClient(create_app(settings)) as c:
        yield c


def test_series_shows_actual_and_target_by_period_with_sources(client):
    body = client.get("/v1/series", params={"indicator": "gdp", "region": "杭州市", "measure": "growth"}).json()
    by_period = {i["period"]: i for i in body["items"]}
    assert {"2021", "2022", "2023"} <= set(by_period)
    [target] = by_period["2022"]["target"]
    [actual] = by_period["2022"]["actual"]
    assert (target["value"], target["qualifier"], target["source_name"]) == (
        6.5,
        "at_least",
        "hangzhou-2022-work-report.txt",
    )
    assert target["document_id"] == doc_id("hangzhou-2022-work-report.txt") and "6.5%" in target["quote"]
    assert actual["value"] == 1.5 and actual["document_id"] == doc_id("hangzhou-2023-work-report.txt")
    assert all(i["region"] == "杭州市" and i["measure"] == "growth" for i in body["items"])


def test_hangzhou_2022_gdp_growth_target_was_missed(client):
    items = client.get("/v1/attainment", params={"region": "杭州市"}).json()["items"]
    [row] = [i for i in items if (i["indicator"], i["measure"], i["period"]) == ("gdp", "growth", "2022")]
    assert row["status"] == "missed" and row["gap"] == pytest.approx(-5.0) and row["rule"] == "≥ 6.5%"
    assert row["target"]["document_id"] == doc_id("hangzhou-2022-work-report.txt")
    assert row["actual"]["document_id"] == doc_id("hangzhou-2023-work-report.txt")
    later = [i for i in items if i["period"] == "2023"]
    assert later and all(i["status"] == "not_yet_reported" and i["actual"] is None for i in later)
    assert all(i["region"] == "杭州市" for i in items)


def test_search_finds_segmented_words_ranked_with_marks(client):
    body = client.get("/v1/search", params={"q": "数字经济"}).json()
    assert body["tokens"] == ["数字", "经济"] and body["total"] >= 5  # jieba's dictionary has no 数字经济
    scores = [i["score"] for i in body["items"]]
    assert scores == sorted(scores, reverse=True)
    # the phrase itself ranks first, and is marked as one
    assert all("<mark>数字经济</mark>" in i["snippet"] for i in body["items"][:5])
    first = body["items"][0]
    text = client.get(f"/v1/documents/{first['document_id']}/text").text
    assert "数字经济" in text[first["start"] : first["end"]]
    both = client.get("/v1/search", params={"q": "亚运会 场馆"}).json()
    assert both["total"] >= 1 and all("<mark>亚运会</mark>" in i["snippet"] for i in both["items"])
    assert client.get("/v1/search", params={"q": "没有这种说法的词组合子虚乌有"}).json()["total"] == 0
    assert client.get("/v1/search", params={"q": "，。"}).status_code == 400


def test_search_paginates(client):
    first = client.get("/v1/search", params={"q": "发展", "limit": 5}).json()
    second = client.get("/v1/search", params={"q": "发展", "limit": 5, "cursor": first["next_cursor"]}).json()
    ids = [(i["document_id"], i["paragraph"]) for i in first["items"] + second["items"]]
    assert len(set(ids)) == 10


def test_terms_count_per_document_and_year(client):
    body = client.get("/v1/terms", params={"term": "数字经济"}).json()
    by_doc = {i["document_id"]: i for i in body["items"]}
    report = by_doc[doc_id("hangzhou-2022-work-report.txt")]
    assert report["count"] == extracted("hangzhou-2022-work-report.txt").text.count("数字经济") > 0
    years = {y["year"]: y for y in body["by_year"]}
    assert years[2022]["count"] == report["count"] and 2020 in years


def _pages(client, path: str, params: dict, limit: int) -> tuple[list[dict], list[dict]]:
    """Every item of a list read page by page, and each page's body."""
    items, bodies, cursor = [], [], None
    while True:
        body = client.get(path, params={**params, "limit": limit, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        bodies.append(body)
        cursor = body["next_cursor"]
        if not cursor:
            return items, bodies


def test_terms_series_and_attainment_page_through_every_item(client):
    whole = client.get("/v1/terms", params={"term": "发展", "limit": 1000}).json()
    items, bodies = _pages(client, "/v1/terms", {"term": "发展"}, 2)
    assert len(bodies) > 1 and items == whole["items"] and len(items) == whole["total"]
    assert all(b["by_year"] == whole["by_year"] and b["total"] == whole["total"] for b in bodies)
    whole = client.get("/v1/series", params={"indicator": "gdp", "limit": 1000}).json()
    items, bodies = _pages(client, "/v1/series", {"indicator": "gdp"}, 3)
    assert len(bodies) > 1 and items == whole["items"]
    # attainment pages by region and period: the whole country, one region, one verdict
    for params in ({}, {"region": "杭州市"}, {"status": "not_yet_reported"}, {"indicator": "gdp"}):
        whole = client.get("/v1/attainment", params={**params, "limit": 1000}).json()
        items, bodies = _pages(client, "/v1/attainment", params, 4)
        assert len(bodies) > 1 and items == whole["items"] and whole["next_cursor"] is None, params
        assert all(b["tolerance"] == whole["tolerance"] for b in bodies)
    assert client.get("/v1/terms", params={"term": "发展", "cursor": "bm90IGEgY3Vyc29y"}).status_code == 400
    assert client.get("/v1/attainment", params={"cursor": "bm90IGEgY3Vyc29y"}).status_code == 400


def test_tasks_with_lead_units_and_their_report_paragraph(client):
    items = client.get("/v1/tasks", params={"limit": 1000}).json()["items"]
    assert len(items) == 143
    first = next(t for t in items if t["number"] == 1)
    assert first["lead_units"] == ["市政府办公厅"] and first["leader"] == "刘忻"
    link = first["report_paragraph"]
    assert link["document_id"] == doc_id("hangzhou-2020-work-report.md")
    report = extracted("hangzhou-2020-work-report.md").text
    assert "全面从严治党" in report[link["start"] : link["end"]]
    linked = [t for t in items if t["report_paragraph"]]
    assert len(linked) >= 0.9 * len(items)
    finance = client.get("/v1/tasks", params={"lead_unit": "财政局"}).json()["items"]
    assert finance and all(any("财政局" in u for u in t["lead_units"]) for t in finance)
    found = client.get("/v1/tasks", params={"q": "亚运"}).json()["items"]
    assert found and all("亚运" in (t["text"] + (t["progress"] or "") + (t["next_steps"] or "")) for t in found)
    page = client.get("/v1/tasks", params={"limit": 50}).json()
    rest = client.get("/v1/tasks", params={"limit": 1000, "cursor": page["next_cursor"]}).json()["items"]
    assert len(page["items"]) + len(rest) == 143


def test_exports_csv_with_bom_and_xlsx(client):
    from openpyxl import load_workbook

    r = client.get("/v1/attainment", params={"region": "杭州市", "format": "csv"})
    assert (
        r.status_code == 200
        and r.content.startswith(b"\xef\xbb\xbf")
        and "attachment" in r.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert any(row["indicator"] == "gdp" and row["period"] == "2022" and row["status"] == "missed" for row in rows)
    r = client.get("/v1/series", params={"indicator": "gdp", "measure": "growth", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert "原文" in header and sheet.max_row > 3  # Chinese headers in a workbook
    r = client.get("/v1/facts", params={"document_id": doc_id("hangzhou-2022-work-report.txt"), "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == len(extracted("hangzhou-2022-work-report.txt").facts) and rows[0]["quote"]
    # a name Excel refuses for a sheet (found by the API fuzzer): not the catalogue's, so a 422, not a 500;
    # the sheet's name is made one Excel takes all the same
    r = client.get("/v1/series", params={"indicator": "a:b/[c]", "format": "xlsx"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_indicator"
    assert exports.sheet_name("series-a:b/[c]") == "series-a_b__c_"


def test_facts_say_where_their_figure_is(client):
    doc = doc_id("hangzhou-2022-work-report.txt")
    facts = client.get("/v1/facts", params={"document_id": doc, "limit": 1000}).json()["items"]
    text = client.get(f"/v1/documents/{doc}/text").text
    located = [f for f in facts if f["figure_start"] is not None]
    assert len(located) >= 0.9 * len(facts)
    gdp = next(f for f in facts if f["indicator"] == "gdp" and f["value"] == 18109)
    assert text[gdp["figure_start"] : gdp["figure_end"]] == "18109亿元"


def test_the_page_and_its_assets(client):
    page = client.get("/")
    assert page.status_code == 200 and "指标" in page.text and "/static/app.js" in page.text
    assert client.get("/static/app.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/..%2Fdata%2Findicators.tsv").status_code == 404


def _shape(value):
    """Keys all the way down, every plain value alike: what a response model fixes."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return "·"


def test_every_answer_has_the_shape_docs_declares(client):
    """Routes send PlainJSON, which FastAPI does not check against response_model: this does.
    A key missing fails validation; a key the model does not declare would be dropped by it."""
    report, table = doc_id(NAMES[0]), doc_id(NAMES[-1])
    requests = [
        ("/healthz", {}),
        ("/v1/documents", {}),
        (f"/v1/documents/{report}", {}),
        (f"/v1/documents/{report}/sections", {}),
        ("/v1/facts", {"limit": 1000}),
        ("/v1/indicators", {}),
        ("/v1/series", {"indicator": "gdp"}),
        ("/v1/attainment", {}),
        ("/v1/search", {"q": "数字经济"}),
        ("/v1/terms", {"term": "数字经济"}),
        ("/v1/tasks", {"document_id": table}),
        ("/v1/tasks/lead_units", {}),
        ("/v1/subjects", {}),
    ]
    requests.append((f"/v1/facts/{client.get('/v1/facts').json()['items'][0]['id']}", {}))
    routes = {
        r.path: r
        for m in (ops, documents, facts, analytics)
        for r in m.router.routes
        if r.response_model and "GET" in r.methods
    }
    assert set(routes) == {
        "/healthz",
        "/readyz",
        "/v1/documents",
        "/v1/documents/{document_id}",
        "/v1/documents/{document_id}/sections",
        "/v1/facts",
        "/v1/indicators",
        "/v1/series",
        "/v1/attainment",
        "/v1/search",
        "/v1/terms",
        "/v1/tasks",
        "/v1/tasks/lead_units",
        "/v1/subjects",
        "/v1/facts/{fact_id}",
    }
    for path, params in requests:
        body = client.get(path, params=params).json()
        route = next(r for r in routes.values() if r.path_regex.match(path))
        adapter = TypeAdapter(route.response_model)
        assert body and _shape(adapter.dump_python(adapter.validate_python(body), mode="json")) == _shape(body), path
