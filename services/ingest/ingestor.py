"""Registers each complete file of the bucket once: hash, publish, then mark as taken.

A file is taken once it has been quiet (same size and mtime) for `settle_seconds`, however it
was noticed: a file event, a listing, a notification. Writers that open and close a file
several times (resumable downloads, chunked appends) would otherwise be taken half-written.

One object must never stop ingestion of the others: an object that can never be read (no
permission, a FIFO, a key the bucket cannot address) is failed alone, as `document.failed`
with stage `ingest`, and recorded in the ledger so that it is not tried at every rescan.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel

from zhibiao.buckets import FolderBucket, ObjectInfo
from zhibiao.buckets.contract import ABOUT_THE_FILE, Changed, Unreadable
from zhibiao.plumbing import metrics
from zhibiao.plumbing.errors import PermanentError, TransientError, failure_reason
from zhibiao.plumbing.logs import document_context
from zhibiao.plumbing.messages import DocumentFailed, DocumentReceived, operation_id

log = logging.getLogger(__name__)


class Ingestor:
    def __init__(
        self,
        bucket: FolderBucket,
        publish: Callable[[BaseModel, str], None],
        *,
        settle_seconds: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._bucket = bucket
        self._publish = publish
        self.settle_seconds = settle_seconds
        self._clock = clock
        self.published = 0
        # key -> ((size, mtime), when that state was first seen): waiting to be quiet
        self._pending: dict[str, tuple[tuple[int, float], float]] = {}

    def take(self, info: ObjectInfo) -> bool:
        """Publish the file unless it is already taken; True when it was published now."""
        sha = self._hash(info)
        if sha is None:
            return False
        self._register(info, sha)
        return True

    def offer(self, info: ObjectInfo) -> bool:
        """Take the file if it has been quiet long enough. True when it needs no further look
        (published, already taken, gone or failed); False while it is still settling or the
        bucket did not answer. A broker that is away raises TransientError: nothing is lost."""
        state = (info.size, info.mtime)
        now = self._clock()
        if self.settle_seconds > 0:
            seen = self._pending.get(info.key)
            if seen is None or seen[0] != state:
                self._pending[info.key] = (state, now)
                return False
            if now - seen[1] < self.settle_seconds:
                return False
        self._pending.pop(info.key, None)
        try:
            sha = self._hash(info)
        except PermanentError as exc:
            self._fail(info, exc.reason())
            return True
        except ValueError as exc:  # the bucket refuses the key itself
            self._fail(
                info,
                failure_reason(
                    "文件名无法使用（含有空段、“.” 或 “..”）：请重命名后重新放入", f"cannot read {info.key}: {exc}"
                ),
            )
            return True
        except OSError as exc:
            if exc.errno in ABOUT_THE_FILE:
                self._fail(info, Unreadable(f"cannot read {info.key}: {exc.strerror}").reason())
                return True
            log.warning("cannot read %s now, trying again later: %s", info.key, exc)
            self._pending[info.key] = (state, now)
            return False
        except TransientError as exc:
            log.warning("cannot read %s now, trying again later: %s", info.key, exc)
            self._pending[info.key] = (state, now)
            return False
        if sha is not None:
            self._register(info, sha)
        return True

    def _hash(self, info: ObjectInfo) -> str | None:
        """The sha256 of this version, or None when it is taken, gone or already replaced."""
        if self._bucket.is_taken(info):
            return None
        try:
            return self._bucket.sha256(info.key, etag=info.etag)
        except FileNotFoundError:
            return None
        except Changed:
            return None  # rewritten since listed: the new version is listed in its turn

    def _register(self, info: ObjectInfo, sha: str) -> None:
        """Publish, then mark taken: the ledger is written only after the broker confirmed, so a
        crash in between publishes again (the store dedupes)."""
        msg = DocumentReceived(
            document_id=sha,
            key=info.key,
            source_name=self._bucket.source_name(info.key),
            size_bytes=info.size,
            received_at=datetime.now(UTC),
            etag=info.etag or None,
        )
        with document_context(sha):
            self._publish(msg, operation_id("received", sha, info.key))
            self._bucket.mark_taken(info, sha)
            metrics.FILES_REGISTERED.inc()
            log.info("registered %s (%d bytes)", info.key, info.size)
        self.published += 1

    def rescan(self, *, settle_seconds: float | None = None) -> int:
        """Offer every listed object; returns how many were published."""
        if settle_seconds is not None:
            self.settle_seconds = settle_seconds
        before = self.published
        listed = set()
        for info in self._bucket.list():
            listed.add(info.key)
            try:
                self.offer(info)
            except TransientError:
                raise  # the broker is away: every other object would wait for it too
            except Exception:  # a bug of ours on one object must not stop the others
                log.exception("cannot take %s; carrying on with the other files", info.key)
        for key in set(self._pending) - listed:  # gone, or renamed to its final name
            del self._pending[key]
        return self.published - before

    def recheck(self) -> None:
        """Look again at every file still settling whose interval has passed."""
        now = self._clock()
        for key, (_, since) in list(self._pending.items()):
            if now - since >= self.settle_seconds:
                info = self._bucket.stat(key)
                if info is None:
                    self._pending.pop(key, None)
                else:
                    self.offer(info)

    def next_look(self) -> float | None:
        """Seconds until a settling file is due for another look; None when none is waiting."""
        if not self._pending:
            return None
        now = self._clock()
        return max(0.0, min(since + self.settle_seconds - now for _, since in self._pending.values()))

    def _fail(self, info: ObjectInfo, reason: str) -> None:
        # Not a content hash (the bytes could not be read): an id of this version of the object.
        doc_id = hashlib.sha256(
            f"ingest-failed\0{info.key}\0{info.etag}\0{info.size}\0{info.mtime}".encode()
        ).hexdigest()
        with document_context(doc_id):
            log.warning("failed %s: %s", info.key, reason)
            self._publish(
                DocumentFailed(
                    document_id=doc_id, stage="ingest", reason=reason, source_name=info.key.rsplit("/", 1)[-1]
                ),
                f"failed:ingest:{doc_id}",
            )
            self._bucket.mark_taken(info, doc_id)
            metrics.DOCUMENTS.labels("failed").inc()
