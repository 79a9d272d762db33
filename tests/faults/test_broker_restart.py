"""Scenario 4: RabbitMQ goes away mid-run and comes back; every consumer of every service
reconnects and the run completes with nothing lost or applied twice.

Two ways to go: `stop_app` (a graceful stop of the broker inside a live Erlang VM) and
kill -9 of the VM itself (no shutdown, no flush: what survives is what quorum queues had
written to their log before confirming). Both run on a node of the test's own
(tests/faults/broker.py): the shared broker on 5672 is never touched."""

from __future__ import annotations

import time

import pytest

from tests.faults import broker
from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, facts_of_one, figures, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
DOCUMENTS = 30


@pytest.fixture
def own_broker(tmp_path):
    if not broker.installed():
        pytest.fail(f"{broker.SERVER} is not installed: the broker-crash scenarios need a RabbitMQ node of their own")
    node = broker.OwnBroker(tmp_path)
    node.start()
    yield node
    node.stop()


@pytest.mark.parametrize("how", ["stop_app", "kill -9"])
def test_services_reconnect_after_the_broker_goes_away(tmp_path, namespace, pg_url, own_broker, how):
    files = documents(DOCUMENTS, seed=4)
    first, second = dict(list(files.items())[:20]), dict(list(files.items())[20:])
    stack = FaultStack(
        tmp_path,
        namespace=namespace,
        database_url=pg_url,
        extra_env={"ZHIBIAO_TEST_EXTRACT_DELAY": "1.0", "ZHIBIAO_AMQP_URL": own_broker.url},
    )
    try:
        stack.start_services(extract_workers=2)
        at_start = stack.consumer_connects()
        accepted = stack.drop(first)
        wait_until(lambda: sum(s == "done" for s in stack.statuses().values()) >= 4, 90, what="a first few stored")
        down_at = time.monotonic()
        if how == "kill -9":
            own_broker.kill9()
            time.sleep(3)
            own_broker.start()
        else:
            own_broker.stop_app()
            time.sleep(3)
            own_broker.start_app()
        outage = time.monotonic() - down_at
        accepted |= stack.drop(second)  # the ingest publisher must have reconnected too
        wait_until(lambda: stack.settled(set(accepted)), 300, what="every document settled after the restart")
        report = check(pg_url, accepted, expected_facts=dict.fromkeys(accepted, facts_of_one()), figures=figures(files))
        connects = stack.consumer_connects()
        dead = stack.dead_letters()
    finally:
        stack.stop()
    record(f"broker {how}", report, faults=1, note=f"outage {outage:.0f} s")
    print(f"    consumers at start {dict(at_start)}, at the end {dict(connects)}")
    assert report.clean and report.stored == DOCUMENTS, report
    assert dead == []
    # every queue each store and extract process consumed, it consumed again after the outage:
    # counted per queue, since the store's two consumers give two lines at start-up alone
    consumers = {name: queues for name, queues in connects.items() if name.startswith(("store", "extract"))}
    assert consumers and all(queues for queues in consumers.values()), connects
    assert all(n >= 2 for queues in consumers.values() for n in queues.values()), connects
    assert report.redeliveries >= 1, "nothing was in flight when the broker went away: the run proved nothing"
