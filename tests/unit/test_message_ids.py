"""Message ids are a hash of the logical operation: fixed size whatever the bucket key.

AMQP carries message_id as a short string (at most 255 bytes) and the store's inbox keeps
it in a VARCHAR(256): an id that embedded a long (Chinese, UTF-8) key crashed ingest with
pika's ShortStringTooLong and could not be remembered by the store on PostgreSQL.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from services.extract.handler import handle_document_received
from services.ingest.ingestor import Ingestor
from zhibiao.buckets import FolderBucket
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.messages import DocumentReceived, envelope, operation_id

LONG_NAME = "关于二〇二四年国民经济和社会发展计划执行情况与二〇二五年计划草案的报告" * 3  # 315 bytes


def _long_key(root) -> str:
    """A key of about 1000 bytes in UTF-8, nested as folders (a path component holds 255 bytes)."""
    parts = [LONG_NAME[:80]] * 4 + ["报告.txt"]
    key = "/".join(parts)
    assert 900 < len(key.encode()) <= 1024
    return key


def test_operation_ids_are_fixed_size_and_distinct():
    a = operation_id("received", "d" * 64, "x" * 1024)
    b = operation_id("received", "d" * 64, "y" * 1024)
    assert len(a) == len(b) == 64 and a != b
    assert operation_id("received", "d" * 64, "x" * 1024) == a  # deterministic: dedupe still works


def test_ingest_and_extract_ids_stay_short_for_a_1024_byte_key(tmp_path):
    key = _long_key(tmp_path)
    path = tmp_path / key
    path.parent.mkdir(parents=True)
    path.write_text("某市政府工作报告\n2024年地区生产总值增长5%。\n", encoding="utf-8")
    os.utime(path, (time.time() - 60, time.time() - 60))
    sent = []
    Ingestor(FolderBucket(tmp_path), lambda body, mid: sent.append((body, mid))).rescan()
    ((received, rid),) = sent
    assert received.key == key and len(rid.encode()) <= 64

    published = []
    delivery = Delivery(
        envelope=envelope(received, message_id=rid),
        redelivered=False,
        delivery_count=3,
        routing_key="document.received",
    )
    outcome = handle_document_received(
        delivery, bucket=FolderBucket(tmp_path), publish=lambda body, mid: published.append(mid), max_file_bytes=1 << 20
    )
    assert outcome is Outcome.ACK
    assert len(published) == 2 and all(len(mid.encode()) <= 64 for mid in published)


def test_a_reprocess_id_is_new_and_short():
    from services.gateway.routes.documents import reprocess_message_id

    msg = DocumentReceived(
        document_id="d" * 64, key="目录/" * 300, source_name="x", size_bytes=1, received_at=datetime.now(UTC)
    )
    first, second = reprocess_message_id(msg, "a" * 32), reprocess_message_id(msg, "b" * 32)
    assert first != second and len(first.encode()) <= 64 and len(second.encode()) <= 64
