"""document.received -> document.extracted | document.failed. Plain code, no broker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import BaseModel

from zhibiao.bucket import FolderBucket
from zhibiao.bus import Delivery, Outcome
from zhibiao.errors import DocumentTooLarge, PermanentError
from zhibiao.extraction import EXTRACTOR_VERSION, extract_bytes
from zhibiao.messages import DocumentExtracted, DocumentFailed, DocumentProcessing, DocumentReceived

log = logging.getLogger(__name__)

Publish = Callable[[BaseModel, str], None]


def handle_document_received(delivery: Delivery, *, bucket: FolderBucket, publish: Publish,
                             max_file_bytes: int) -> Outcome:
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
            raise PermanentError(f"the file {msg.key} is no longer in the bucket; drop it again") from None
        result = extract_bytes(data, msg.source_name)
    except PermanentError as exc:
        log.info("document %s failed: %s", msg.document_id[:12], exc)
        publish(DocumentFailed(document_id=msg.document_id, extractor_version=EXTRACTOR_VERSION, reason=str(exc)),
                f"failed:{ref}:{EXTRACTOR_VERSION}")
        return Outcome.DEAD_LETTER
    ex = result.extraction
    publish(
        DocumentExtracted(
            document_id=msg.document_id,
            extractor_version=EXTRACTOR_VERSION,
            media_type=result.media_type,
            pages=result.pages,
            ocr_pages=result.ocr_pages,
            meta=ex.meta.to_dict(),
            text=ex.text,
            sections=[s.to_dict() for s in ex.sections],
            facts=[f.to_dict() for f in ex.facts],
            tasks=[t.to_dict() for t in ex.tasks],
            keywords=ex.keywords,
        ),
        f"extracted:{ref}:{EXTRACTOR_VERSION}",
    )
    log.info("document %s extracted: %d facts, %d sections", msg.document_id[:12], len(ex.facts), len(ex.sections))
    return Outcome.ACK
