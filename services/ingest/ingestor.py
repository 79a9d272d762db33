"""Registers each complete file of the bucket once: hash, publish, then mark as taken."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel

from zhibiao import metrics
from zhibiao.bucket import FolderBucket, ObjectInfo
from zhibiao.logs import document_context
from zhibiao.messages import DocumentReceived, operation_id

log = logging.getLogger(__name__)

class Ingestor:
    def __init__(self, bucket: FolderBucket, publish: Callable[[BaseModel, str], None]) -> None:
        self._bucket = bucket
        self._publish = publish
        # key -> (size, mtime) at the previous rescan: a file is complete once it stops changing
        self._seen: dict[str, tuple[int, float]] = {}

    def take(self, info: ObjectInfo) -> bool:
        """Publish the file unless it is already taken. The ledger is written only after the
        broker confirmed, so a crash in between publishes again (the store dedupes)."""
        if self._bucket.is_taken(info):
            return False
        try:
            sha = self._bucket.sha256(info.key)
        except FileNotFoundError:
            return False
        msg = DocumentReceived(
            document_id=sha,
            key=info.key,
            source_name=self._bucket.source_name(info.key),
            size_bytes=info.size,
            received_at=datetime.now(UTC),
        )
        with document_context(sha):
            self._publish(msg, operation_id("received", sha, info.key))
            self._bucket.mark_taken(info, sha)
            metrics.FILES_REGISTERED.inc()
            log.info("registered %s (%d bytes)", info.key, info.size)
        return True

    def rescan(self, *, settle_seconds: float = 1.0) -> int:
        """Take every file whose size and mtime held still since the last rescan."""
        taken = 0
        now = time.time()
        current = {}
        for info in self._bucket.list():
            current[info.key] = (info.size, info.mtime)
            stable = self._seen.get(info.key) == (info.size, info.mtime) or now - info.mtime > settle_seconds * 5
            if stable and now - info.mtime >= settle_seconds and self.take(info):
                taken += 1
        self._seen = current
        return taken
