"""S3 buckets against a real S3 API server on loopback (moto's standalone server), and the
services as processes on an s3:// bucket."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid

import pytest

from tests.conftest import SAMPLES
from tests.e2e.stack import Stack, free_port, upload
from tests.s3server import announce_created_objects, start_moto
from zhibiao.buckets import S3Bucket, open_bucket
from zhibiao.buckets.notifications import open_notifications
from zhibiao.plumbing.errors import TransientError

REPORTS = (
    "hangzhou-2022-work-report.txt",
    "binjiang-2020-work-report.md",
    "hangzhou-2023-work-report.txt",
    "hangzhou-2020-work-report.md",
)


@pytest.fixture(scope="module")
def s3_env():
    """A moto S3 server on 127.0.0.1 and the AWS_* variables that point boto3 at it."""
    server, env = start_moto()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    server.stop()


@pytest.fixture
def s3_url(s3_env):
    """A fresh bucket name (created by the first listing or upload) and a prefix."""
    return f"s3://zb-{uuid.uuid4().hex[:12]}/reports"


def raw_client():
    import boto3

    return boto3.client("s3")


def drop(url: str, key: str, data: bytes) -> None:
    """What a user does: put an object straight into the bucket, beside zhibiao."""
    bucket = open_bucket(url)
    list(bucket.list())  # creates the bucket if needed
    raw_client().put_object(Bucket=bucket.name, Key=bucket.prefix + key, Body=data)


def test_lists_objects_under_the_prefix_but_not_the_ledger(s3_url):
    b = open_bucket(s3_url)
    assert isinstance(b, S3Bucket) and b.watch_root() is None
    drop(s3_url, "a.txt", "甲".encode())
    drop(s3_url, "sub/b.md", "乙".encode())
    drop(s3_url, ".hidden", b"x")
    raw_client().put_object(Bucket=b.name, Key="elsewhere.txt", Body=b"outside the prefix")
    info = next(i for i in b.list() if i.key == "a.txt")
    b.is_taken(info)
    b.mark_taken(info, b.sha256("a.txt"))
    assert sorted(i.key for i in b.list()) == ["a.txt", "sub/b.md"]
    assert info.size == 3 and info.etag and b.read("sub/b.md") == "乙".encode()


def test_uploads_get_generated_keys_and_keep_their_names(s3_url):
    b = open_bucket(s3_url)
    key = b.put(b"%PDF-1.4 data", "../../杭州 2024 报告.pdf")
    assert key.startswith("uploads/") and ".." not in key
    assert b.source_name(key) == "../../杭州 2024 报告.pdf"
    assert b.sha256(key) == hashlib.sha256(b"%PDF-1.4 data").hexdigest()
    assert b.stat(key).size == len(b"%PDF-1.4 data")
    assert b.source_name("plain/name.txt") == "name.txt"
    with pytest.raises(ValueError):
        b.read("../outside")
    with pytest.raises(FileNotFoundError):
        b.read("missing.txt")


def test_taken_survives_a_restart_and_is_forgotten_when_the_object_changes(s3_url):
    drop(s3_url, "a.txt", b"one")
    first = open_bucket(s3_url)
    [info] = list(first.list())
    assert not first.is_taken(info)
    first.mark_taken(info, first.sha256("a.txt"))
    assert first.is_taken(info)
    restarted = open_bucket(s3_url)
    assert restarted.is_taken(info)
    drop(s3_url, "a.txt", b"two, longer")
    [changed] = list(restarted.list())
    assert changed.etag != info.etag
    assert not restarted.is_taken(changed)


def test_one_copy_wins_the_claim_and_a_dead_copys_claim_expires(s3_url):
    drop(s3_url, "a.txt", b"one")
    copies = [open_bucket(s3_url) for _ in range(4)]
    [info] = list(copies[0].list())
    answers: list[bool] = []
    barrier = threading.Barrier(len(copies))

    def race(b):
        barrier.wait()
        answers.append(b.is_taken(info))

    threads = [threading.Thread(target=race, args=(b,)) for b in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [False, True, True, True]  # exactly one copy goes ahead
    # the winner died before publishing: its claim expires and another copy takes over
    late = S3Bucket(copies[0].name, "reports", claim_seconds=0.0)
    assert not late.is_taken(info)


def notifying_bucket(s3_url: str) -> str:
    """Create the bucket of s3_url and have the server announce its new objects; sqs://QUEUE."""
    bucket = open_bucket(s3_url)
    list(bucket.list())  # creates the bucket
    return announce_created_objects(bucket.name)


def test_the_server_announces_new_objects_and_a_notice_is_read_once(s3_url):
    notifications = open_notifications(notifying_bucket(s3_url))
    bucket = open_bucket(s3_url)
    drop(s3_url, "inbox/杭州 2024 报告.txt", "甲".encode())
    keys: list[str] = []
    deadline = time.monotonic() + 20
    while len(keys) < 1 and time.monotonic() < deadline:
        notices = notifications.receive(bucket.name, wait_seconds=1)
        keys += [k for n in notices for k in n.keys]
        notifications.forget(notices)
    assert [bucket.key_of(k) for k in keys] == ["inbox/杭州 2024 报告.txt"]
    assert notifications.receive(bucket.name, wait_seconds=1) == []  # forgotten


def test_an_unreachable_server_is_a_transient_error(s3_env, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    b = open_bucket("s3://nowhere/x")
    with pytest.raises(TransientError):
        list(b.list())
    with pytest.raises(TransientError):
        open_notifications("sqs://nowhere").receive("nowhere", wait_seconds=1)


# the services as processes on an s3:// bucket -----------------------------------------------


def s3_stack(tmp_path, namespace, s3_env, s3_url, **env: str) -> Stack:
    return Stack(
        tmp_path,
        namespace=namespace,
        database_url=f"sqlite:///{tmp_path}/zhibiao.db",
        extra_env={**s3_env, "ZHIBIAO_BUCKET_URL": s3_url, "ZHIBIAO_RESCAN_SECONDS": "1", **env},
    )


@pytest.mark.e2e
def test_notified_objects_are_taken_without_waiting_for_a_listing(tmp_path, namespace, s3_env, s3_url):
    events = notifying_bucket(s3_url)
    # one listing at start, the next in ten minutes: whatever is taken before came by notification
    stack = s3_stack(
        tmp_path, namespace, s3_env, s3_url, ZHIBIAO_RESCAN_SECONDS="600", ZHIBIAO_BUCKET_EVENTS_URL=events
    ).start_all()
    try:
        time.sleep(1)  # the first listing is over
        started = time.monotonic()
        for name in REPORTS[:2]:
            drop(s3_url, f"inbox/{name}", (SAMPLES / name).read_bytes())
        docs = stack.wait_processed(2, timeout=60)
        assert sorted(d["source_name"] for d in docs) == sorted(REPORTS[:2]), stack.logs()
        assert all(d["status"] == "done" for d in docs), stack.logs()
        assert time.monotonic() - started < 60
        assert "with notifications from" in (tmp_path / "ingest-0.log").read_text(), stack.logs()
        # the ledger's own markers are announced too, and ignored: nothing more appears
        time.sleep(2)
        assert len(stack.documents()) == 2
    finally:
        stack.stop()


@pytest.mark.e2e
def test_reports_dropped_into_s3_come_out_through_the_gateway(tmp_path, namespace, s3_env, s3_url):
    stack = s3_stack(tmp_path, namespace, s3_env, s3_url).start_all()
    try:
        for name in REPORTS[:2]:
            drop(s3_url, f"inbox/{name}", (SAMPLES / name).read_bytes())
        docs = stack.wait_processed(2, timeout=120)
        by_name = {d["source_name"]: d for d in docs}
        assert sorted(by_name) == sorted(REPORTS[:2]), stack.logs()
        assert all(d["status"] == "done" for d in docs), (docs, stack.logs())
        report = by_name["hangzhou-2022-work-report.txt"]
        facts = stack.get(f"/v1/facts?document_id={report['id']}&limit=1000")["items"]
        assert any(f["indicator"] == "gdp" and f["value"] == 18109 for f in facts)

        # an upload through the gateway lands in the bucket, under a generated key, with its name
        status, _ = upload(stack.base, "杭州.txt", (SAMPLES / REPORTS[2]).read_bytes())
        assert status == 202
        docs = stack.wait_processed(3, timeout=120)
        uploaded = next(d for d in docs if d["source_name"] == "杭州.txt")
        assert uploaded["status"] == "done", stack.logs()
        keys = [i.key for i in open_bucket(s3_url).list()]
        assert len([k for k in keys if k.startswith("uploads/")]) == 1
    finally:
        stack.stop()


@pytest.mark.e2e
def test_notices_over_amqp_are_taken_too(tmp_path, namespace, s3_env, s3_url):
    """moto sends no AMQP notices: the test publishes the record a MinIO-like server would,
    right after putting the object, to the exchange ingest's queue is bound to."""
    import pika

    from tests.conftest import AMQP_URL
    from tests.integration.test_bucket_events_amqp import minio_record

    exchange, queue = f"{namespace}s3-events", f"{namespace}bucket-events"
    conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    ch = conn.channel()
    ch.exchange_declare(exchange, exchange_type="fanout", durable=True)
    stack = s3_stack(
        tmp_path,
        namespace,
        s3_env,
        s3_url,
        ZHIBIAO_RESCAN_SECONDS="600",
        ZHIBIAO_BUCKET_EVENTS_URL=f"{AMQP_URL}?exchange={exchange}&queue={queue}",
    ).start_all()
    try:
        time.sleep(2)  # the first listing is over and the queue is bound
        bucket = open_bucket(s3_url)
        drop(s3_url, "inbox/report.txt", (SAMPLES / REPORTS[0]).read_bytes())
        ch.basic_publish(exchange, "", minio_record(bucket.name, bucket.prefix + "inbox/report.txt"))
        docs = stack.wait_processed(1, timeout=60)
        assert [d["status"] for d in docs] == ["done"], stack.logs()
    finally:
        stack.stop()
        ch.queue_delete(queue)
        ch.exchange_delete(exchange)
        conn.close()


@pytest.mark.e2e
def test_two_ingest_copies_take_each_object_once(tmp_path, namespace, s3_env, s3_url):
    stack = s3_stack(tmp_path, namespace, s3_env, s3_url)
    stack.start("ingest")  # a second copy beside the one start_all starts
    stack.start_all()
    try:
        for name in REPORTS:
            drop(s3_url, name, (SAMPLES / name).read_bytes())
        docs = stack.wait_processed(len(REPORTS), timeout=150)
        time.sleep(3)  # a few more rescans by both copies: nothing new may appear
        docs = stack.documents()
        assert sorted(d["source_name"] for d in docs) == sorted(REPORTS), stack.logs()
        assert all(d["status"] == "done" for d in docs), stack.logs()
        registered = sum(p.read_text().count("registered ") for p in tmp_path.glob("ingest-*.log"))
        assert registered == len(REPORTS), stack.logs()
        bucket = open_bucket(s3_url)
        markers = raw_client().list_objects_v2(Bucket=bucket.name, Prefix=bucket.prefix + ".zhibiao/taken/")
        states = [
            json.loads(raw_client().get_object(Bucket=bucket.name, Key=o["Key"])["Body"].read())["state"]
            for o in markers["Contents"]
        ]
        assert states == ["taken"] * len(REPORTS)
    finally:
        stack.stop()
