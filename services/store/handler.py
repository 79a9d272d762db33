"""Every document.* event -> the database, once. Plain code, no broker."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from zhibiao.bus import Delivery, Outcome
from zhibiao.db import writes
from zhibiao.errors import TransientError, failure_reason
from zhibiao.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived

log = logging.getLogger(__name__)

_APPLY = {
    DocumentReceived: writes.apply_received,
    DocumentProcessing: writes.apply_processing,
    DocumentExtracted: writes.apply_extracted,
    DocumentFailed: writes.apply_failed,
}


def handle_event(delivery: Delivery, *, sessions: sessionmaker) -> Outcome:
    env = delivery.envelope
    body = env.body()
    return _once(sessions, env.id, lambda session: _APPLY[type(body)](session=session, msg=body))


def handle_dead_letter(delivery: Delivery, *, sessions: sessionmaker) -> Outcome:
    """A message was given up on (its worker crashed or was killed every time)."""
    env = delivery.envelope
    body = env.body()
    document_id = getattr(body, "document_id", None)
    if document_id is None:
        return Outcome.ACK
    reason = failure_reason("多次尝试后放弃处理：请排除原因后重新处理",
                            f"processing was given up after repeated attempts at the {delivery.routing_key} step: "
                            "the worker crashed, timed out or was killed each time")
    return _once(sessions, "dead:" + env.id,
                 lambda session: writes.apply_dead_letter(session=session, document_id=document_id, reason=reason))


def _once(sessions: sessionmaker, message_id: str, apply) -> Outcome:
    """Apply and remember in one transaction; the database being away is transient wherever
    it shows, so the consumer retries in place and nothing burns a delivery for it."""
    try:
        return _apply_once(sessions, message_id, apply)
    except OperationalError as exc:
        raise TransientError(f"database unavailable: {exc.orig!r}") from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise TransientError(f"database connection lost: {exc.orig!r}") from exc
        raise


def _apply_once(sessions: sessionmaker, message_id: str, apply) -> Outcome:
    try:
        with sessions.begin() as session:
            if writes.already_applied(session=session, message_id=message_id):
                return Outcome.ACK
            apply(session)
            writes.remember(session=session, message_id=message_id)
    except IntegrityError:
        # A concurrent copy applied the same message first: its inbox row wins.
        with sessions() as session:
            if writes.already_applied(session=session, message_id=message_id):
                return Outcome.ACK
        # Two events of one new document raced to create its row: try again in place.
        raise TransientError("concurrent first write of a document; retrying") from None
    return Outcome.ACK
