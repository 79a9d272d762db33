"""What the database refuses is the message's fault, not the database's: the document fails
with the database's words and the message is dead-lettered, on SQLite and PostgreSQL.
Before, every IntegrityError was retried in place forever and wedged the store's workers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from services.store.handler import handle_dead_letter, handle_event
from tests.integration.test_store import DOC, _deliver, _extracted
from zhibiao.db import models
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.parsing.extraction import EXTRACTOR_VERSION
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.messages import (
    DocumentFailed,
    DocumentProcessing,
    DocumentReceived,
    Envelope,
    envelope,
    operation_id,
)

pytestmark = pytest.mark.integration
# A key of S3's maximum length, in Chinese (3 bytes a character in UTF-8), in folders.
_FOLDER = "二〇二四年国民经济和社会发展计划执行情况与二〇二五年计划草案报告" * 2
LONG_KEY = "/".join([_FOLDER] * 6).encode()[:1020].decode(errors="ignore").rstrip("/") + ".pdf"


def _sessions(url):
    engine = make_engine(url, writer=True)
    upgrade(engine)
    return engine, make_sessionmaker(engine)


@pytest.fixture
def sessions(database_url):
    engine, made = _sessions(database_url)
    yield made
    engine.dispose()


def test_a_figure_without_a_value_fails_the_document_instead_of_retrying_forever(sessions, monkeypatch):
    poison = _extracted()
    # What an inf became on the wire before numbers.py dropped it. The message model refuses it
    # now, so the body is handed over unchecked: what the store does with a row the database
    # refuses is under test, whatever the row.
    poison.facts[0] = replace(poison.facts[0], value=None)
    monkeypatch.setattr(Envelope, "body", lambda _self: poison)
    outcome = handle_event(_deliver(poison, "extracted:poison"), sessions=sessions)  # raised TransientError before
    assert outcome is Outcome.DEAD_LETTER
    with sessions() as s:
        doc = s.get(models.Document, DOC)
        assert doc.status == "failed"
        assert doc.error.startswith("数据无法写入数据库") and "value" in doc.error
        assert s.scalar(select(func.count()).select_from(models.Fact)) == 0  # nothing half-written
    # the dead-letter notice that follows keeps the precise reason
    handle_dead_letter(_deliver(poison, "extracted:poison"), sessions=sessions)
    with sessions() as s:
        assert s.get(models.Document, DOC).error.startswith("数据无法写入数据库")


def test_the_first_write_race_is_still_applied_once(sessions):
    """Two events of a new document: the loser of the race finds the row and applies."""
    received = DocumentReceived(document_id=DOC, key="k", source_name="k", size_bytes=1, received_at=datetime.now(UTC))
    assert handle_event(_deliver(received, "r1"), sessions=sessions) is Outcome.ACK
    processing = DocumentProcessing(document_id=DOC, extractor_version=EXTRACTOR_VERSION)
    assert handle_event(_deliver(processing, "p1"), sessions=sessions) is Outcome.ACK
    assert handle_event(_deliver(processing, "p1"), sessions=sessions) is Outcome.ACK
    with sessions() as s:
        assert s.get(models.Document, DOC).status == "processing"


def test_a_1024_byte_key_goes_through_every_step_on_postgresql(pg_url):
    """Every message a document's life produces, with ids built the way the services build
    them; on PostgreSQL the inbox column refused ids that embedded such a key."""
    from services.gateway.routes.documents import reprocess_message_id

    assert 1000 < len(LONG_KEY.encode()) <= 1024
    engine, sessions = _sessions(pg_url)
    try:
        received = DocumentReceived(
            document_id=DOC,
            key=LONG_KEY,
            source_name=LONG_KEY.rsplit("/", 1)[-1],
            size_bytes=1,
            received_at=datetime.now(UTC),
        )
        rid = operation_id("received", DOC, LONG_KEY)
        again = reprocess_message_id(received, "f" * 32)
        steps = [
            (received, rid),
            (
                DocumentProcessing(document_id=DOC, extractor_version=EXTRACTOR_VERSION),
                operation_id("processing", rid, EXTRACTOR_VERSION, "0"),
            ),
            (_extracted(), operation_id("extracted", rid, EXTRACTOR_VERSION)),
            (received, again),
            (
                DocumentFailed(document_id=DOC, extractor_version=EXTRACTOR_VERSION, reason="r"),
                operation_id("failed", again, EXTRACTOR_VERSION),
            ),
        ]
        for body, mid in steps:
            assert handle_event(_deliver(body, mid), sessions=sessions) is Outcome.ACK
        dead = Delivery(
            envelope=envelope(received, message_id=again),
            redelivered=False,
            delivery_count=0,
            routing_key="document.received",
        )
        assert handle_dead_letter(dead, sessions=sessions) is Outcome.ACK
        # an id from an older publisher, longer than the inbox column, is still remembered
        legacy = f"received:{DOC}:{LONG_KEY}"
        assert handle_event(_deliver(received, legacy), sessions=sessions) is Outcome.ACK
        assert handle_event(_deliver(received, legacy), sessions=sessions) is Outcome.ACK
        with sessions() as s:
            doc = s.get(models.Document, DOC)
            assert doc.bucket_key == LONG_KEY and doc.status == "failed"
            events = [e.event for e in s.scalars(select(models.DocumentEvent).order_by(models.DocumentEvent.id))]
            assert events == ["received", "extraction_started", "stored", "received", "failed", "received"]
    finally:
        engine.dispose()
