"""How S3's answers map onto our error tree: a refusal for one object is the object's fault
(the document fails with a reason), anything else from S3 may pass (retry)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.exceptions import ClientError

from services.extract.handler import handle_document_received
from zhibiao.buckets import S3Bucket
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.errors import PermanentError, TransientError
from zhibiao.plumbing.messages import DocumentFailed, DocumentReceived, envelope


class RefusingClient:
    """A fake of the one boto3 call extract makes, answering with a fixed S3 error."""

    def __init__(self, status: int, code: str) -> None:
        self.status, self.code = status, code

    def get_object(self, **_):
        raise ClientError(
            {"Error": {"Code": self.code, "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": self.status}},
            "GetObject",
        )


@pytest.mark.parametrize(
    ("status", "code"), [(403, "AccessDenied"), (403, "KMS.AccessDeniedException"), (403, "InvalidObjectState")]
)
def test_a_refusal_for_one_object_is_permanent(status, code):
    with pytest.raises(PermanentError):
        S3Bucket("b", client=RefusingClient(status, code)).read("k.pdf")


@pytest.mark.parametrize(("status", "code"), [(503, "SlowDown"), (500, "InternalError")])
def test_a_server_in_trouble_is_transient(status, code):
    with pytest.raises(TransientError):
        S3Bucket("b", client=RefusingClient(status, code)).read("k.pdf")


def test_extract_fails_the_document_on_403():
    msg = DocumentReceived(
        document_id="d" * 64, key="k.pdf", source_name="k.pdf", size_bytes=1, received_at=datetime.now(UTC)
    )
    delivery = Delivery(
        envelope=envelope(msg, message_id="r"), redelivered=False, delivery_count=0, routing_key="document.received"
    )
    sent = []
    outcome = handle_document_received(
        delivery,
        bucket=S3Bucket("b", client=RefusingClient(403, "AccessDenied")),
        publish=lambda body, mid: sent.append(body),
        max_file_bytes=1 << 20,
    )
    assert outcome is Outcome.DEAD_LETTER
    (failed,) = [b for b in sent if isinstance(b, DocumentFailed)]
    assert failed.reason.startswith("没有读取该对象的权限") and "AccessDenied" in failed.reason
