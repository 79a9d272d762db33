"""Scenario 1: kill -9 random extract workers mid-document, again and again."""

from __future__ import annotations

import random
import time

import pytest

from tests.faults.checker import check
from tests.faults.harness import FaultStack, documents, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
DOCUMENTS, WORKERS, KILLS = 60, 3, 6


def test_killed_workers_lose_nothing_and_duplicate_nothing(tmp_path, namespace, pg_url):
    # every document takes at least 1.5 s inside the parser, so a kill lands mid-document
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url,
                       extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "1.5"})
    rng = random.Random(1)
    try:
        stack.start_services(extract_workers=WORKERS)
        files = documents(DOCUMENTS, seed=1)
        accepted = stack.drop(files)
        time.sleep(4)
        for _ in range(KILLS):
            victim = rng.choice(stack.alive("extract"))
            stack.kill9(victim)
            stack.start("extract")  # the supervisor's part: a fresh worker replaces it
            time.sleep(rng.uniform(2.5, 4.0))
        wait_until(lambda: stack.settled(set(accepted)), 240, what="every document settled")
        report = check(pg_url, accepted, expected_facts={i: _facts_of_one(pg_url) for i in accepted})
        dead = stack.dead_letters()
    finally:
        stack.stop()
    print(report.line("kill -9 extract workers", workers=WORKERS, kills=stack.kills, dead_letters=len(dead)))
    assert report.stored == DOCUMENTS and not report.lost, report
    assert not report.duplicated and not report.unexpected, report.duplicated
    assert dead == []
    assert report.redeliveries >= 1, "no kill hit a document mid-work: the run proved nothing"


_ONE: list[int] = []


def _facts_of_one(pg_url: str) -> int:
    """Every generated document is the same report plus a closing line: one extraction's count."""
    if not _ONE:
        from tests.faults.harness import BASE_TEXT
        from zhibiao.extraction import extract_bytes

        _ONE.append(len(extract_bytes(BASE_TEXT + "\n\n（档案标记 x）\n".encode(), "r.txt").extraction.facts))
    return _ONE[0]
