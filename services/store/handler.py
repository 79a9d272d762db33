"""Every document.* event -> the database, once. Plain code, no broker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from zhibiao.db import writes
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.errors import TransientError, failure_reason
from zhibiao.plumbing.messages import (
    DocumentExtracted,
    DocumentFailed,
    DocumentProcessing,
    DocumentReceived,
    operation_id,
)

log = logging.getLogger(__name__)

_APPLY = {
    DocumentReceived: writes.apply_received,
    DocumentProcessing: writes.apply_processing,
    DocumentExtracted: writes.apply_extracted,
    DocumentFailed: writes.apply_failed,
}
# Two events of one new document may race to create its row (or two copies of one message
# to remember it): the loser finds the row on its next try, so a few tries settle it.
_RACE_ATTEMPTS = 3
_RACE_CONSTRAINTS = ("documents_pkey", "inbox_pkey")  # PostgreSQL's names
_RACE_COLUMNS = ("documents.id", "inbox.message_id")  # how SQLite says it


def handle_event(delivery: Delivery, *, sessions: sessionmaker) -> Outcome:
    env = delivery.envelope
    body = env.body()
    return _once(sessions, env.id, body.document_id, lambda session: _APPLY[type(body)](session=session, msg=body))


def handle_dead_letter(delivery: Delivery, *, sessions: sessionmaker) -> Outcome:
    """A message was given up on (its worker crashed or was killed every time)."""
    env = delivery.envelope
    body = env.body()
    document_id = getattr(body, "document_id", None)
    if document_id is None:
        return Outcome.ACK
    reason = failure_reason(
        "多次尝试后放弃处理：请排除原因后重新处理",
        f"processing was given up after repeated attempts at the {delivery.routing_key} step: "
        "the worker crashed, timed out or was killed each time",
    )
    return _once(
        sessions,
        operation_id("dead", env.id),
        document_id,
        lambda session: writes.apply_dead_letter(session=session, document_id=document_id, reason=reason),
    )


def _once(sessions: sessionmaker, message_id: str, document_id: str, apply: Callable[[Session], None]) -> Outcome:
    """Apply and remember in one transaction. The database being away is transient wherever
    it shows, so the consumer retries in place and nothing burns a delivery for it; the data
    being refused (a constraint, a value the column cannot hold) is permanent: the document
    fails with the database's words and the message is dead-lettered."""
    # Ids are 64 characters now; one from an older publisher may be longer than the column.
    key = message_id if len(message_id) <= 64 else operation_id("inbox", message_id)
    attempt = 0
    while True:
        attempt += 1
        try:
            return _apply_once(sessions, key, apply)
        except OperationalError as exc:
            raise TransientError(f"database unavailable: {exc.orig!r}") from exc
        except IntegrityError as exc:
            if _applied(sessions, key):
                return Outcome.ACK  # a concurrent copy applied the same message first
            if not _first_write_race(exc):
                return _refused(sessions, key, document_id, exc)
            if attempt == _RACE_ATTEMPTS:
                # Bounded: as a crash, it counts toward the delivery limit.
                raise RuntimeError(
                    f"concurrent first write of document {document_id} lost {_RACE_ATTEMPTS} times"
                ) from exc
            log.info("concurrent first write of a document; trying again")
        except DataError as exc:
            return _refused(sessions, key, document_id, exc)
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise TransientError(f"database connection lost: {exc.orig!r}") from exc
            raise


def _apply_once(sessions: sessionmaker, message_id: str, apply: Callable[[Session], None]) -> Outcome:
    with sessions.begin() as session:
        if writes.already_applied(session=session, message_id=message_id):
            return Outcome.ACK
        apply(session)
        writes.remember(session=session, message_id=message_id)
    return Outcome.ACK


def _applied(sessions: sessionmaker, message_id: str) -> bool:
    with sessions() as session:
        return writes.already_applied(session=session, message_id=message_id)


def _first_write_race(exc: IntegrityError) -> bool:
    constraint = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)
    return constraint in _RACE_CONSTRAINTS or any(
        f"UNIQUE constraint failed: {c}" in str(exc.orig) for c in _RACE_COLUMNS
    )


def _refused(sessions: sessionmaker, message_id: str, document_id: str, exc: DBAPIError) -> Outcome:
    """The same message would be refused every time: record why, then dead-letter it."""
    words = str(exc.orig).strip().splitlines()[0][:300] if str(exc.orig).strip() else type(exc.orig).__name__
    reason = failure_reason(
        "数据无法写入数据库：请检查文件内容后重新处理",
        f"the database refused this document's data: {type(exc.orig).__name__}: {words}",
    )
    log.error("the database refused message %s: %s", message_id, words)
    failed = DocumentFailed(document_id=document_id, stage="store", reason=reason)
    try:
        with sessions.begin() as session:
            writes.apply_failed(session=session, msg=failed)
            writes.remember(session=session, message_id=message_id)
    except OperationalError as record_exc:
        raise TransientError(f"database unavailable: {record_exc.orig!r}") from record_exc
    except DBAPIError as record_exc:  # even the failure cannot be written (e.g. the id itself)
        log.error("could not record the failure of document %s either: %s", document_id, record_exc.orig)
    return Outcome.DEAD_LETTER
