"""Scenario 5: PostgreSQL stops for 20 s mid-run. The store stops consuming (its in-flight
messages stay unacked, retried in place) instead of burning deliveries: nothing is
dead-lettered and everything is stored once the database is back."""

from __future__ import annotations

import time

import pytest

from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, figures, pg_ctl, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
DOCUMENTS, OUTAGE_SECONDS = 30, 20


def test_database_outage_dead_letters_nothing_and_stores_everything_after(tmp_path, namespace, pg_url):
    stack = FaultStack(
        tmp_path, namespace=namespace, database_url=pg_url, extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "0.3"}
    )
    try:
        stack.start_services(extract_workers=2)
        files = documents(DOCUMENTS, seed=5)
        accepted = stack.drop(files)
        wait_until(lambda: sum(s == "done" for s in stack.statuses().values()) >= 3, 60, what="a first few stored")
        waiting_at_stop = stack.ready("store")
        pg_ctl("stop")
        try:
            time.sleep(OUTAGE_SECONDS)
            waiting_at_start = stack.ready("store")  # the store took no more: they piled up
            dead_during = len(stack.dead_letters())
        finally:
            pg_ctl("start")
        wait_until(lambda: stack.settled(set(accepted)), 180, what="every document stored after the outage")
        report = check(pg_url, accepted, figures=figures(files))
        dead = stack.dead_letters()
        retries = stack.grep_logs("database unavailable") + stack.grep_logs("database connection lost")
    finally:
        stack.stop()
    record(
        f"PostgreSQL down {OUTAGE_SECONDS} s",
        report,
        faults=1,
        note=f"store retries {retries}, queued {waiting_at_stop}->{waiting_at_start}",
    )
    assert dead_during == 0 and dead == []
    assert retries >= 1, "the outage never reached the store: the run proved nothing"
    assert waiting_at_start > waiting_at_stop, "the store kept consuming while the database was away"
    assert report.stored == DOCUMENTS and report.clean, report
