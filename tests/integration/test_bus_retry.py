"""Delay queues on the real RabbitMQ: a transient failure is parked, acked, and comes back."""

from __future__ import annotations

import itertools
import threading
import time

import pika
import pytest

from tests.conftest import AMQP_URL
from tests.integration.test_bus import _dead_letters, _run, _wait
from zhibiao.plumbing.bus import Consumer, Outcome, Publisher, connection_parameters, retry_queue
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.errors import TransientError
from zhibiao.plumbing.messages import DocumentFailed

pytestmark = pytest.mark.integration
DELAYS = (1, 2)


@pytest.fixture
def settings(namespace):
    s = Settings(amqp_url=AMQP_URL, namespace=namespace, delivery_limit=2)
    yield s
    conn = pika.BlockingConnection(connection_parameters(s))
    try:
        ch = conn.channel()
        for delay in DELAYS:
            ch.queue_delete(retry_queue(s, "store", delay))
    finally:
        conn.close()


def test_transient_failures_wait_in_delay_queues_without_burning_deliveries(settings):
    seen: list[tuple[float, int, int]] = []

    def flaky(d):
        seen.append((time.monotonic(), d.retries, d.delivery_count))
        if len(seen) <= 3:
            raise TransientError("the bucket is away")
        return Outcome.ACK

    consumer = Consumer(settings, "store", flaky, retry_delays=DELAYS)
    t = _run(consumer)
    Publisher(settings).publish(DocumentFailed(document_id="x", reason="r"), message_id="parked")
    assert _wait(lambda: len(seen) == 4, timeout=30)
    time.sleep(0.5)
    consumer.stop.set()
    t.join(10)
    gaps = [round(b[0] - a[0]) for a, b in itertools.pairwise(seen)]
    print("retries", [r for _, r, _ in seen], "gaps", gaps)
    assert [r for _, r, _ in seen] == [0, 1, 2, 3]
    assert [c for _, _, c in seen] == [0, 0, 0, 0]  # acked each time: nothing burned from the delivery limit
    assert gaps[0] >= 1 and gaps[1] >= 2 and gaps[2] >= 2  # the last delay repeats
    assert _dead_letters(settings) == []


def test_a_failure_that_never_clears_is_dead_lettered_after_max_retries(settings):
    """A permanent error classed as transient (a 403, EIO on one file) must not park forever:
    past max_retries the message is dead-lettered, and dead.notify fails its document."""
    settings = settings.model_copy(update={"max_retries": 3})
    seen: list[int] = []

    def never(d):
        seen.append(d.retries)
        raise TransientError("the bucket says 403")

    consumer = Consumer(settings, "store", never, retry_delays=DELAYS)
    t = _run(consumer)
    Publisher(settings).publish(DocumentFailed(document_id="x", reason="r"), message_id="hopeless")
    dead: list = []
    assert _wait(lambda: bool(dead.extend(_dead_letters(settings)) or dead), timeout=60)
    time.sleep(0.5)
    consumer.stop.set()
    t.join(10)
    assert seen == [0, 1, 2, 3]
    assert [e.id for e in dead] == ["hopeless"]


def test_while_parked_the_worker_takes_the_next_message(settings):
    done: list[str] = []
    first = threading.Event()

    def handler(d):
        if d.envelope.id == "slow-dependency" and not first.is_set():
            first.set()
            raise TransientError("not yet")
        done.append(d.envelope.id)
        return Outcome.ACK

    consumer = Consumer(settings, "store", handler, prefetch=1, retry_delays=DELAYS)
    t = _run(consumer)
    pub = Publisher(settings)
    pub.publish(DocumentFailed(document_id="a", reason="r"), message_id="slow-dependency")
    pub.publish(DocumentFailed(document_id="b", reason="r"), message_id="next")
    assert _wait(lambda: len(done) == 2, timeout=20)
    consumer.stop.set()
    t.join(10)
    assert done == ["next", "slow-dependency"]
