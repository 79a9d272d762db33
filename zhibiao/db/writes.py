"""What the store writes. Every function takes a keyword-only session and leaves the
commit to the caller, so a message's effects and its inbox row land in one transaction."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import UTC, datetime
from functools import cache
from operator import attrgetter

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from zhibiao.db import models
from zhibiao.domain import duplicates, regions
from zhibiao.domain.model import Fact, Section
from zhibiao.domain.search_text import Paragraph
from zhibiao.domain.stable_ids import fact_ids
from zhibiao.plumbing.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived

_TERMINAL: tuple[models.DocumentStatus, ...] = ("done", "failed")


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
    if doc.processed_at is not None:
        # extracted (or failed) before: its earlier rows go. A document never extracted has
        # none, and four deletes were a tenth of the statements of a new document.
        for table in (models.Fact, models.Section, models.Task, models.Paragraph):
            session.execute(delete(table).where(table.document_id == msg.document_id))
    for name, value in asdict(msg.meta).items():  # every field of DocumentMeta is a column
        setattr(doc, name, value)
    doc.media_type, doc.pages, doc.ocr_pages = msg.media_type, msg.pages, msg.ocr_pages
    doc.text, doc.keywords = msg.text, msg.keywords
    doc.status, doc.error = "done", None
    doc.extractor_version, doc.processed_at = msg.extractor_version, _now()
    document_id = msg.document_id
    ids = fact_ids(
        document_id,
        [
            (
                f.figure_start if f.figure_start is not None else f.start,
                f.figure_end if f.figure_end is not None else f.end,
                f.indicator,
            )
            for f in msg.facts
        ],
    )
    level = regions.level_of
    session.flush()  # the document's row before the rows that refer to it (the driver's inserts skip the session)
    _insert_plain(
        session,
        models.Fact,
        _field_names(Fact) + ("id", "document_id", "admin_level"),
        [(*_values(f), i, document_id, level(f.region)) for i, f in zip(ids, msg.facts, strict=True)],
    )
    _insert_plain(
        session,
        models.Section,
        _field_names(Section) + ("document_id", "ordinal"),
        [(*_values(s), document_id, i) for i, s in enumerate(msg.sections)],
    )
    if msg.tasks:  # lead_units is a JSON column: the table's own types encode it
        session.execute(insert(models.Task.__table__), [dict(_row(t), document_id=document_id) for t in msg.tasks])
    counts = [len(p.tokens.split()) for p in msg.paragraphs]
    _insert_plain(
        session,
        models.Paragraph,
        _field_names(Paragraph) + ("document_id", "ordinal", "token_count"),
        [(*_values(p), document_id, i, n) for i, (p, n) in enumerate(zip(msg.paragraphs, counts, strict=True))],
    )
    doc.paragraph_count, doc.paragraph_tokens = len(counts), sum(counts)
    _event(session, msg.document_id, "stored", f"{len(msg.facts)} facts")
    session.flush()
    # what an analyst fixed by hand outlives the extraction it corrected
    _apply_corrections(
        session,
        doc,
        session.scalars(
            select(models.Correction)
            .where(models.Correction.document_id == doc.id)
            .order_by(models.Correction.fact_id, models.Correction.id)
        ).all(),
    )
    _regroup_copies(session, doc)


def _row(item) -> dict:
    """A domain dataclass's fields as a row's values, shallow (asdict copies each list)."""
    return {name: getattr(item, name) for name in _field_names(type(item))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    # dataclasses.fields() builds its tuple on every call: a tenth of the store's time
    return tuple(f.name for f in fields(kind))


def _values(item) -> tuple:
    """A domain dataclass's fields in _field_names order."""
    return _getter(type(item))(item)


@cache
def _getter(kind: type):
    return attrgetter(*_field_names(kind))


def _insert_plain(session: Session, table: type[models.Base], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows of strings, numbers, booleans and nulls, straight to the driver's executemany.
    Through Core each row became a dict and went through the statement's parameter
    processing: a third of the store's time beside the database's own, for values the
    drivers (sqlite3, psycopg) take as they are."""
    if rows:
        connection = session.connection()
        connection.exec_driver_sql(_insert_sql(connection.dialect, table.__tablename__, columns), rows)


@cache
def _insert_sql(dialect, table: str, columns: tuple[str, ...]) -> str:
    quote = dialect.identifier_preparer.quote  # "end" is a keyword
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    return (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )


def _regroup_copies(session: Session, doc: models.Document) -> None:
    """Serve one report once: among the done documents of this one's region, plan year and
    type, the near-identical ones are one report (domain.duplicates), the best copy served and
    the others pointing at it. Documents that pointed at this one and are no longer of its
    kind (it was re-read with another region or year) are regrouped among their own."""
    D = models.Document
    doc.duplicate_of = None
    keys = {(doc.region, doc.plan_year, doc.doc_type)}
    for other in session.scalars(select(D).where(D.duplicate_of == doc.id, D.id != doc.id)):
        other.duplicate_of = None
        keys.add((other.region, other.plan_year, other.doc_type))
    for region, year, doc_type in keys:
        if region is None or year is None:
            continue  # a report that names no region or year cannot be told the same as another
        copies = session.scalars(
            select(D).where(D.status == "done", D.region == region, D.plan_year == year, D.doc_type == doc_type)
        ).all()
        by_id = {c.id: c for c in copies}
        for group in duplicates.groups([duplicates.Copy(c.id, c.text or "", c.received_at) for c in copies]):
            served = group[0].id
            for copy in group:
                by_id[copy.id].duplicate_of = None if copy.id == served else served


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


# --- corrections and deletion (the gateway's writes: PATCH and DELETE) -------------------

DOCUMENT_FIELDS = ("region", "review_year", "plan_year")
FACT_FIELDS = (
    "indicator",
    "indicator_label",
    "subject",
    "region",
    "period",
    "kind",
    "measure",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "estimated",
    "strive",
)


def lock_document(*, session: Session, document_id: str) -> models.Document | None:
    """The document, its row locked until commit: a correction and a new extraction of the
    same document take turns, so neither overwrites the other."""
    return session.get(models.Document, document_id, with_for_update=True)


def correct(
    *, session: Session, doc: models.Document, changes: dict, by: str, fact: models.Fact | None = None
) -> list[models.Correction]:
    """Record `changes` (field -> value) to the document, or to one of its facts, as made by
    `by` now, and apply them to the current rows. Returns the corrections now in force for
    that document or fact."""
    allowed = FACT_FIELDS if fact is not None else DOCUMENT_FIELDS
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    fact_id = fact.id if fact is not None else ""
    C = models.Correction
    existing = {c.field: c for c in session.scalars(select(C).where(C.document_id == doc.id, C.fact_id == fact_id))}
    now = _now()
    made = []
    for field, value in changes.items():
        row = existing.get(field)
        if row is None:
            row = C(document_id=doc.id, fact_id=fact_id, field=field)
            session.add(row)
            existing[field] = row
        row.value, row.corrected_by, row.corrected_at = value, by, now
        made.append(row)
    session.flush()
    _apply_corrections(session, doc, made)
    if fact is None and {"region", "plan_year"} & set(changes):
        _regroup_copies(session, doc)  # another region or year: other copies, perhaps
    _event(session, doc.id, "corrected", ", ".join(f"{fact_id + '.' if fact_id else ''}{f}" for f in changes))
    return sorted(existing.values(), key=lambda c: c.field)


def corrections_of(*, session: Session, document_id: str, fact_id: str | None = None) -> list[models.Correction]:
    """The corrections of a document (fact_id None: its own fields) or of one of its facts."""
    C = models.Correction
    return list(
        session.scalars(select(C).where(C.document_id == document_id, C.fact_id == (fact_id or "")).order_by(C.field))
    )


def _apply_corrections(session: Session, doc: models.Document, corrections: list[models.Correction]) -> None:
    """Lay corrections over the stored rows: the document's first (its facts follow a new
    region), then each fact's own (a fact's region set by hand wins). A correction of a fact
    a new extraction no longer gives stays recorded and waits for it."""
    for c in corrections:
        if c.fact_id:
            continue
        if c.field == "region":
            _move_region(session, doc, c.value)
        else:
            setattr(doc, c.field, c.value)
    for c in corrections:
        if c.fact_id:
            fact = session.get(models.Fact, c.fact_id)
            if fact is not None and fact.document_id == doc.id:
                setattr(fact, c.field, c.value)
                if c.field == "region":
                    fact.admin_level = regions.level_of(c.value)


def _move_region(session: Session, doc: models.Document, region: str | None) -> None:
    old = doc.region
    doc.region = region
    doc.admin_level = regions.level_of(region)
    F = models.Fact
    # the facts that were the document's region (or had none, as the report named none) follow it;
    # a fact of another region (a national figure in a city report) keeps its own
    follows = F.region.is_(None) if old is None else or_(F.region.is_(None), F.region == old)
    session.execute(
        update(F)
        .where(F.document_id == doc.id, follows)
        .values(region=region, admin_level=doc.admin_level)
        .execution_options(synchronize_session="fetch")
    )


def delete_document(*, session: Session, document_id: str) -> None:
    """The document and every row about it; the copies it stood for are regrouped."""
    doc = lock_document(session=session, document_id=document_id)
    if doc is None:
        return
    for table in (models.Fact, models.Section, models.Task, models.Paragraph, models.DocumentEvent, models.Correction):
        session.execute(delete(table).where(table.document_id == document_id))
    copies = list(session.scalars(select(models.Document).where(models.Document.duplicate_of == document_id)))
    session.delete(doc)
    session.flush()
    for other in copies:
        _regroup_copies(session, other)
