"""Every message on the bus: a CloudEvents-like envelope around a typed, versioned body.

A message carries references and derived data, never a file's bytes (claim check).
A breaking change to a body is a new type name (…v2), never an edit of v1.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from zhibiao.domain.model import DocumentMeta, Fact, Section, Task
from zhibiao.domain.search_text import Paragraph


class DocumentReceived(BaseModel):
    document_id: str  # sha256 of the bytes
    key: str  # where the object lives in the bucket
    source_name: str
    size_bytes: int
    received_at: datetime
    # The version that was hashed where the bucket has versions (S3 ETag): extract reads that one.
    etag: str | None = None


class DocumentProcessing(BaseModel):
    document_id: str
    extractor_version: str


class DocumentExtracted(BaseModel):
    """Everything derived from one document. Its parts are the domain's own dataclasses, so a
    field is declared once (zhibiao/domain/model.py) and checked here on the way in and out."""

    # JSON has no inf/NaN: pydantic would send them as null, and the store would choke on a
    # figure without a value. The domain drops such figures; this is the last gate.
    model_config = ConfigDict(allow_inf_nan=False)

    document_id: str
    extractor_version: str
    media_type: str
    pages: int
    ocr_pages: int
    meta: DocumentMeta
    text: str
    sections: list[Section]
    facts: list[Fact]
    tasks: list[Task]
    keywords: list[str] = Field(default_factory=list)
    paragraphs: list[Paragraph]  # segmented for search by extract, which scales out


class DocumentFailed(BaseModel):
    document_id: str
    extractor_version: str | None = None
    stage: Literal["ingest", "extract", "store"] = "extract"
    reason: str  # for a person: what is wrong and what to do
    # The file's name, when the document is failed before anything was received (stage ingest)
    source_name: str | None = None


BODIES: dict[str, type[BaseModel]] = {
    "zhibiao.document.received.v1": DocumentReceived,
    "zhibiao.document.processing.v1": DocumentProcessing,
    "zhibiao.document.extracted.v1": DocumentExtracted,
    "zhibiao.document.failed.v1": DocumentFailed,
}
TYPE_OF: dict[type[BaseModel], str] = {body: name for name, body in BODIES.items()}
# Routing keys: queues bind to these, not to type names, so a v2 body can share a route.
ROUTE_OF: dict[type[BaseModel], str] = {
    DocumentReceived: "document.received",
    DocumentProcessing: "document.processing",
    DocumentExtracted: "document.extracted",
    DocumentFailed: "document.failed",
}


class Envelope(BaseModel):
    id: str  # deterministic: the same event published twice has the same id
    type: str
    time: datetime
    data: dict[str, Any]
    # The consumer validates a body on arrival (to dead-letter what cannot be read) and the
    # handler reads it again: a document.extracted body holds thousands of facts and paragraphs.
    _body: BaseModel | None = PrivateAttr(default=None)

    def body(self) -> BaseModel:
        if self._body is None:
            try:
                model = BODIES[self.type]
            except KeyError:
                raise ValueError(f"unknown message type {self.type!r}") from None
            self._body = model.model_validate(self.data)
        return self._body


def operation_id(*parts: str) -> str:
    """A message id for one logical operation, e.g. operation_id("received", sha, key): the
    sha256 of its parts, so the same operation always has the same id (the store dedupes on
    it) and every id has 64 characters, whatever the key. AMQP carries message_id as a short
    string of at most 255 bytes and the inbox keeps it in VARCHAR(256); ids that embedded the
    key broke both once the key was long (Chinese names take 3 bytes a character)."""
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def envelope(body: BaseModel, *, message_id: str) -> Envelope:
    return Envelope(
        id=message_id,
        type=TYPE_OF[type(body)],
        time=datetime.now(UTC),
        data=body.model_dump(mode="json"),
    )


def route(body: BaseModel) -> str:
    return ROUTE_OF[type(body)]
