"""The bus on the real RabbitMQ where an input or a lull used to hold something forever:
an idle publisher, an in-place retry whose channel is gone, a dead letter nobody can apply,
a message too big for the broker."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
import uuid
from urllib.parse import quote

import pika
import pytest

from tests.conftest import AMQP_URL
from tests.integration.test_bus import _run, _wait
from zhibiao.plumbing.bus import PARKED_QUEUE, Consumer, Outcome, Publisher, connection_parameters
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.errors import MessageTooLarge, TransientError
from zhibiao.plumbing.messages import DocumentFailed, Envelope

pytestmark = pytest.mark.integration


def _drain(settings: Settings, name: str) -> list[Envelope]:
    conn = pika.BlockingConnection(connection_parameters(settings))
    out = []
    try:
        ch = conn.channel()
        while True:
            method, _props, body = ch.basic_get(settings.queue(name), auto_ack=True)
            if method is None:
                return out
            out.append(Envelope.model_validate_json(body))
    finally:
        conn.close()


def test_an_idle_publisher_keeps_its_connection(namespace, caplog):
    """The broker drops a connection that misses two heartbeats; an extract worker's publisher
    sat idle through every OCR job and its next publish failed with tracebacks."""
    heartbeat = 2
    s = Settings(amqp_url=AMQP_URL, namespace=namespace, heartbeat_seconds=heartbeat)
    pub = Publisher(s)
    pub.publish(DocumentFailed(document_id="a", reason="r"), message_id="before-the-lull")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        time.sleep(3 * heartbeat + 2)  # past two heartbeat intervals, doing nothing
        pub.publish(DocumentFailed(document_id="a", reason="r"), message_id="after-the-lull")
    noisy = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.INFO]
    pub.close()
    assert noisy == []
    assert pub.connections == 1
    assert [e.id for e in _drain(s, "store")] == ["before-the-lull", "after-the-lull"]


@pytest.fixture
def vhost_settings():
    """A vhost of our own, so that closing its connections touches nobody else's."""
    name = f"t-{uuid.uuid4().hex[:10]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"], check=True)
    yield Settings(amqp_url=AMQP_URL.rsplit("/", 1)[0] + "/" + quote(name, safe=""), delivery_limit=2)
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=True)


def _close_connections(vhost: str) -> int:
    out = subprocess.run(
        ["rabbitmqctl", "-q", "list_connections", "pid", "vhost"], check=True, capture_output=True, text=True
    ).stdout
    pids = [line.rsplit("\t", 1)[0] for line in out.splitlines() if line.endswith("\t" + vhost)]
    for pid in pids:
        subprocess.run(["rabbitmqctl", "-q", "close_connection", pid, "test: channel gone"], check=True)
    return len(pids)


def test_an_in_place_retry_stops_when_its_channel_is_gone(vhost_settings):
    """Once the broker has taken a delivery back, a worker still retrying it in place holds
    its thread forever; with one worker, the redelivered copy then waits behind it."""
    s = vhost_settings
    seen: list[bool] = []

    def handler(d):
        seen.append(d.redelivered)
        if not d.redelivered:
            raise TransientError("database away")
        return Outcome.ACK

    consumer = Consumer(s, "store", handler, prefetch=1)
    t = _run(consumer)
    pub = Publisher(s)
    pub.publish(DocumentFailed(document_id="x", reason="r"), message_id="held")
    pub.close()
    assert _wait(lambda: len(seen) >= 2, timeout=10)  # retrying in place
    vhost = s.amqp_url.rsplit("/", 1)[1]
    assert _close_connections(vhost.replace("%2F", "/")) == 1
    handled = _wait(lambda: True in seen, timeout=60)  # the first back-offs are 0.5 s, 1 s, 2 s, 4 s ...
    consumer.stop.set()
    t.join(15)
    assert handled, "the redelivered copy was never handled: the old worker is still retrying"
    assert consumer.connections == 2


def test_a_dead_letter_its_consumer_cannot_apply_is_parked(namespace):
    """dead.notify had no delivery limit: a notice the store could not apply came back forever."""
    s = Settings(amqp_url=AMQP_URL, namespace=namespace, delivery_limit=2)
    tries: list[int] = []

    def broken(d):
        tries.append(d.delivery_count)
        raise RuntimeError("cannot apply")

    consumer = Consumer(s, "dead.notify", broken, prefetch=1)
    t = _run(consumer)
    dlx = pika.BlockingConnection(connection_parameters(s))
    try:
        body = (
            Envelope(
                id="notice",
                type="zhibiao.document.failed.v1",
                time="2024-01-01T00:00:00Z",
                data={"document_id": "x", "reason": "r"},
            )
            .model_dump_json()
            .encode()
        )
        dlx.channel().basic_publish(s.exchange + ".dlx", "", body, pika.BasicProperties(delivery_mode=2))
    finally:
        dlx.close()
    parked: list[Envelope] = []
    assert _wait(lambda: bool(parked.extend(_drain(s, PARKED_QUEUE)) or parked), timeout=30)
    consumer.stop.set()
    t.join(15)
    assert [e.id for e in parked] == ["notice"]
    assert tries == list(range(s.delivery_limit + 1))


def test_a_message_over_the_limit_is_refused_before_the_broker(namespace):
    s = Settings(amqp_url=AMQP_URL, namespace=namespace, max_message_bytes=10_000)
    pub = Publisher(s)
    try:
        pub.publish(DocumentFailed(document_id="x", reason="r" * 100), message_id="small")
        with pytest.raises(MessageTooLarge, match="ZHIBIAO_MAX_MESSAGE_BYTES"):
            pub.publish(DocumentFailed(document_id="x", reason="r" * 20_000), message_id="big")
    finally:
        pub.close()
    assert [e.id for e in _drain(s, "store")] == ["small"]


def test_concurrent_publishers_share_one_connection(namespace):
    s = Settings(amqp_url=AMQP_URL, namespace=namespace)
    pub = Publisher(s)
    threads = [
        threading.Thread(
            target=pub.publish, args=(DocumentFailed(document_id=str(i), reason="r"),), kwargs={"message_id": f"m{i}"}
        )
        for i in range(8)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(15)
    pub.close()
    assert sorted(e.id for e in _drain(s, "store")) == sorted(f"m{i}" for i in range(8))
