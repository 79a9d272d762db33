"""Tables. The store service is their only writer; the gateway reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


# received -> processing -> done | failed; the store alone moves a document along
DocumentStatus = Literal["received", "processing", "done", "failed"]


class Document(Base):
    __tablename__ = "documents"
    # 0014: the corpus's totals are summed off the index (on SQLite, read off the rows they
    # stand behind each text's overflow pages)
    __table_args__ = (Index("ix_documents_paragraph_totals", "paragraph_count", "paragraph_tokens"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256
    source_name: Mapped[str] = mapped_column(String(512))
    bucket_key: Mapped[str | None] = mapped_column(String(1024))
    media_type: Mapped[str | None] = mapped_column(String(128))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)  # a DocumentStatus
    error: Mapped[str | None] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(String(32))
    title: Mapped[str | None] = mapped_column(String(512))
    region: Mapped[str | None] = mapped_column(String(128), index=True)
    admin_level: Mapped[str | None] = mapped_column(String(16))
    delivered_on: Mapped[str | None] = mapped_column(String(10))
    review_year: Mapped[int | None] = mapped_column(Integer)
    plan_year: Mapped[int | None] = mapped_column(Integer, index=True)
    speaker: Mapped[str | None] = mapped_column(String(64))
    speaker_title: Mapped[str | None] = mapped_column(String(256))
    meeting: Mapped[str | None] = mapped_column(String(256))
    issuer: Mapped[str | None] = mapped_column(String(256))
    pages: Mapped[int | None] = mapped_column(Integer)
    ocr_pages: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list | None] = mapped_column(JSON)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)  # 0011
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    # another copy of the report this document is (TXT and PDF of one report): the one served
    # in its place; None for the one served (migration 0007)
    duplicate_of: Mapped[str | None] = mapped_column(String(64), index=True)
    # its paragraphs and their jieba tokens (migration 0014): summed, what BM25 needs of the corpus
    paragraph_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paragraph_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Fact(Base):
    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_indicator_region", "indicator", "region", "measure"),
        Index("ix_facts_admin_level", "admin_level", "id", "document_id"),  # 0013: counts off the index
        Index("ix_facts_indicator_level", "indicator", "admin_level", "id", "document_id"),
    )

    # stable across reprocessing (domain.stable_ids, migration 0008): links and corrections hold it
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str | None] = mapped_column(String(64))  # None: a figure outside the catalogue
    indicator_label: Mapped[str] = mapped_column(String(128))
    region: Mapped[str | None] = mapped_column(String(128))  # None when the report names none
    # regions.level_of(region), kept with it (migration 0012): what an admin-level filter reads
    admin_level: Mapped[str | None] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    measure: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    qualifier: Mapped[str | None] = mapped_column(String(16))
    estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    strive: Mapped[bool] = mapped_column(Boolean, default=False)
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(512))
    figure_start: Mapped[int | None] = mapped_column(Integer)
    figure_end: Mapped[int | None] = mapped_column(Integer)
    subject: Mapped[str | None] = mapped_column(String(256), index=True)
    subject_unclear: Mapped[bool] = mapped_column(Boolean, default=False)


class Correction(Base):
    """A field an analyst set by hand (PATCH), kept apart from what extraction writes so that
    the store can lay it over every new extraction of the document (migration 0008).
    `fact_id` is "" for a field of the document itself."""

    __tablename__ = "corrections"
    __table_args__ = (UniqueConstraint("document_id", "fact_id", "field", name="uq_corrections_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    fact_id: Mapped[str] = mapped_column(String(32), default="")
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[object | None] = mapped_column(JSON)
    corrected_by: Mapped[str] = mapped_column(String(64))
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    part: Mapped[str | None] = mapped_column(String(16))


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    lead_units: Mapped[list] = mapped_column(JSON)
    leader: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)


class DocumentEvent(Base):
    """A document's timeline: received, processing, extracted, failed, stored."""

    __tablename__ = "document_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(64), index=True)
    event: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    detail: Mapped[str | None] = mapped_column(Text)


class InboxMessage(Base):
    """Message ids already applied: written in the same transaction as their effects."""

    __tablename__ = "inbox"

    message_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Paragraph(Base):
    """A line of a document's cleaned text with its jieba tokens: what search looks in.

    `tokens` is " tok tok tok " (search-mode tokens, space-joined and padded) so that a
    token is the substring " tok " on SQLite; PostgreSQL indexes the same column as a
    tsvector of exactly these tokens (see migration 0002)."""

    __tablename__ = "paragraphs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    tokens: Mapped[str] = mapped_column(Text)
    token_count: Mapped[int] = mapped_column(Integer)
