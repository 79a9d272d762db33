"""document.received -> document.extracted | document.failed. Plain code, no broker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from zhibiao import metrics
from zhibiao.bucket import FolderBucket
from zhibiao.bus import Delivery, Outcome
from zhibiao.errors import DocumentTooLarge, PermanentError, TransientError
from zhibiao.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived

log = logging.getLogger(__name__)

Publish = Callable[[BaseModel, str], None]
# bytes, file name -> the fields of a document.extracted body; PermanentError for a bad file
Extract = Callable[[bytes, str], dict[str, Any]]


def extract_in_process(data: bytes, name: str) -> dict[str, Any]:
    """Without isolation: for tests and tools that trust their input."""
    return extract_bytes(data, name).fields()


def handle_document_received(delivery: Delivery, *, bucket: FolderBucket, publish: Publish,
                             max_file_bytes: int, extract: Extract = extract_in_process) -> Outcome:
    msg = delivery.envelope.body()
    assert isinstance(msg, DocumentReceived)
    ref = delivery.envelope.id  # derived ids follow the request, so a reprocess is not deduped away
    publish(DocumentProcessing(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION),
            f"processing:{ref}:{EXTRACTOR_VERSION}:{delivery.delivery_count}")
    try:
        if msg.size_bytes > max_file_bytes:
            raise DocumentTooLarge(f"the file is {msg.size_bytes / 2**20:.0f} MiB; the limit is "
                                   f"{max_file_bytes / 2**20:.0f} MiB (ZHIBIAO_MAX_FILE_BYTES)")
        try:
            data = bucket.read(msg.key)
        except FileNotFoundError:
            raise PermanentError(f"the file {msg.key} is no longer in the bucket; drop it again",
                                 zh="文件已不在存储桶中：请重新放入") from None
        except OSError as exc:  # the bucket's disk or mount is away, not the file's fault
            raise TransientError(f"cannot read {msg.key} from the bucket: {exc}") from exc
        fields = extract(data, msg.source_name)
    except PermanentError as exc:
        log.info("failed: %s", exc)
        metrics.DOCUMENTS.labels("failed").inc()
        publish(DocumentFailed(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION, reason=exc.reason()),
                f"failed:{ref}:{EXTRACTOR_VERSION}")
        return Outcome.DEAD_LETTER
    publish(DocumentExtracted(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION, **fields),
            f"extracted:{ref}:{EXTRACTOR_VERSION}")
    metrics.DOCUMENTS.labels("extracted").inc()
    metrics.OCR_PAGES.inc(fields.get("ocr_pages") or 0)
    log.info("extracted: %d facts, %d sections, %d pages (%d by OCR)", len(fields["facts"]), len(fields["sections"]),
             fields.get("pages") or 0, fields.get("ocr_pages") or 0)
    return Outcome.ACK
