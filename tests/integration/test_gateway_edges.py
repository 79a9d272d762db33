"""The gateway's edges against hostile requests (review F8, F10): the token is checked before a
body is read, a chunked body over the cap is 413, and NUL bytes or values PostgreSQL refuses
are a 4xx, never a 500."""

from __future__ import annotations

import asyncio
import base64
import hmac
import json

import h11
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.integration.test_store import DOC, _deliver, _extracted
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.plumbing.config import Settings

pytestmark = pytest.mark.integration
TOKEN = "edge-token"
CHUNK = 64 * 1024
BOUNDARY = "edgeboundary"


def _app(database_url: str, tmp_path, *, max_file_bytes: int = 200 << 20):
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=make_sessionmaker(engine))
    engine.dispose()
    return create_app(
        Settings(
            database_url=database_url,
            bucket_url=f"file://{tmp_path}/bucket",
            api_token=TOKEN,
            max_file_bytes=max_file_bytes,
        )
    )


def _post(app, body_size: int, headers: dict[str, str]) -> tuple[int, dict, int]:
    """POST /v1/documents straight through ASGI, the body in 64 KiB chunks and no Content-Length
    (chunked transfer); returns (status, body, bytes the app pulled with receive())."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="r.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    chunks = [head] + [b"x" * CHUNK] * (body_size // CHUNK) + [b"x" * (body_size % CHUNK) + tail]
    pulled = 0
    sent: list[dict] = []

    async def receive():
        nonlocal pulled
        if not chunks:
            await asyncio.sleep(3600)  # the client has nothing more to say; a server waits for it
        chunk = chunks.pop(0)
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    async def send(message):
        sent.append(message)

    raw = {"content-type": f"multipart/form-data; boundary={BOUNDARY}", **headers}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/documents",
        "raw_path": b"/v1/documents",
        "root_path": "",
        "query_string": b"",
        "headers": [(k.encode(), v.encode()) for k, v in raw.items()],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 60))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), pulled


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path}/zhibiao.db"


def test_anonymous_uploads_are_refused_before_the_body_is_read(sqlite_url, tmp_path):
    app = _app(sqlite_url, tmp_path)
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": "Basic " + "a" * 20}):
        status, body, pulled = _post(app, 20_000_000, headers)
        assert status == 401 and body["error"]["code"] == "unauthorized", (headers, status, body)
        assert pulled < 1 << 20, f"{pulled} bytes of an anonymous body read before the 401"


def test_a_chunked_body_over_the_cap_is_413(sqlite_url, tmp_path):
    app = _app(sqlite_url, tmp_path, max_file_bytes=100_000)
    status, body, pulled = _post(app, 300_000, {"authorization": f"Bearer {TOKEN}"})
    assert (status, body["error"]["code"]) == (413, "too_large"), body
    assert pulled <= 100_000 + CHUNK + 200
    # under the cap the same chunked upload goes through
    status, body, _ = _post(app, 50_000, {"authorization": f"Bearer {TOKEN}"})
    assert status == 202, body


def test_the_token_is_compared_in_constant_time(sqlite_url, tmp_path, monkeypatch):
    calls = []
    real = hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording)
    with TestClient(_app(sqlite_url, tmp_path)) as client:
        files = {"file": ("r.txt", "政府工作报告".encode(), "text/plain")}
        assert client.post("/v1/documents", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert (
            client.post("/v1/documents", files=files, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 202
        )
    assert calls, "the bearer token was compared with ==, which leaks its prefix through timing"


def _header_ok(name: str, value: str) -> bool:
    """What the real server (h11) accepts as a response header."""
    try:
        h11.Response(status_code=200, headers=[(name, value)])
    except h11.LocalProtocolError:
        return False
    return True


def test_an_export_name_cannot_inject_headers(sqlite_url, tmp_path):
    with TestClient(_app(sqlite_url, tmp_path)) as client:
        r = client.get("/v1/series", params={"indicator": "gdp\r\nX-Injected: 1", "format": "csv"})
    # not a catalogue indicator: refused before any name is made of it
    assert r.status_code == 422 and "x-injected" not in r.headers
    from services.gateway import exports

    r = exports.download([], ["a"], fmt="csv", name="series-gdp\r\nX-Injected: 1")
    disposition = r.headers["content-disposition"]
    assert _header_ok("Content-Disposition", disposition), disposition
    assert "filename*=UTF-8''series-gdpX-Injected%3A%201.csv" in disposition


def test_nul_bytes_and_database_data_errors_are_4xx_on_postgresql(pg_url, tmp_path):
    app = _app(pg_url, tmp_path)

    @app.get("/test-data-error")
    def data_error() -> dict:
        # A value PostgreSQL refuses, as a query the gateway did not foresee would send it.
        engine = make_engine(pg_url)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT CAST(:v AS text)"), {"v": "a\x00b"})
        finally:
            engine.dispose()
        return {}

    nul_cursor = base64.urlsafe_b64encode(json.dumps("\x00").encode()).decode()
    with TestClient(app, raise_server_exceptions=False) as client:
        for url in (
            "/v1/facts?region=%00",
            "/v1/documents/%00",
            f"/v1/documents/{DOC}%00/text",
            "/v1/documents?region=a%00b",
            "/v1/series?indicator=%00",
            "/v1/tasks?document_id=%00",
            "/v1/facts?format=csv&indicator=gdp%00",
        ):
            r = client.get(url)
            assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", (url, r.status_code)
        r = client.get(f"/v1/facts?cursor={nul_cursor}")
        assert 400 <= r.status_code < 500, (r.status_code, r.text)
        r = client.get("/test-data-error")
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request", r.text
        assert "\x00" not in r.text
        # the ordinary queries still answer
        assert client.get("/v1/facts?region=杭州市").status_code == 200
        assert client.get(f"/v1/documents/{DOC}").status_code == 200
