"""Scenario 2: the store dies after its commit and before its ack; the redelivery changes nothing.
Scenario 3, the negative control: a store that acks before it commits loses documents, and
the checker says so — proof that it can see a loss."""

from __future__ import annotations

import time

import pytest

from tests.faults.checker import check
from tests.faults.harness import FaultStack, documents, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _redelivered_extracted(stack: FaultStack) -> int:
    log = stack.workdir / "deliveries.log"
    return sum(1 for line in log.read_text().splitlines()
               if line.startswith("zhibiao.document.extracted") and line.endswith("redelivered=True"))


def test_crash_after_commit_before_ack_changes_nothing(tmp_path, namespace, pg_url):
    crashes, count = 5, 20
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    try:
        stack.start_services(extract_workers=2, store=False)
        crashy = ("store-crashy", "tests.faults.variants", "crash-after-commit")
        stack.env["ZHIBIAO_TEST_CRASHES"] = str(crashes)
        stack.start_module(*crashy)
        accepted = stack.drop(documents(count, seed=2))

        def progress():
            if not stack.alive("store-crashy"):
                stack.start_module(*crashy)
            return stack.settled(set(accepted))

        wait_until(progress, 180, step=0.3, what="every document settled")
        time.sleep(2)  # let the last redeliveries arrive
        report = check(pg_url, accepted, extra_redeliveries=_redelivered_extracted(stack))
        crashed = len((tmp_path / "crashes.log").read_text().splitlines())
    finally:
        stack.stop()
    print(report.line("crash after commit, before ack", kills=crashed))
    assert crashed == crashes
    assert report.redeliveries >= crashes, "the committed-but-unacked messages were never redelivered"
    assert not report.lost and not report.duplicated and not report.unexpected, report


def test_negative_control_ack_before_commit_is_caught_as_loss(tmp_path, namespace, pg_url):
    count, kills = 20, 4
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    try:
        stack.start_services(extract_workers=2, store=False)
        unsafe = ("store-unsafe", "tests.faults.variants", "ack-before-commit")
        stack.start_module(*unsafe)
        accepted = stack.drop(documents(count, seed=3))
        time.sleep(6)
        for _ in range(kills):
            stack.kill9(stack.alive("store-unsafe")[0])
            stack.start_module(*unsafe)
            time.sleep(2.5)
        # settled: nothing left in either queue and the database stopped changing
        last: dict = {}

        def quiet():
            nonlocal last
            now = stack.statuses()
            same = now == last and stack.ready("extract") == 0 and stack.ready("store") == 0
            last = now
            return same and len(now) > 0

        wait_until(quiet, 120, step=4, what="a quiet system")
        report = check(pg_url, accepted)
    finally:
        stack.stop()
    print(report.line("negative control: ack before commit", kills=stack.kills))
    assert report.lost, "the checker did not see the loss an ack-before-commit store must cause"
