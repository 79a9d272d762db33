"""What extract does with inputs it can never turn into a result: it fails the document with
a reason (Chinese first, the detail after) and dead-letters, instead of parking it forever."""

from __future__ import annotations

import errno
import math
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from services.extract.handler import handle_document_received
from tests.conftest import SAMPLES
from zhibiao.domain.numbers import parse_number
from zhibiao.parsing.extraction import extract_bytes
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.errors import TransientError
from zhibiao.plumbing.messages import DocumentExtracted, DocumentFailed, DocumentReceived, envelope

HUGE = "9" * 400  # float() of a 309+-digit number is inf


class FakeBucket:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self, key: str) -> bytes:
        raise self.error


def _delivery(retries: int = 0) -> Delivery:
    msg = DocumentReceived(
        document_id="d" * 64, key="k.txt", source_name="k.txt", size_bytes=10, received_at=datetime.now(UTC)
    )
    return Delivery(
        envelope=envelope(msg, message_id="r"),
        redelivered=False,
        delivery_count=0,
        routing_key="document.received",
        retries=retries,
    )


def _handle(bucket, retries: int = 0, max_retries: int = 10):
    sent = []
    outcome = handle_document_received(
        _delivery(retries),
        bucket=bucket,
        publish=lambda b, mid: sent.append(b),
        max_file_bytes=1 << 20,
        max_retries=max_retries,
    )
    return outcome, [b for b in sent if isinstance(b, DocumentFailed)]


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(errno.EACCES, "Permission denied", "k.txt"),
        IsADirectoryError(errno.EISDIR, "Is a directory", "k.txt"),
    ],
)
def test_a_file_that_can_never_be_read_fails_at_once(error):
    outcome, failed = _handle(FakeBucket(error))
    assert outcome is Outcome.DEAD_LETTER
    (msg,) = failed
    assert msg.reason.startswith("文件") and "k.txt" in msg.reason


def test_a_bucket_error_is_retried_until_the_cap_then_fails_the_document():
    away = OSError(errno.EIO, "Input/output error")
    with pytest.raises(TransientError):
        _handle(FakeBucket(away), retries=2, max_retries=3)
    outcome, failed = _handle(FakeBucket(away), retries=3, max_retries=3)
    assert outcome is Outcome.DEAD_LETTER
    (msg,) = failed
    assert "3" in msg.reason and "Input/output error" in msg.reason


def test_a_huge_number_is_not_a_figure():
    assert parse_number(HUGE) is None
    assert parse_number(HUGE[:305] + "亿") is None
    assert parse_number("1" + "〇" * 400) is None


def test_a_report_with_a_huge_number_yields_only_finite_facts():
    text = (SAMPLES / "gaoyang-2019.txt").read_text(encoding="utf-8")
    text = text.replace("地区生产总值", f"地区生产总值达到{HUGE}元，", 1)
    fields = extract_bytes(text.encode(), "gaoyang-2019.txt").fields()
    assert fields["facts"]
    assert all(
        math.isfinite(f["value"]) and (f.get("value_max") is None or math.isfinite(f["value_max"]))
        for f in fields["facts"]
    )


def test_a_non_finite_figure_never_leaves_as_a_message():
    fact = {"indicator": "gdp", "value": math.inf}
    with pytest.raises(ValidationError):
        DocumentExtracted(
            document_id="d",
            extractor_version="v",
            media_type="text/plain",
            pages=1,
            ocr_pages=0,
            meta={},
            text="",
            sections=[],
            facts=[fact],
            tasks=[],
        )
