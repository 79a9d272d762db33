"""Scenario 1: kill -9 random extract workers mid-document, again and again."""

from __future__ import annotations

import random
import time

import pytest

from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, facts_of_one, figures, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
DOCUMENTS, WORKERS, KILLS = 60, 3, 6


def test_killed_workers_lose_nothing_and_duplicate_nothing(tmp_path, namespace, pg_url):
    # every document takes at least 1.5 s inside the parser, so a kill lands mid-document
    stack = FaultStack(
        tmp_path, namespace=namespace, database_url=pg_url, extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "1.5"}
    )
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
        report = check(pg_url, accepted, expected_facts=dict.fromkeys(accepted, facts_of_one()), figures=figures(files))
        dead = stack.dead_letters()
    finally:
        stack.stop()
    record("kill -9 extract", report, faults=stack.kills, note=f"{WORKERS} workers, dead letters {len(dead)}")
    assert report.stored == DOCUMENTS and report.clean, report
    assert dead == []
    assert report.redeliveries >= 1, "no kill hit a document mid-work: the run proved nothing"
