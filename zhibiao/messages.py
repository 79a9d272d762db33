"""Every message on the bus: a CloudEvents-like envelope around a typed, versioned body.

A message carries references and derived data, never a file's bytes (claim check).
A breaking change to a body is a new type name (…v2), never an edit of v1.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class DocumentReceived(BaseModel):
    document_id: str  # sha256 of the bytes
    key: str  # where the object lives in the bucket
    source_name: str
    size_bytes: int
    received_at: datetime


class DocumentProcessing(BaseModel):
    document_id: str
    extractor_version: str


class DocumentExtracted(BaseModel):
    document_id: str
    extractor_version: str
    media_type: str
    pages: int
    ocr_pages: int
    meta: dict[str, Any]
    text: str
    sections: list[dict[str, Any]]
    facts: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    keywords: list[str] = Field(default_factory=list)
    # {"start", "end", "tokens"}: segmented for search by extract; absent in older messages
    paragraphs: list[dict[str, Any]] | None = None


class DocumentFailed(BaseModel):
    document_id: str
    extractor_version: str | None = None
    stage: Literal["ingest", "extract", "store"] = "extract"
    reason: str  # for a person: what is wrong and what to do


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

    def body(self) -> BaseModel:
        try:
            model = BODIES[self.type]
        except KeyError:
            raise ValueError(f"unknown message type {self.type!r}") from None
        return model.model_validate(self.data)


def envelope(body: BaseModel, *, message_id: str) -> Envelope:
    return Envelope(
        id=message_id,
        type=TYPE_OF[type(body)],
        time=datetime.now(UTC),
        data=body.model_dump(mode="json"),
    )


def route(body: BaseModel) -> str:
    return ROUTE_OF[type(body)]
