"""Scenario 8: twenty concurrent uploads of the same file through the gateway: one document."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.stack import upload
from tests.faults.checker import FACT_FIELDS, check, record, stored_facts
from tests.faults.harness import FaultStack, documents, facts_of_one, figures, sha, wait_until
from zhibiao.parsing.extraction import extract_bytes

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
        report = check(
            pg_url, {sha(data): UPLOADS}, expected_facts={sha(data): facts_of_one()}, figures=figures({name: data})
        )
        facts = stored_facts(pg_url, sha(data))
        rows = stack.statuses()
        objects = len(list((stack.bucket / "uploads").glob("*")))
    finally:
        stack.stop()
    record("20 concurrent uploads", report, faults=0, note=f"{objects} bucket objects")
    assert {status for status, _ in replies} == {202} and {i for _, i in replies} == {sha(data)}
    assert rows == {sha(data): "done"}
    assert report.clean, report
    # fact by fact: what is stored is one extraction of the file, not a sum or a mix of several
    one = Counter(tuple(getattr(f, k) for k in FACT_FIELDS) for f in extract_bytes(data, name).extraction.facts)
    assert facts == one, (facts - one, one - facts)
