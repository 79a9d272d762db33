"""A poison mix beside normal reports, through the real broker and PostgreSQL: extract, store
and dead.notify consumers as the services wire them. Every document ends `done` or `failed`
(with a reason, Chinese first) within a bound; none stays `processing`, none is lost.

Before: the 400-digit number wedged a store worker (retried forever), the long key lost its
document on PostgreSQL, the unreadable and never-readable files parked forever, and the
oversized result was retried forever."""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import threading
import time
from datetime import UTC, datetime

import pika
import pytest
from sqlalchemy import select

from services.extract.handler import handle_document_received
from services.store.handler import handle_dead_letter, handle_event
from tests.conftest import AMQP_URL, SAMPLES
from tests.integration.test_bus import _run
from zhibiao.buckets import FolderBucket
from zhibiao.db import models
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.plumbing.bus import Consumer, Publisher, connection_parameters, retry_queue
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import DocumentReceived, operation_id

pytestmark = pytest.mark.integration
DELAYS = (1,)
BOUND_SECONDS = 240  # generous: the whole mix takes a few seconds on an idle machine
LONG_FOLDER = "关于二〇二四年国民经济和社会发展计划执行情况与二〇二五年计划草案的报告" * 2  # 210 bytes


class FlakyDisk(FolderBucket):
    """One file on a disk that always answers EIO: transient by its kind, but it never clears."""

    def read(self, key: str) -> bytes:
        if key.startswith("eio"):
            raise OSError(errno.EIO, "Input/output error", key)
        return super().read(key)


def _files(root) -> dict[str, bytes]:
    report = (SAMPLES / "gaoyang-2019.txt").read_bytes()
    huge = report.decode().replace("地区生产总值", "地区生产总值达到" + "9" * 400 + "元，", 1).encode()
    return {
        "good/gaoyang-2019.txt": report,
        "good/hangzhou-2020.md": (SAMPLES / "hangzhou-2020-work-report.md").read_bytes(),
        "good/national-2024.txt": (SAMPLES / "national-2024.txt").read_bytes(),
        "poison/huge-number.txt": huge,
        f"{LONG_FOLDER}/{LONG_FOLDER[:60]}.txt": report + "\n长文件名".encode(),
        "poison/empty.txt": b"",
        "poison/random.bin": hashlib.sha512(b"x").digest() * 64,
        "poison/too-big.txt": report * 12,
        "eio/report.txt": report + b"\nEIO",
    }


@pytest.fixture
def settings(namespace):
    s = Settings(amqp_url=AMQP_URL, namespace=namespace, delivery_limit=2, max_retries=2, max_message_bytes=400_000)
    yield s
    conn = pika.BlockingConnection(connection_parameters(s))
    try:
        conn.channel().queue_delete(retry_queue(s, "extract", DELAYS[0]))
    finally:
        conn.close()


def test_every_document_of_a_poison_mix_ends_done_or_failed(settings, pg_url, tmp_path):
    engine = make_engine(pg_url, writer=True)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    files = _files(tmp_path)
    for key, data in files.items():
        (tmp_path / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / key).write_bytes(data)
    os.mkdir(tmp_path / "poison" / "a-directory.txt")  # listed by an S3-like bucket, EISDIR on read

    stop = threading.Event()
    publisher = Publisher(settings)
    extract = functools.partial(
        handle_document_received,
        bucket=FlakyDisk(tmp_path),
        max_file_bytes=1 << 24,
        publish=lambda body, mid: publisher.publish(body, message_id=mid),
        max_retries=settings.max_retries,
    )
    consumers = [
        Consumer(settings, "extract", extract, prefetch=1, stop=stop, retry_delays=DELAYS),
        Consumer(settings, "store", functools.partial(handle_event, sessions=sessions), stop=stop),
        Consumer(
            settings, "dead.notify", functools.partial(handle_dead_letter, sessions=sessions), prefetch=1, stop=stop
        ),
    ]
    threads = [_run(c) for c in consumers]
    expected: dict[str, str] = {}
    keys = [*files, "poison/a-directory.txt"]
    for key in keys:
        data = files.get(key, key.encode())
        sha = hashlib.sha256(data).hexdigest()
        expected[sha] = key
        msg = DocumentReceived(
            document_id=sha,
            key=key,
            source_name=key.rsplit("/", 1)[-1],
            size_bytes=len(data),
            received_at=datetime.now(UTC),
        )
        publisher.publish(msg, message_id=operation_id("received", sha, key))  # as ingest does

    def statuses() -> dict[str, models.Document]:
        with sessions() as s:
            return {d.id: d for d in s.scalars(select(models.Document))}

    deadline = time.monotonic() + BOUND_SECONDS
    while time.monotonic() < deadline:
        docs = statuses()
        if set(docs) == set(expected) and all(d.status in ("done", "failed") for d in docs.values()):
            break
        time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(30)
    publisher.close()
    engine.dispose()

    docs = statuses()
    outcome = {expected[sha]: (d.status, d.error) for sha, d in docs.items()}
    for key, (status, error) in sorted(outcome.items()):
        print(f"{status:10} {key[:40]:40} {(error or '')[:100]}")
    assert set(outcome) == set(keys), "a document was lost"
    stuck = [k for k, (status, _) in outcome.items() if status not in ("done", "failed")]
    assert stuck == [], f"still not done or failed after {BOUND_SECONDS} s"
    good = {k for k in keys if k.startswith(("good/", LONG_FOLDER))}
    assert {k for k, (status, _) in outcome.items() if status == "done"} == good | {"poison/huge-number.txt"}
    failed = {k: error for k, (status, error) in outcome.items() if status == "failed"}
    assert set(failed) == set(keys) - good - {"poison/huge-number.txt"}
    for key, error in failed.items():
        assert error and "\u4e00" <= error[0] <= "\u9fff", f"{key}: the reason does not open in Chinese: {error}"
    assert "ZHIBIAO_MAX_MESSAGE_BYTES" in failed["poison/too-big.txt"]
    assert "Input/output error" in failed["eio/report.txt"]
