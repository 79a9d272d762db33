"""Schemathesis against the gateway's own OpenAPI: no request it can generate gets a 5xx,
and no write endpoint does anything for a request without the bearer token. On both
databases: PostgreSQL refuses what SQLite takes (NUL bytes in text), and that must come out
as a 4xx, not a 500."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from starlette.testclient import TestClient

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.integration.test_store import _deliver, _extracted
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.plumbing.config import Settings

pytestmark = [pytest.mark.slow, pytest.mark.integration]
TOKEN = "fuzz-token"


@pytest.fixture
def gateway(tmp_path, namespace, database_url):
    url = database_url
    engine = make_engine(url, writer=True)
    upgrade(engine)
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=make_sessionmaker(engine))
    engine.dispose()
    return create_app(
        Settings(
            database_url=url,
            bucket_url=f"file://{tmp_path}/bucket",
            api_token=TOKEN,
            namespace=namespace,
            max_file_bytes=1 << 20,
        )
    )


@pytest.fixture
def api_schema(gateway):
    return schemathesis.openapi.from_asgi("/openapi.json", gateway)


def test_no_server_errors(api_schema):
    # Hypothesis driven by hand: schemathesis's pytest plugin does not load under pytest 9.
    calls, failures = [], []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
            calls.append(case.call_and_validate(checks=[not_a_server_error]).status_code)

        try:
            run()
        except Exception as exc:  # noqa: BLE001  (collect: one operation's failure must not hide another's)
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    print(f"[api] operations={len(operations)} requests={len(calls)} 5xx={len(failures)}")
    assert not failures, "\n\n".join(failures)


def test_write_endpoints_refuse_requests_without_the_token(gateway):
    spec = TestClient(gateway).get("/openapi.json").json()
    writes = [
        (path, method)
        for path, ops in spec["paths"].items()
        for method in ops
        if method in ("post", "put", "patch", "delete")
    ]
    assert ("/v1/documents", "post") in writes and ("/v1/documents/{document_id}/reprocess", "post") in writes
    with TestClient(gateway) as client:
        for path, method in writes:
            url = path.replace("{document_id}", "d" * 64).replace("{", "").replace("}", "")
            for headers in ({}, {"Authorization": "Bearer wrong"}):
                r = client.request(method.upper(), url, headers=headers)
                assert r.status_code == 401, (method, path, headers, r.status_code, r.text)
    print(f"[api] write endpoints refusing anonymous requests: {len(writes)}")


HOSTILE = (
    "\x00",
    "gdp\x00x",
    "gdp\r\nX-Injected: 1",
    '=HYPERLINK("http://x")',
    "%_\\",
    "'; select 1; --",
    "a" * 3000,
    "中" * 400,
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
)


@pytest.fixture
def served(gateway):
    """The gateway under the real server: uvicorn's HTTP layer refuses what the in-process
    ASGI client lets through (a CR LF in a header), and a refusal there is a 500 too."""
    import threading

    import uvicorn

    from tests.e2e.stack import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(gateway, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_hostile_strings_in_every_parameter_get_no_server_error(served):
    """Hypothesis seldom draws these: NUL (PostgreSQL refuses it in text), CR LF (a header
    injection once it reaches Content-Disposition), formula starts, LIKE wildcards, very long
    strings; each in every string parameter and path segment of every GET, in every format."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    spec = json.loads(urllib.request.urlopen(served + "/openapi.json", timeout=30).read())
    failures, calls = [], 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = [p for p in op.get("parameters", []) if p["in"] in ("query", "path")]
        formats = next((p["schema"]["enum"] for p in params if p["name"] == "format"), [None])
        for target in params:
            if target["name"] == "format" or target.get("schema", {}).get("type") == "integer":
                continue
            for value, fmt in ((v, f) for v in HOSTILE for f in formats):
                query = {p["name"]: "x" for p in params if p["in"] == "query" and p.get("required")}
                url = path
                for p in params:
                    if p["in"] == "path":
                        url = url.replace(
                            "{" + p["name"] + "}", urllib.parse.quote(value if p is target else "d" * 64, safe="")
                        )
                if target["in"] == "query":
                    query[target["name"]] = value
                if fmt:
                    query["format"] = fmt
                full = served + url + ("?" + urllib.parse.urlencode(query) if query else "")
                calls += 1
                try:
                    with urllib.request.urlopen(full, timeout=60) as r:
                        status = r.status
                except urllib.error.HTTPError as exc:
                    status = exc.code
                except OSError as exc:  # the server dropped the connection: as bad as a 500
                    status = f"connection error {exc!r}"
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"GET {path} {target['name']}={value[:40]!r} format={fmt}: {status}")
    print(f"[api hostile] requests={calls} 5xx={len(failures)}")
    assert not failures, "\n".join(failures)
