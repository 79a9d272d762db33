"""Extract files facts only under the id of the bytes it read: a file rewritten between ingest
and extract fails this message with a reason; the new bytes are a document of their own."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from services.extract.handler import handle_document_received
from zhibiao.buckets import FolderBucket
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.messages import DocumentExtracted, DocumentFailed, DocumentReceived, envelope

FIRST = "某市2023年政府工作报告\n\n全市生产总值增长5%。\n".encode()
SECOND = "某市2024年政府工作报告\n\n全市生产总值增长6%。\n".encode()


def _handle(bucket, msg):
    sent = []
    delivery = Delivery(
        envelope=envelope(msg, message_id="r"), redelivered=False, delivery_count=0, routing_key="document.received"
    )
    outcome = handle_document_received(
        delivery, bucket=bucket, publish=lambda body, mid: sent.append(body), max_file_bytes=1 << 20
    )
    return outcome, sent


def _received(data: bytes, key: str = "report.txt") -> DocumentReceived:
    return DocumentReceived(
        document_id=hashlib.sha256(data).hexdigest(),
        key=key,
        source_name=key,
        size_bytes=len(data),
        received_at=datetime.now(UTC),
    )


def test_the_bytes_that_were_registered_are_extracted(tmp_path):
    (tmp_path / "report.txt").write_bytes(FIRST)
    outcome, sent = _handle(FolderBucket(tmp_path), _received(FIRST))
    assert outcome is Outcome.ACK and any(isinstance(b, DocumentExtracted) for b in sent)


def test_a_file_rewritten_since_ingest_never_gives_facts_under_the_old_id(tmp_path):
    msg = _received(FIRST)
    (tmp_path / "report.txt").write_bytes(SECOND)  # overwritten in place after ingest hashed it
    outcome, sent = _handle(FolderBucket(tmp_path), msg)
    assert not any(isinstance(b, DocumentExtracted) for b in sent)
    (failed,) = [b for b in sent if isinstance(b, DocumentFailed)]
    assert outcome is Outcome.DEAD_LETTER and failed.document_id == msg.document_id
    assert failed.reason.startswith("文件在登记之后被改写") and "rewritten" in failed.reason
