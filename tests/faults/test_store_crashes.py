"""Scenario 2: the store dies after its commit and before its ack; the redelivery changes nothing.
Scenario 3, the negative controls: a store that acks before it commits loses documents, and
the checker names exactly the ones it lost; a store without its inbox applies the redelivered
messages a second time, and the checker names exactly those documents as duplicated — proof
that it can see both."""

from __future__ import annotations

import time

import pytest

from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, figures, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
EXTRACTED = "zhibiao.document.extracted.v1"


def _redelivered_extracted(stack: FaultStack) -> int:
    log = stack.workdir / "deliveries.log"
    return sum(
        1
        for line in log.read_text().splitlines()
        if line.startswith("zhibiao.document.extracted") and line.endswith("redelivered=True")
    )


def _crash_after_commit(tmp_path, namespace, pg_url, mode: str, crashes: int, count: int):
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    files = documents(count, seed=2)
    try:
        stack.start_services(extract_workers=2, store=False)
        crashy = ("store-crashy", "tests.faults.variants", mode)
        stack.env["ZHIBIAO_TEST_CRASHES"] = str(crashes)
        stack.start_module(*crashy)
        accepted = stack.drop(files)

        def progress():
            if not stack.alive("store-crashy"):
                stack.start_module(*crashy)
            # settled, and each crash's message came back (else the last victim's is still unacked)
            crashed = len(_crashes(tmp_path))
            return stack.settled(set(accepted)) and crashed == crashes and _redelivered_extracted(stack) >= crashed

        wait_until(progress, 180, step=0.3, what="every document settled and every crash redelivered")
        time.sleep(2)  # let the last redeliveries arrive
        report = check(pg_url, accepted, extra_redeliveries=_redelivered_extracted(stack), figures=figures(files))
        crashed = _crashes(tmp_path)
    finally:
        stack.stop()
    return report, crashed


def _crashes(workdir) -> set[str]:
    """The documents whose committed extraction the store died on before its ack."""
    log = workdir / "crashes.log"
    return {line.split()[-1] for line in log.read_text().splitlines()} if log.exists() else set()


def test_crash_after_commit_before_ack_changes_nothing(tmp_path, namespace, pg_url):
    crashes = 5
    report, crashed = _crash_after_commit(tmp_path, namespace, pg_url, "crash-after-commit", crashes, 20)
    record("store crash after commit", report, faults=len(crashed))
    assert len(crashed) == crashes
    assert report.redeliveries >= crashes, "the committed-but-unacked messages were never redelivered"
    assert report.clean, report


def test_negative_control_no_inbox_is_caught_as_duplication(tmp_path, namespace, pg_url):
    crashes = 4
    report, crashed = _crash_after_commit(tmp_path, namespace, pg_url, "crash-no-inbox", crashes, 12)
    record("control: store without inbox", report, faults=len(crashed), note="must duplicate")
    assert len(crashed) == crashes
    # each document whose extraction was committed, then redelivered, was applied twice and is
    # caught; a store without its inbox may re-apply more (a message it held, committed and unacked
    # when it killed itself on another one, prefetch 2), so the caught set holds at least those
    assert crashed <= set(report.duplicated), (report.duplicated, crashed)
    assert not report.lost and not report.stuck and not report.unexpected, report


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
        acked, committed = set(), set()
        for line in (tmp_path / "deliveries.log").read_text().splitlines():
            kind, what, document = line.split()[:3]
            if kind == EXTRACTED:
                acked.add(document)  # this store acks each message as it arrives
            elif kind == "committed" and what == EXTRACTED:
                committed.add(document)
    finally:
        stack.stop()
    record("control: ack before commit", report, faults=stack.kills, note="must lose")
    assert report.lost, "the checker did not see the loss an ack-before-commit store must cause"
    # the loss it reports is exactly the history's: extractions acked and never committed
    assert report.lost == acked - committed, (report.lost, acked - committed)
    assert not report.duplicated and not report.unexpected, report
