from datetime import UTC, datetime

import pytest

from zhibiao.plumbing.messages import DocumentFailed, DocumentReceived, Envelope, envelope, route


def test_envelope_round_trips_through_json():
    body = DocumentReceived(
        document_id="ab" * 32,
        key="a/b.pdf",
        source_name="b.pdf",
        size_bytes=3,
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    env = envelope(body, message_id="received:x")
    back = Envelope.model_validate_json(env.model_dump_json())
    assert back.type == "zhibiao.document.received.v1"
    assert back.body() == body
    assert route(body) == "document.received"


def test_unknown_type_is_refused():
    env = Envelope(id="1", type="zhibiao.document.exploded.v9", time=datetime.now(UTC), data={})
    with pytest.raises(ValueError, match="unknown message type"):
        env.body()


def test_failed_carries_a_reason():
    assert route(DocumentFailed(document_id="x", reason="corrupt")) == "document.failed"


def test_a_body_is_read_once_and_stays_out_of_the_wire_form():
    env = Envelope.model_validate_json(
        envelope(DocumentFailed(document_id="x", reason="corrupt"), message_id="failed:x").model_dump_json()
    )
    assert env.body() is env.body()  # the consumer's check and the handler share one reading
    assert "_body" not in env.model_dump_json()
