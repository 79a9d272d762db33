"""document.received -> document.extracted | document.failed. Plain code, no broker."""

from __future__ import annotations

import errno
import hashlib
import logging
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError

from zhibiao.buckets import FolderBucket
from zhibiao.buckets.contract import Changed
from zhibiao.parsing.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.plumbing import metrics
from zhibiao.plumbing.bus import Delivery, Outcome
from zhibiao.plumbing.errors import DocumentTooLarge, PermanentError, TransientError
from zhibiao.plumbing.messages import (
    DocumentExtracted,
    DocumentFailed,
    DocumentProcessing,
    DocumentReceived,
    operation_id,
)

log = logging.getLogger(__name__)

Publish = Callable[[BaseModel, str], None]
# bytes, file name, region_hint= the key's folders -> the fields of a document.extracted body;
# PermanentError for a bad file
Extract = Callable[..., dict[str, Any]]

# Errors that say something about the object itself: reading it again gives the same answer.
_UNREADABLE = {
    errno.EACCES: "no permission to read it",
    errno.EPERM: "no permission to read it",
    errno.EISDIR: "it is a directory",
    errno.ENOTDIR: "a part of its path is not a directory",
    errno.ENAMETOOLONG: "its name is too long for the file system",
    errno.ELOOP: "a symbolic link loop",
}


def extract_in_process(data: bytes, name: str, *, region_hint: str | None = None) -> dict[str, Any]:
    """Without isolation: for tests and tools that trust their input."""
    return extract_bytes(data, name, region_hint=region_hint).fields()


def handle_document_received(
    delivery: Delivery,
    *,
    bucket: FolderBucket,
    publish: Publish,
    max_file_bytes: int,
    extract: Extract = extract_in_process,
    max_retries: int = 10,
) -> Outcome:
    msg = delivery.envelope.body()
    assert isinstance(msg, DocumentReceived)
    ref = delivery.envelope.id  # derived ids follow the request, so a reprocess is not deduped away
    publish(
        DocumentProcessing(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION),
        operation_id("processing", ref, EXTRACTOR_VERSION, str(delivery.delivery_count)),
    )
    try:
        try:
            result = _extract(msg, bucket=bucket, max_file_bytes=max_file_bytes, extract=extract)
            publish(result, operation_id("extracted", ref, EXTRACTOR_VERSION))
        except TransientError as exc:
            if delivery.retries < max_retries:
                raise  # parked in a delay queue, tried again later
            raise PermanentError(
                f"gave up after {delivery.retries} retries: {exc}",
                zh="多次重试后仍无法处理：请检查存储桶或服务后重新处理",
            ) from exc
    except PermanentError as exc:
        log.info("failed: %s", exc)
        metrics.DOCUMENTS.labels("failed").inc()
        publish(
            DocumentFailed(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION, reason=exc.reason()),
            operation_id("failed", ref, EXTRACTOR_VERSION),
        )
        return Outcome.DEAD_LETTER
    metrics.DOCUMENTS.labels("extracted").inc()
    metrics.OCR_PAGES.inc(result.ocr_pages or 0)
    log.info(
        "extracted: %d facts, %d sections, %d pages (%d by OCR)",
        len(result.facts),
        len(result.sections),
        result.pages or 0,
        result.ocr_pages or 0,
    )
    return Outcome.ACK


def _extract(
    msg: DocumentReceived, *, bucket: FolderBucket, max_file_bytes: int, extract: Extract
) -> DocumentExtracted:
    if msg.size_bytes > max_file_bytes:
        raise DocumentTooLarge(
            f"the file is {msg.size_bytes / 2**20:.0f} MiB; the limit is "
            f"{max_file_bytes / 2**20:.0f} MiB (ZHIBIAO_MAX_FILE_BYTES)"
        )
    try:
        # where the bucket has versions, the one that was hashed: an overwrite raises Changed
        data = bucket.read(msg.key, etag=msg.etag) if msg.etag else bucket.read(msg.key)
    except FileNotFoundError:
        raise PermanentError(
            f"the file {msg.key} is no longer in the bucket; drop it again", zh="文件已不在存储桶中：请重新放入"
        ) from None
    except OSError as exc:
        if exc.errno in _UNREADABLE:
            raise PermanentError(
                f"cannot read {msg.key}: {_UNREADABLE[exc.errno]} ({exc})",
                zh="文件无法读取：请检查文件权限和类型后重新放入",
            ) from exc
        # the bucket's disk or mount is away, not the file's fault
        raise TransientError(f"cannot read {msg.key} from the bucket: {exc}") from exc
    actual = hashlib.sha256(data).hexdigest()
    if actual != msg.document_id:
        # The id names other bytes than these: facts from them would be filed under the wrong
        # document. Ingest registers the new bytes as a document of their own.
        raise Changed(
            f"{msg.key} was rewritten after it was registered: its sha256 is now {actual[:12]}…, "
            f"not {msg.document_id[:12]}…"
        )
    # the folders it was dropped in (reports/保定市容城县/2020.txt) may name its region
    folders = PurePosixPath(msg.key).parent.as_posix()
    fields = extract(data, msg.source_name, region_hint="" if folders == "." else folders)
    try:
        return DocumentExtracted(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION, **fields)
    except ValidationError as exc:
        raise PermanentError(
            f"the extraction result is invalid: {exc.errors()[0]['msg']}", zh="提取结果无效：请检查文件内容后重新上传"
        ) from exc
