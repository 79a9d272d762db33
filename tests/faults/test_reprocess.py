"""POST /v1/documents/{id}/reprocess: a failed document shows its reason in
GET /v1/documents?status=failed, and a reprocess runs it again under a fresh message id,
which the store's inbox does not swallow."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.faults.harness import FaultStack, documents, sha, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _post(base: str, path: str, token: str | None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(base + path, data=b"", method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _stored_events(stack: FaultStack, doc_id: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(stack.env["ZHIBIAO_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            query = text("SELECT count(*) FROM document_events WHERE document_id = :d AND event = 'stored'")
            return conn.execute(query, {"d": doc_id}).scalar()
    finally:
        engine.dispose()


def test_failed_documents_show_their_reason_and_reprocess_runs_again(tmp_path, namespace, pg_url):
    [(name, data)] = documents(1, seed=9).items()
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    try:
        stack.start_services(extract_workers=1, gateway=True)
        stack.drop({name: data, "empty.pdf": b""})
        good, empty = sha(data), sha(b"")
        wait_until(lambda: stack.settled({good, empty}), 90, what="both settled")
        failed = stack.get("/v1/documents?status=failed")["items"]
        assert [(d["id"], "empty" in d["error"]) for d in failed] == [(empty, True)]

        assert _post(stack.base, f"/v1/documents/{good}/reprocess", None)[0] == 401
        assert _post(stack.base, f"/v1/documents/{'0' * 64}/reprocess", "e2e-token")[0] == 404
        status, body = _post(stack.base, f"/v1/documents/{good}/reprocess", "e2e-token")
        assert status == 202 and body["status"] == "queued" and body["previous_status"] == "done"
        wait_until(lambda: _stored_events(stack, good) == 2, 60, what="the reprocessed result stored")
        status, _ = _post(stack.base, f"/v1/documents/{empty}/reprocess", "e2e-token")
        assert status == 202
        wait_until(lambda: len(stack.dead_letters()) == 2, 60, what="the empty file failing again")
        still = stack.get(f"/v1/documents/{empty}")
    finally:
        stack.stop()
    print(f"[reprocess] stored events after one reprocess: 2; failed again: {still['status']} ({still['error']})")
    assert still["status"] == "failed" and "empty" in still["error"]
