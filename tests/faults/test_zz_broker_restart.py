"""Scenario 4: RabbitMQ restarts mid-run; every service reconnects and the run completes.

Named to run last among the fault tests: the broker is shared with every other test, so it
goes down once, briefly, and is always brought back (and waited for) before the test ends."""

from __future__ import annotations

import socket
import time

import pytest

from tests.faults.checker import check
from tests.faults.harness import FaultStack, documents, rabbitmqctl, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
DOCUMENTS = 30


def _broker_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1):
            return True
    except OSError:
        return False


def test_services_reconnect_after_a_broker_restart(tmp_path, namespace, pg_url):
    files = documents(DOCUMENTS, seed=4)
    first, second = dict(list(files.items())[:20]), dict(list(files.items())[20:])
    stack = FaultStack(tmp_path, namespace=namespace, database_url=pg_url,
                       extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "1.0"})
    try:
        stack.start_services(extract_workers=2)
        accepted = stack.drop(first)
        wait_until(lambda: sum(s == "done" for s in stack.statuses().values()) >= 4, 90, what="a first few stored")
        down_at = time.monotonic()
        try:
            rabbitmqctl("stop_app")
            time.sleep(3)
        finally:
            rabbitmqctl("start_app")
            wait_until(_broker_up, 60, what="the broker back")
        outage = time.monotonic() - down_at
        accepted |= stack.drop(second)  # the ingest publisher must have reconnected too
        wait_until(lambda: stack.settled(set(accepted)), 240, what="every document settled after the restart")
        report = check(pg_url, accepted)
        reconnected = {p.stem: p.read_text(errors="replace").count("zhibiao.bus: consuming")
                       for p in sorted(tmp_path.glob("*.log")) if p.stem.startswith(("store", "extract"))}
        dead = stack.dead_letters()
    finally:
        stack.stop()
    print(report.line("RabbitMQ restart", outage_s=round(outage), consumer_connects=reconnected,
                      dead_letters=len(dead)))
    assert not report.lost and not report.duplicated and not report.unexpected, report
    assert report.stored == DOCUMENTS and dead == []
    assert reconnected and all(n >= 2 for n in reconnected.values()), reconnected
    assert report.redeliveries >= 1, "nothing was in flight at the restart: the run proved nothing"
