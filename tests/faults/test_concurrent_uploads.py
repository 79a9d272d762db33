"""Scenario 8: twenty concurrent uploads of the same file through the gateway: one document."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.stack import upload
from tests.faults.checker import check
from tests.faults.harness import FaultStack, documents, sha, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
UPLOADS = 20


def _upload(base: str, name: str, data: bytes) -> tuple[int, str]:
    status, body = upload(base, name, data, timeout=90)
    return status, body["id"]


def test_concurrent_uploads_of_one_file_make_one_document(tmp_path, namespace, pg_url):
    [(name, data)] = documents(1, seed=8).items()
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    try:
        stack.start_services(extract_workers=2, gateway=True)
        with ThreadPoolExecutor(UPLOADS) as pool:
            replies = list(pool.map(lambda _: _upload(stack.base, name, data), range(UPLOADS)))
        wait_until(lambda: stack.settled({sha(data)}), 120, what="the document settled")
        wait_until(lambda: stack.ready("extract") == 0 and stack.ready("store") == 0, 60, what="queues drained")
        # every accepted upload may run once; what must hold is one document, one set of facts
        report = check(pg_url, {sha(data): UPLOADS})
        rows = stack.statuses()
        objects = len(list((stack.bucket / "uploads").glob("*")))
    finally:
        stack.stop()
    print(report.line("20 concurrent uploads", uploads=UPLOADS, documents_stored=len(rows),
                      bucket_objects=objects))
    assert {status for status, _ in replies} == {202} and {i for _, i in replies} == {sha(data)}
    assert rows == {sha(data): "done"}
    assert not report.lost and not report.duplicated and not report.unexpected, report
