"""The store's writes on the real SQLite and PostgreSQL: migrations, idempotence, ordering."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from services.store.handler import handle_dead_letter, handle_event
from tests.conftest import SAMPLES
from zhibiao.db import models
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.db.migrate import upgrade
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived, envelope

pytestmark = pytest.mark.integration
DOC = "d" * 64


@pytest.fixture
def sessions(database_url):
    engine = make_engine(database_url, writer=True)
    upgrade(engine)
    upgrade(engine)  # a second store copy starting later finds nothing to do
    yield make_sessionmaker(engine)
    engine.dispose()


def _deliver(body, message_id):
    return Delivery(
        envelope=envelope(body, message_id=message_id), redelivered=False, delivery_count=0, routing_key="document.x"
    )


def _extracted(name="hangzhou-2020-work-report.md") -> DocumentExtracted:
    fields = extract_bytes((SAMPLES / name).read_bytes(), name).fields()
    return DocumentExtracted(document_id=DOC, extractor_version=EXTRACTOR_VERSION, **fields)


def _count(sessions, model) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_redelivered_event_changes_nothing(sessions):
    received = DocumentReceived(
        document_id=DOC, key="r.md", source_name="r.md", size_bytes=10, received_at=datetime.now(UTC)
    )
    extracted = _extracted()
    for _ in range(2):
        assert handle_event(_deliver(received, "received:1"), sessions=sessions) is Outcome.ACK
        assert handle_event(_deliver(extracted, "extracted:1"), sessions=sessions) is Outcome.ACK
    facts = _count(sessions, models.Fact)
    assert facts == len(extracted.facts) > 0
    assert _count(sessions, models.Section) == len(extracted.sections)
    with sessions() as s:
        doc = s.get(models.Document, DOC)
        assert (doc.status, doc.region, doc.plan_year, doc.source_name) == ("done", "杭州市", 2020, "r.md")
        assert doc.text == extracted.text


def test_re_extraction_replaces_the_facts(sessions):
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=sessions)
    again = _extracted("binjiang-2020-work-report.md")
    handle_event(_deliver(again, "extracted:2"), sessions=sessions)
    assert _count(sessions, models.Fact) == len(again.facts)
    with sessions() as s:
        assert {f.region for f in s.scalars(select(models.Fact))} == {"杭州市滨江区"}


def test_late_processing_event_does_not_undo_done(sessions):
    handle_event(_deliver(_extracted(), "extracted:1"), sessions=sessions)
    handle_event(
        _deliver(DocumentProcessing(document_id=DOC, extractor_version="v"), "processing:1"), sessions=sessions
    )
    with sessions() as s:
        assert s.get(models.Document, DOC).status == "done"


def test_failure_is_recorded_with_its_reason_and_dead_letters_fill_gaps_only(sessions):
    handle_event(
        _deliver(DocumentFailed(document_id=DOC, reason="the PDF is encrypted"), "failed:1"), sessions=sessions
    )
    dead = _deliver(
        DocumentReceived(document_id=DOC, key="k", source_name="k", size_bytes=1, received_at=datetime.now(UTC)),
        "received:k",
    )
    handle_dead_letter(dead, sessions=sessions)
    with sessions() as s:
        doc = s.get(models.Document, DOC)
        assert (doc.status, doc.error) == ("failed", "the PDF is encrypted")
    other = "e" * 64
    handle_dead_letter(
        _deliver(
            DocumentReceived(
                document_id=other, key="k2", source_name="k2", size_bytes=1, received_at=datetime.now(UTC)
            ),
            "received:k2",
        ),
        sessions=sessions,
    )
    with sessions() as s:
        doc = s.get(models.Document, other)
        assert doc.status == "failed" and "given up" in doc.error
