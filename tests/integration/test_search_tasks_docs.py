"""Search with filters and phrases, key tasks with status, leader, export and counts per lead
unit, and an API that explains itself (issue 15, points 5, 8, 9)."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from urllib.parse import unquote

import pytest
import uvicorn
from openpyxl import load_workbook

from services.gateway.app import create_app
from services.gateway.http11 import GatewayH11Protocol
from tests.integration import test_analytics
from zhibiao.domain import search_text
from zhibiao.domain.task_progress import progress_status
from zhibiao.plumbing.config import Settings

pytestmark = pytest.mark.integration
client = test_analytics.client  # the five samples, stored on SQLite and PostgreSQL


def _text(client, hit) -> str:
    return client.get(f"/v1/documents/{hit['document_id']}/text").text[hit["start"] : hit["end"]]


def test_jieba_is_loaded_at_start(client):
    assert search_text._ready  # the TestClient ran the lifespan: the first query does not load it


def test_search_filters_by_region_year_and_type(client):
    every = client.get("/v1/search", params={"q": "数字经济", "limit": 1000}).json()
    assert {h["region"] for h in every["items"]} >= {"杭州市", "杭州市滨江区"}
    hangzhou = client.get("/v1/search", params={"q": "数字经济", "region": "杭州", "limit": 1000}).json()
    assert hangzhou["total"] == every["total"]  # 杭州 holds 杭州市 and the districts inside it
    binjiang = client.get("/v1/search", params={"q": "数字经济", "region": "杭州市滨江区", "limit": 1000}).json()
    assert 0 < binjiang["total"] < every["total"] and {h["region"] for h in binjiang["items"]} == {"杭州市滨江区"}
    y2022 = client.get("/v1/search", params={"q": "数字经济", "year": 2022, "limit": 1000}).json()
    assert 0 < y2022["total"] < every["total"] and {h["year"] for h in y2022["items"]} == {2022}
    tables = client.get("/v1/search", params={"q": "亚运", "doc_type": "progress_table", "limit": 1000}).json()
    assert tables["total"] > 0 and {h["doc_type"] for h in tables["items"]} == {"progress_table"}
    bad = client.get("/v1/search", params={"q": "亚运", "doc_type": "memo"})
    assert bad.status_code == 422 and "work_report" in bad.json()["error"]["message"]


def test_a_filter_that_keeps_every_document_changes_no_answer(client):
    """Unfiltered, SQLite counts and ranks through FTS5 alone; with a filter, through the
    paragraphs joined to their documents: the same matches, in the same order."""
    for q in ("数字经济", "发展", "GDP 增长"):
        every = client.get("/v1/search", params={"q": q, "limit": 100}).json()
        hangzhou = client.get("/v1/search", params={"q": q, "region": "杭州", "limit": 100}).json()
        assert every["total"] == hangzhou["total"] > 0, q
        spans = lambda page: [(h["document_id"], h["start"]) for h in page["items"]]
        assert spans(every) == spans(hangzhou), q


def test_a_quoted_phrase_must_stand_as_written(client):
    loose = client.get("/v1/search", params={"q": "数字经济", "limit": 1000}).json()
    for quoted in ('"数字经济"', "“数字经济”", "「数字经济」"):
        exact = client.get("/v1/search", params={"q": quoted, "limit": 1000}).json()
        assert 0 < exact["total"] < loose["total"], quoted
        assert all("数字经济" in _text(client, h) for h in exact["items"])
        assert all("<mark>数字经济</mark>" in h["snippet"] for h in exact["items"])
    apart = [h for h in loose["items"] if "数字经济" not in _text(client, h)]
    assert apart  # the unquoted query also finds 数字 … 经济 apart


def test_more_than_fifty_hits_page_by_page(client):
    first = client.get("/v1/search", params={"q": "发展", "limit": 500}).json()
    assert first["total"] > 50 and len(first["items"]) == min(500, first["total"])
    small = client.get("/v1/search", params={"q": "发展", "limit": 50}).json()
    rest = client.get("/v1/search", params={"q": "发展", "limit": 500, "cursor": small["next_cursor"]}).json()
    assert [h["start"] for h in small["items"] + rest["items"]][: len(first["items"])] == [
        h["start"] for h in first["items"]
    ]


def test_tasks_have_a_progress_status_and_a_leader_filter(client):
    items = client.get("/v1/tasks", params={"limit": 1000}).json()["items"]
    assert len(items) == 143
    assert {t["progress_status"] for t in items} <= {"done", "on_track", "behind", None}
    assert all(t["progress_status"] == progress_status(t["progress"]) for t in items)
    leader = next(t["leader"] for t in items if t["leader"])
    led = client.get("/v1/tasks", params={"leader": leader, "limit": 1000}).json()["items"]
    assert led and len(led) < len(items) and all(leader in t["leader"] for t in led)
    on_track = client.get("/v1/tasks", params={"status": "on_track", "limit": 1000}).json()["items"]
    assert on_track and all(t["progress_status"] == "on_track" for t in on_track)
    assert client.get("/v1/tasks", params={"status": "late"}).status_code == 422


def test_task_counts_per_lead_unit(client):
    units = client.get("/v1/tasks/lead_units").json()["items"]
    fagai = next(u for u in units if u["lead_unit"] == "市发改委")
    led = client.get("/v1/tasks", params={"lead_unit": "市发改委", "limit": 1000}).json()["items"]
    assert fagai["tasks"] == len(led) == 16
    assert fagai["done"] + fagai["on_track"] + fagai["behind"] + fagai["unknown"] == fagai["tasks"]
    assert [u["tasks"] for u in units] == sorted((u["tasks"] for u in units), reverse=True)


def test_tasks_export(client):
    r = client.get("/v1/tasks", params={"lead_unit": "市发改委", "format": "csv"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 16 and all("市发改委" in next(iter(row.values())) or row for row in rows)
    assert {row[k] for row in rows for k in row if "progress_status" in k or "进展" in k} & {"推进中", "完成", "滞后"}
    x = client.get("/v1/tasks", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(x.content)).active
    assert sheet.max_row == 144  # a header and 143 tasks


def test_search_hits_export_named_after_the_query(client):
    """Issue 15, point 4: every hit of a search, whole paragraphs, in a file named after it."""
    every = client.get("/v1/search", params={"q": "亚运会", "limit": 1000}).json()
    assert every["total"] > 0
    r = client.get("/v1/search", params={"q": "亚运会", "format": "xlsx", "limit": 1})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert unquote(r.headers["content-disposition"].split("filename*=UTF-8''")[1]) == "search-亚运会.xlsx"
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert {"地区", "年度", "文档类型", "文件名", "段落", "相关度", "段落原文"} <= set(header)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    rows = [dict(zip(header, (c.value for c in line), strict=True)) for line in sheet.iter_rows(min_row=2)]
    assert len(rows) == every["total"]  # every hit, not the page limit asked for
    assert all("亚运会" in row["段落原文"] for row in rows)
    assert [row["段落"] for row in rows] == [h["paragraph"] + 1 for h in every["items"]]  # best first, counted from 1
    assert {row["文档类型"] for row in rows} <= {"政府工作报告", "重点工作完成情况"}
    csv_ = client.get("/v1/search", params={"q": '"亚运会"', "region": "杭州市", "year": 2022, "format": "csv"})
    assert csv_.status_code == 200
    name = unquote(csv_.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == "search-亚运会-杭州市-2022.csv"
    lines = list(csv.DictReader(io.StringIO(csv_.content.decode("utf-8-sig"))))
    assert lines and all(line["region"] == "杭州市" and line["year"] == "2022" for line in lines)
    assert client.get("/v1/search", params={"q": "亚运会", "format": "pdf"}).status_code == 422


def test_tasks_answer_a_total(client):
    first = client.get("/v1/tasks", params={"limit": 10}).json()
    assert first["total"] == 143 and len(first["items"]) == 10
    second = client.get("/v1/tasks", params={"limit": 10, "cursor": first["next_cursor"]}).json()
    assert second["total"] == 143 and second["items"][0]["id"] > first["items"][-1]["id"]
    led = client.get("/v1/tasks", params={"lead_unit": "市发改委", "limit": 5}).json()
    assert led["total"] == 16 and len(led["items"]) == 5
    assert client.get("/v1/tasks", params={"status": "on_track", "limit": 1}).json()["total"] > 1
    assert client.get("/v1/tasks", params={"cursor": "InRlbiI="}).status_code == 400  # "ten"


def test_docs_work_offline(client):
    page = client.get("/docs").text
    assert "/docs/assets/swagger-ui-bundle.js" in page and "/docs/assets/swagger-ui.css" in page
    assert "cdn" not in page.lower() and "https://" not in page.replace("https://fastapi.tiangolo.com", "")
    js = client.get("/docs/assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 500_000 and "javascript" in js.headers["content-type"]
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/docs/assets/..%2Fsecret.js").status_code == 404


def test_every_parameter_is_described_and_the_422_shape_is_the_one_returned(client):
    schema = client.get("/openapi.json").json()
    undescribed = [
        (path, p["name"])
        for path, ops in schema["paths"].items()
        for op in ops.values()
        for p in op.get("parameters", [])
        if not p.get("description")
    ]
    assert undescribed == []
    assert "HTTPValidationError" not in json.dumps(schema)
    search = schema["paths"]["/v1/search"]["get"]
    error_ref = search["responses"]["4XX"]["content"]["application/json"]["schema"]["$ref"]
    declared = schema["components"]["schemas"][error_ref.rsplit("/", 1)[1]]
    r = client.get("/v1/search", params={"q": "x", "limit": 0})
    assert r.status_code == 422 and set(r.json()) == set(declared["properties"])
    detail = schema["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(r.json()["error"]) == set(detail)


@pytest.fixture
def served(tmp_path, namespace):
    """The gateway over uvicorn with its own HTTP protocol, as `python -m services.gateway` runs it."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/z.db", bucket_url=f"file://{tmp_path}/bucket", namespace=namespace
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            http=GatewayH11Protocol,
            lifespan="off",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def test_a_url_with_raw_chinese_gets_a_clear_400(served):
    head, body = _raw(served, "GET /v1/documents?region=杭州市 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    error = json.loads(body)["error"]
    assert error["code"] == "invalid_url" and "percent-encode" in error["message"] and "%E6%9D%AD" in error["message"]
    head, body = _raw(served, b"NOT HTTP AT ALL\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400") and json.loads(body)["error"]["code"] == "bad_request"
    head, _ = _raw(served, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
