"""The pika wrapper against the real RabbitMQ: confirms, acks, requeues, dead letters."""

from __future__ import annotations

import threading
import time

import pika
import pytest

from tests.conftest import AMQP_URL
from zhibiao.plumbing.bus import Consumer, Outcome, Publisher, connection_parameters
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.errors import TransientError
from zhibiao.plumbing.messages import DocumentFailed, Envelope

pytestmark = pytest.mark.integration


def _settings(ns: str) -> Settings:
    return Settings(amqp_url=AMQP_URL, namespace=ns, delivery_limit=2)


def _run(consumer: Consumer) -> threading.Thread:
    t = threading.Thread(target=consumer.run, daemon=True)
    t.start()
    assert consumer.connected.wait(10), "consumer did not connect"
    return t


def _wait(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _dead_letters(settings: Settings) -> list[Envelope]:
    conn = pika.BlockingConnection(connection_parameters(settings))
    out = []
    try:
        ch = conn.channel()
        while True:
            method, _props, body = ch.basic_get(settings.queue("dead"), auto_ack=True)
            if method is None:
                return out
            out.append(Envelope.model_validate_json(body))
    finally:
        conn.close()


def test_published_messages_reach_the_consumer_once(namespace):
    s = _settings(namespace)
    seen = []
    consumer = Consumer(s, "store", lambda d: seen.append(d.envelope.id) or Outcome.ACK)
    t = _run(consumer)
    pub = Publisher(s)
    for i in range(5):
        pub.publish(DocumentFailed(document_id=f"d{i}", reason="r"), message_id=f"m{i}")
    assert _wait(lambda: len(seen) == 5)
    time.sleep(0.5)
    consumer.stop.set()
    t.join(10)
    pub.close()
    assert sorted(seen) == [f"m{i}" for i in range(5)]


def test_permanent_failures_are_dead_lettered_not_retried(namespace):
    s = _settings(namespace)
    calls = []
    consumer = Consumer(s, "store", lambda d: calls.append(d) or Outcome.DEAD_LETTER)
    t = _run(consumer)
    Publisher(s).publish(DocumentFailed(document_id="x", reason="bad"), message_id="poison")
    dead = []
    assert _wait(lambda: bool(dead.extend(_dead_letters(s)) or dead))
    time.sleep(0.5)
    consumer.stop.set()
    t.join(10)
    assert len(calls) == 1 and [e.id for e in dead] == ["poison"]


def test_crashing_handler_is_retried_up_to_the_delivery_limit_then_dead_lettered(namespace):
    s = _settings(namespace)
    counts = []

    def crash(d):
        counts.append(d.delivery_count)
        raise RuntimeError("boom")

    consumer = Consumer(s, "store", crash)
    t = _run(consumer)
    Publisher(s).publish(DocumentFailed(document_id="x", reason="r"), message_id="crasher")
    dead = []
    assert _wait(lambda: bool(dead.extend(_dead_letters(s)) or dead), timeout=30)
    consumer.stop.set()
    t.join(10)
    assert [e.id for e in dead] == ["crasher"]
    assert counts == list(range(s.delivery_limit + 1))  # the first delivery and each counted retry


def test_transient_errors_retry_in_place_without_burning_deliveries(namespace):
    s = _settings(namespace)
    attempts = []

    def flaky(d):
        attempts.append(d.delivery_count)
        if len(attempts) < 4:
            raise TransientError("database away")
        return Outcome.ACK

    consumer = Consumer(s, "store", flaky)
    t = _run(consumer)
    Publisher(s).publish(DocumentFailed(document_id="x", reason="r"), message_id="flaky")
    assert _wait(lambda: len(attempts) == 4, timeout=30)
    time.sleep(0.5)
    consumer.stop.set()
    t.join(10)
    assert attempts == [0, 0, 0, 0]
    assert _dead_letters(s) == []
