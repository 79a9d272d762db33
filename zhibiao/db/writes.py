"""What the store writes. Every function takes a keyword-only session and leaves the
commit to the caller, so a message's effects and its inbox row land in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from zhibiao.db import models
from zhibiao.domain.search_text import paragraphs
from zhibiao.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived

_TERMINAL = ("done", "failed")


def _now() -> datetime:
    return datetime.now(UTC)


def already_applied(*, session: Session, message_id: str) -> bool:
    """True if this message's effects are already committed."""
    return session.get(models.InboxMessage, message_id) is not None


def remember(*, session: Session, message_id: str) -> None:
    """Record the message id; a concurrent duplicate then fails on the primary key."""
    session.add(models.InboxMessage(message_id=message_id, processed_at=_now()))


def _event(session: Session, document_id: str, event: str, detail: str | None = None) -> None:
    session.add(models.DocumentEvent(document_id=document_id, event=event, at=_now(), detail=detail))


def _document(session: Session, document_id: str) -> models.Document:
    doc = session.get(models.Document, document_id, with_for_update=True)
    if doc is None:
        doc = models.Document(id=document_id, source_name=document_id[:12], status="received")
        session.add(doc)
    return doc


def apply_received(*, session: Session, msg: DocumentReceived) -> None:
    """A file was taken from the bucket. The same bytes dropped again are the same document."""
    doc = _document(session, msg.document_id)
    if doc.bucket_key is None or doc.source_name == msg.document_id[:12]:
        doc.source_name, doc.bucket_key, doc.size_bytes = msg.source_name, msg.key, msg.size_bytes
        doc.received_at = msg.received_at
    _event(session, msg.document_id, "received", msg.key)


def apply_processing(*, session: Session, msg: DocumentProcessing) -> None:
    doc = _document(session, msg.document_id)
    if doc.status not in _TERMINAL:
        doc.status = "processing"
    _event(session, msg.document_id, "extraction_started", msg.extractor_version)


def apply_extracted(*, session: Session, msg: DocumentExtracted) -> None:
    """Replaces everything derived from the document, in the caller's transaction."""
    doc = _document(session, msg.document_id)
    for table in (models.Fact, models.Section, models.Task, models.Paragraph):
        session.execute(delete(table).where(table.document_id == msg.document_id))
    meta = msg.meta
    for field in ("doc_type", "title", "region", "admin_level", "delivered_on", "review_year", "plan_year",
                  "speaker", "speaker_title", "meeting", "issuer"):
        setattr(doc, field, meta.get(field))
    doc.media_type, doc.pages, doc.ocr_pages = msg.media_type, msg.pages, msg.ocr_pages
    doc.text, doc.keywords = msg.text, msg.keywords
    doc.status, doc.error = "done", None
    doc.extractor_version, doc.processed_at = msg.extractor_version, _now()
    session.add_all(models.Fact(document_id=msg.document_id, **_fact_columns(f)) for f in msg.facts)
    session.add_all(
        models.Section(document_id=msg.document_id, ordinal=i, number=s["number"], heading=s["heading"],
                       level=s["level"], start=s["start"], end=s["end"], part=s.get("part"))
        for i, s in enumerate(msg.sections)
    )
    session.add_all(
        models.Task(document_id=msg.document_id, number=t["number"], text=t["text"],
                    lead_units=t.get("lead_units") or [], leader=t.get("leader"), progress=t.get("progress"),
                    next_steps=t.get("next_steps"))
        for t in msg.tasks
    )
    # Segmented before it is stored, so that search never segments stored text; extract does it
    # (it scales out), and the store only for messages from before it did.
    segmented = msg.paragraphs if msg.paragraphs is not None else [p.to_dict() for p in paragraphs(msg.text)]
    session.add_all(
        models.Paragraph(document_id=msg.document_id, ordinal=i, start=p["start"], end=p["end"],
                         tokens=p["tokens"], token_count=len(p["tokens"].split()))
        for i, p in enumerate(segmented)
    )
    _event(session, msg.document_id, "stored", f"{len(msg.facts)} facts")


_FACT_FIELDS = {c.name for c in models.Fact.__table__.columns} - {"id", "document_id"}


def _fact_columns(fact: dict) -> dict:
    return {k: v for k, v in fact.items() if k in _FACT_FIELDS}


def apply_failed(*, session: Session, msg: DocumentFailed) -> None:
    doc = _document(session, msg.document_id)
    if doc.status == "done" and msg.stage != "extract":
        return  # a late dead-letter notice must not undo a stored result
    doc.status, doc.error = "failed", msg.reason
    if msg.source_name and doc.source_name == msg.document_id[:12]:
        doc.source_name = msg.source_name  # failed at ingest: no document.received named it
    doc.extractor_version = msg.extractor_version or doc.extractor_version
    doc.processed_at = _now()
    _event(session, msg.document_id, "failed", msg.reason)


def apply_dead_letter(*, session: Session, document_id: str, reason: str) -> None:
    """A message about this document was given up on. Only fills the gap: a document that
    already has an outcome (e.g. failed with a precise reason, then parked) keeps it."""
    doc = _document(session, document_id)
    if doc.status in _TERMINAL:
        return
    doc.status, doc.error, doc.processed_at = "failed", reason, _now()
    _event(session, document_id, "dead_lettered", reason)
