"""Kill -9 of the two services the extract kills leave alone.

Ingest dies right after the broker confirmed a document.received and before the ledger
records the file taken: the next ingest publishes the same file again, and the store's inbox
must make that one document, applied once. The store is killed at random moments while
documents flow: its unacked messages come back, and are applied once."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, facts_of_one, figures, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
RECEIVED = "zhibiao.document.received.v1"


def test_ingest_killed_between_publish_and_ledger_publishes_again_and_stores_once(tmp_path, namespace, pg_url):
    count, crashes = 16, 5
    files = documents(count, seed=11)
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url)
    crashy = ("ingest-crashy", "tests.faults.variants", "ingest-crash")
    try:
        stack.start_services(extract_workers=2, store=False, ingest=False)
        stack.start_module("store-logged", "tests.faults.variants", "store")
        wait_until(lambda: stack.grep_logs("zhibiao.plumbing.bus: consuming") >= 4, 60, what="the store's consumers")
        stack.env["ZHIBIAO_TEST_CRASHES"] = str(crashes)
        stack.start_module(*crashy)
        accepted = stack.drop(files)

        def progress():
            if not stack.alive("ingest-crashy"):
                stack.start_module(*crashy)  # the supervisor's part
            return stack.settled(set(accepted))

        wait_until(progress, 240, step=0.5, what="every document settled")
        time.sleep(3)  # a republished copy still on its way would show up as a second application
        crashed = (tmp_path / "crashes.log").read_text().splitlines()
        # the same document received again: the republications the crashes caused
        received = Counter(doc for kind, _, doc, _ in stack.deliveries() if kind == RECEIVED)
        republished = sum(n - 1 for n in received.values())
        report = check(
            pg_url,
            accepted,
            expected_facts=dict.fromkeys(accepted, facts_of_one()),
            figures=figures(files),
            extra_redeliveries=republished,
        )
    finally:
        stack.stop()
    record("kill -9 ingest after publish", report, faults=len(crashed), note=f"republished {republished}")
    assert len(crashed) == crashes
    assert republished >= crashes, "a crash after the confirm did not lead to a second publication"
    assert report.stored == count and report.clean, report


def test_store_killed_at_random_stores_everything_once(tmp_path, namespace, pg_url):
    count, kills = 40, 6
    files = documents(count, seed=12)
    rng = random.Random(12)
    # a little extraction time keeps documents arriving at the store all through the kills
    stack = FaultStack(
        tmp_path, namespace=namespace, database_url=pg_url, extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "0.3"}
    )
    store = ("store-logged", "tests.faults.variants", "store")
    try:
        stack.start_services(extract_workers=2, store=False)
        stack.start_module(*store)
        wait_until(lambda: stack.grep_logs("zhibiao.plumbing.bus: consuming") >= 4, 60, what="the store's consumers")
        accepted = stack.drop(files)
        wait_until(lambda: len(stack.deliveries()) >= 10, 60, what="the store at work")
        for _ in range(kills):
            stack.kill9(stack.alive("store-logged")[0])
            stack.start_module(*store)
            time.sleep(rng.uniform(1.0, 3.0))
        wait_until(lambda: stack.settled(set(accepted)), 240, what="every document settled")
        time.sleep(2)
        redelivered = sum(1 for *_, again in stack.deliveries() if again)
        report = check(
            pg_url,
            accepted,
            expected_facts=dict.fromkeys(accepted, facts_of_one()),
            figures=figures(files),
            extra_redeliveries=redelivered,
        )
        dead = stack.dead_letters()
    finally:
        stack.stop()
    record("kill -9 store", report, faults=stack.kills, note=f"store redeliveries {redelivered}")
    assert report.stored == count and report.clean, report
    assert dead == []
    assert redelivered >= 1, "no kill caught the store holding a message: the run proved nothing"
