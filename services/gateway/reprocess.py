"""POST /v1/documents/{id}/reprocess: run a document through extraction again.

It publishes a fresh document.received under a new message id: the store's inbox remembers
every id it applied, so the original id would be swallowed as a duplicate. Everything the
extract service derives from the request (processing/extracted/failed ids) follows the new
id, so the new result is stored even when the old one was too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from sqlalchemy.orm import sessionmaker

from services.gateway.errors import ApiError
from zhibiao.bus import Publisher
from zhibiao.config import Settings
from zhibiao.db import models
from zhibiao.messages import DocumentReceived, operation_id


def reprocess_router(settings: Settings, sessions: sessionmaker, require_writer: Callable) -> APIRouter:
    router = APIRouter(tags=["documents"])
    publisher = Publisher(settings)  # connects on first use; its own thread serves every request

    @router.post("/v1/documents/{document_id}/reprocess", status_code=202, dependencies=[Depends(require_writer)])
    def reprocess(document_id: str) -> dict:
        with sessions() as session:
            doc = session.get(models.Document, document_id)
            if doc is None:
                raise ApiError(404, "not_found", f"no document {document_id}")
            if doc.bucket_key is None:
                raise ApiError(409, "no_file", f"document {document_id} has no file in the bucket; upload it again")
            msg = DocumentReceived(document_id=doc.id, key=doc.bucket_key, source_name=doc.source_name,
                                   size_bytes=doc.size_bytes or 0, received_at=datetime.now(UTC))
            previous = doc.status
        request = uuid.uuid4().hex
        # TransientError (broker away) becomes 503 with Retry-After through the gateway's handlers
        publisher.publish(msg, message_id=reprocess_message_id(msg, request))
        return {"id": document_id, "status": "queued", "previous_status": previous, "request_id": request}

    return router


def reprocess_message_id(msg: DocumentReceived, request: str) -> str:
    """Unlike ingest's id, one per request: the store applies each reprocess."""
    return operation_id("received", msg.document_id, msg.key, "reprocess", request)
