"""Schemathesis against the gateway's own OpenAPI: no request it can generate gets a 5xx,
and no write endpoint does anything for a request without the bearer token."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from starlette.testclient import TestClient

from services.gateway.app import create_app
from services.store.handler import handle_event
from tests.integration.test_store import _deliver, _extracted
from zhibiao.config import Settings
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade

pytestmark = [pytest.mark.slow, pytest.mark.integration]
TOKEN = "fuzz-token"


@pytest.fixture
def gateway(tmp_path, namespace):
    url = f"sqlite:///{tmp_path}/zhibiao.db"
    engine = make_engine(url, writer=True)
    upgrade(engine)
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=make_sessionmaker(engine))
    engine.dispose()
    return create_app(Settings(database_url=url, bucket_url=f"file://{tmp_path}/bucket", api_token=TOKEN,
                               namespace=namespace, max_file_bytes=1 << 20))


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
    writes = [(path, method) for path, ops in spec["paths"].items() for method in ops
              if method in ("post", "put", "patch", "delete")]
    assert ("/v1/documents", "post") in writes and ("/v1/documents/{document_id}/reprocess", "post") in writes
    with TestClient(gateway) as client:
        for path, method in writes:
            url = path.replace("{document_id}", "d" * 64).replace("{", "").replace("}", "")
            for headers in ({}, {"Authorization": "Bearer wrong"}):
                r = client.request(method.upper(), url, headers=headers)
                assert r.status_code == 401, (method, path, headers, r.status_code, r.text)
    print(f"[api] write endpoints refusing anonymous requests: {len(writes)}")
