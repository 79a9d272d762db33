"""S3 notifications over AMQP on the real broker: an exchange where an S3 server (MinIO and its
forks, RustFS, Ceph RGW) publishes its event records, and ingest's queue bound to it. The
records are what those servers send (AWS event format; MinIO adds EventName/Key on top)."""

from __future__ import annotations

import json
import time
import uuid

import pika
import pytest

from tests.conftest import AMQP_URL
from zhibiao.buckets.notifications import open_notifications
from zhibiao.plumbing.errors import TransientError

pytestmark = pytest.mark.integration


def minio_record(bucket: str, key: str) -> bytes:
    record = {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "eventName": "s3:ObjectCreated:Put",
        "s3": {"bucket": {"name": bucket}, "object": {"key": key, "size": 3, "eTag": "abc"}},
    }
    return json.dumps({"EventName": "s3:ObjectCreated:Put", "Key": f"{bucket}/{key}", "Records": [record]}).encode()


def _receive_all(notifications, count: int, *, within: float = 15) -> list:
    """Notices until there are `count`: a burst may be handed over in more than one call."""
    started, notices = time.monotonic(), []
    while len(notices) < count and time.monotonic() - started < within:
        notices += notifications.receive("reports", wait_seconds=5)
    return notices


@pytest.fixture
def exchange():
    name, queue = f"s3-events-{uuid.uuid4().hex[:8]}", f"zhibiao-test-events-{uuid.uuid4().hex[:8]}"
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    ch = conn.channel()
    ch.exchange_declare(name, exchange_type="fanout", durable=True)  # as the S3 server declares it
    yield ch, name, queue
    ch.queue_delete(queue)
    ch.exchange_delete(name)
    conn.close()


def test_notices_from_the_exchange_are_read_and_acked_once(exchange):
    ch, name, queue = exchange
    notifications = open_notifications(f"{AMQP_URL}?exchange={name}&queue={queue}")
    assert notifications.receive("reports", wait_seconds=1) == []  # binds the queue: later records stay
    for key in ("inbox/%E6%9D%AD%E5%B7%9E+2024.pdf", "b.txt"):
        ch.basic_publish(name, "", minio_record("reports", key))
    ch.basic_publish(name, "", minio_record("other-bucket", "c.txt"))
    notices = _receive_all(notifications, 3)
    assert [k for n in notices for k in n.keys] == ["inbox/杭州 2024.pdf", "b.txt"]
    assert len(notices) == 3  # the other bucket's record is read too, and announces nothing
    notifications.forget(notices)
    assert notifications.receive("reports", wait_seconds=1) == []


def test_a_burst_is_handed_over_without_waiting_out_the_timeout(exchange):
    """After the first notice, receive takes what has arrived and returns. pika's consume keeps
    the inactivity timeout it was started with, so it used to wait that long again after the
    last notice of a burst: 30 s here. 15 s is a bound any machine meets when it does not."""
    ch, name, queue = exchange
    notifications = open_notifications(f"{AMQP_URL}?exchange={name}&queue={queue}")
    notifications.receive("reports", wait_seconds=1)
    keys = [f"burst-{i}.txt" for i in range(3)]
    for key in keys:
        ch.basic_publish(name, "", minio_record("reports", key))
    started = time.monotonic()
    notices = []
    while len(notices) < len(keys) and time.monotonic() - started < 15:
        notices += notifications.receive("reports", wait_seconds=30)  # may come in more than one call
    assert [k for n in notices for k in n.keys] == keys and time.monotonic() - started < 15


def test_unacked_notices_come_back_after_a_reconnect(exchange):
    ch, name, queue = exchange
    url = f"{AMQP_URL}?exchange={name}&queue={queue}"
    first = open_notifications(url)
    first.receive("reports", wait_seconds=1)
    ch.basic_publish(name, "", minio_record("reports", "a.txt"))
    assert [k for n in first.receive("reports", wait_seconds=5) for k in n.keys] == ["a.txt"]
    first._source.close()  # an ingest copy died before handing the key over
    again = open_notifications(url)
    assert [k for n in again.receive("reports", wait_seconds=5) for k in n.keys] == ["a.txt"]


def test_a_missing_exchange_is_transient():
    notifications = open_notifications(f"{AMQP_URL}?exchange=no-such-exchange-{uuid.uuid4().hex[:6]}")
    with pytest.raises(TransientError):
        notifications.receive("reports", wait_seconds=1)
