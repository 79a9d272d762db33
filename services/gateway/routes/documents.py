"""Documents: upload, list, one document with its text, sections and original file,
reprocessing, corrections by hand and deletion."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, UploadFile
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import Counter
from sqlalchemy.orm import Session

from services.gateway import exports
from services.gateway.deps import Format, GatewayDep, Limit, SessionDep, Writer, Year
from services.gateway.errors import ApiError
from services.gateway.exports import attachment
from services.gateway.paging import position, row, sorted_page
from services.gateway.params import AdminLevelParam, RegionParam, SubregionsParam, asked_regions
from services.gateway.responses import PlainJSON
from services.gateway.schemas import (
    Accepted,
    Correction,
    CountedPage,
    Deleted,
    Document,
    DocumentCorrection,
    DocumentDetail,
    Event,
    Reprocessing,
    names,
)
from zhibiao.db import models, reads, writes
from zhibiao.db.models import DocumentStatus
from zhibiao.domain import regions
from zhibiao.domain.model import DocType, Section
from zhibiao.plumbing.messages import DocumentReceived, operation_id
from zhibiao.readers import READERS

router = APIRouter(prefix="/v1/documents", tags=["documents"])
MIN_PREFIX = 6  # 16.7 million possible prefixes: a short id to read out, rarely shared in one corpus
UPLOADS = Counter("zhibiao_gateway_uploads_total", "Files accepted through POST /v1/documents")


@router.post("", status_code=202, response_model=Accepted, dependencies=[Writer])
def upload(
    file: UploadFile, session: SessionDep, gateway: GatewayDep, region: Annotated[str | None, Form()] = None
) -> dict:
    # A plain def: FastAPI runs it in its thread pool, so the database lookup and the bucket
    # write (S3 or a slow disk) never stall the event loop, and waiting for a pooled
    # connection under a burst of uploads happens in a thread, not on the loop.
    folder = _region_folder(region)
    data = file.file.read()
    if not data:
        raise ApiError(400, "empty_file", "the uploaded file is empty")
    name = (file.filename or "upload").replace("\x00", "") or "upload"  # PostgreSQL text refuses NUL
    if not any(reader.accepts(data, name) for reader in READERS):
        raise ApiError(
            415, "unsupported_media_type", "the file is not a format zhibiao reads (PDF, image, HTML, DOCX or text)"
        )
    sha = hashlib.sha256(data).hexdigest()
    existing = session.get(models.Document, sha)
    if existing is None:
        gateway.bucket.put(data, name, folder)  # the folder is the hint extract reads, as for a drop
        UPLOADS.inc()
    return {"id": sha, "status": existing.status if existing else "received"}


def _region_folder(region: str | None) -> str:
    """The bucket folder an upload's `region=` puts it in: the region's full official name
    (容城县 -> 保定市容城县), so that extract reads it like the folder of any dropped file."""
    if region is None or not region.strip():
        return ""
    resolved = regions.from_folders(region.strip())
    if resolved is None:
        raise ApiError(
            422,
            "unknown_region",
            f"region {region.strip()!r} is not one division of the national table: give its full name, "
            "with its city where the name is shared (保定市容城县, 北京市朝阳区, 浙江省, 全国)",
        )
    return resolved.name


DocumentSort = Literal[
    "id",
    "-id",
    "received_at",
    "-received_at",
    "year",
    "-year",
    "region",
    "-region",
    "source_name",
    "-source_name",
    "status",
    "-status",
]


@router.get("", response_model=CountedPage[Document])
def list_documents(
    session: SessionDep,
    limit: Limit = 100,
    cursor: str | None = None,
    status: DocumentStatus | None = None,
    region: RegionParam = None,
    include_subregions: SubregionsParam = False,
    admin_level: AdminLevelParam = None,
    year: Annotated[Year | None, Query(description="the plan year or the review year")] = None,
    doc_type: DocType | None = None,
    sort: Annotated[DocumentSort, Query(description="a field, - first for descending; id by default")] = "id",
    format: Format = "json",
) -> Response:
    """Documents; with format=csv|xlsx every matching document, as a download (limit and cursor unused)."""
    regions_ = asked_regions(region, include_subregions, reads.region_stored(session=session, table=models.Document))
    where = reads.DocumentFilter(status=status, regions=regions_, year=year, doc_type=doc_type, admin_level=admin_level)
    total = reads.count_documents(session=session, where=where)
    if format != "json":
        docs = reads.page_documents(session=session, limit=max(total, 1), where=where, sort=sort)
        rows = [row(d, exports.DOCUMENT_COLUMNS) for d in docs]
        name = "-".join(str(p) for p in ("documents", region and region.strip(), year) if p)
        return exports.download(rows, exports.DOCUMENT_COLUMNS, fmt=format, name=name)
    after, offset = position(cursor, sort)
    rows = reads.page_documents(session=session, limit=limit, after=after, offset=offset, where=where, sort=sort)
    return PlainJSON(sorted_page(rows, limit, names(Document), "id", sort=sort, offset=offset, total=total))


@router.get("/{document_id}", response_model=DocumentDetail)
def get_document(document_id: str, session: SessionDep) -> Response:
    return PlainJSON(_detail(session, _document(session, document_id)))


def _detail(session: Session, doc: models.Document) -> dict:
    timeline = [row(e, names(Event)) for e in reads.timeline_of(session=session, document_id=doc.id)]
    corrections = [row(c, names(Correction)) for c in writes.corrections_of(session=session, document_id=doc.id)]
    return {
        **row(doc, names(Document)),
        "keywords": doc.keywords or [],
        "timeline": timeline,
        "corrections": corrections,
    }


# Whoever holds the one write token: the settings name no users, so "api" is all that is known.
WHO = "api"


@router.patch("/{document_id}", response_model=DocumentDetail, dependencies=[Writer])
def correct_document(document_id: str, body: DocumentCorrection, session: SessionDep, gateway: GatewayDep) -> Response:
    """Set a document's region or years by hand. The correction is recorded apart (who, when)
    and laid over every later extraction; the document's facts of its old region (or of none)
    take the new one."""
    doc_id = _document(session, document_id).id
    changes = body.model_dump(include=body.model_fields_set)
    if changes.get("region") is not None:
        changes["region"] = division(changes["region"])
    with gateway.writer.begin() as writer:
        doc = writes.lock_document(session=writer, document_id=doc_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {document_id}")
        if changes:
            writes.correct(session=writer, doc=doc, changes=changes, by=WHO)
        writer.flush()
        return PlainJSON(_detail(writer, doc))


def division(name: str) -> str:
    """A region as written by a person -> the full official name the divisions table has."""
    resolved = regions.one_division(name)
    if resolved is None:
        raise ApiError(
            422,
            "unknown_region",
            f"region {name.strip()!r} is not one division of the national table: give its name, "
            "with its city where the name is shared (宁波, 保定市容城县, 北京市朝阳区, 浙江省, 全国)",
        )
    return resolved.name


@router.delete("/{document_id}", response_model=Deleted, dependencies=[Writer])
def delete_document(document_id: str, session: SessionDep, gateway: GatewayDep) -> dict:
    """Remove a document, its facts, sections, tasks, paragraphs, timeline and corrections,
    and its file from the bucket (ingest does not take it again unless it is dropped again)."""
    doc = _document(session, document_id)
    doc_id, key = doc.id, doc.bucket_key
    with gateway.writer.begin() as writer:
        writes.delete_document(session=writer, document_id=doc_id)
    file = "none"
    if key is not None:
        # after the commit: a file left behind is a smaller harm than rows pointing at no file;
        # TransientError (the bucket away) answers 503 and a second DELETE finishes the job
        try:
            gateway.bucket.delete(key)
            file = "deleted"
        except FileNotFoundError:
            file = "none"
    return {"id": doc_id, "deleted": True, "file": file}


@router.get("/{document_id}/file", response_class=Response)
def get_file(document_id: str, session: SessionDep, gateway: GatewayDep) -> Response:
    """The original file as it was dropped or uploaded, under its own name."""
    doc = _document(session, document_id)
    if doc.bucket_key is None:
        raise ApiError(404, "no_file", f"document {document_id} has no file in the bucket")
    try:
        data = gateway.bucket.read(doc.bucket_key)
    except FileNotFoundError:
        raise ApiError(404, "no_file", f"the file of document {document_id} is no longer in the bucket") from None
    data = data if isinstance(data, bytes) else data.read()
    # always an attachment and never sniffed: an uploaded HTML page must not run as the gateway's own
    return Response(
        data,
        media_type=doc.media_type or "application/octet-stream",
        headers={**attachment(doc.source_name or doc.id), "X-Content-Type-Options": "nosniff"},
    )


@router.get("/{document_id}/text", response_class=PlainTextResponse)
def get_text(document_id: str, session: SessionDep) -> PlainTextResponse:
    doc = _document(session, document_id)
    if doc.text is None:
        raise ApiError(409, "not_ready", f"document {document_id} is {doc.status}; it has no text yet")
    return PlainTextResponse(doc.text, media_type="text/plain; charset=utf-8")


@router.get("/{document_id}/sections", response_model=CountedPage[Section])
def get_sections(document_id: str, session: SessionDep) -> Response:
    doc = _document(session, document_id)
    rows = reads.sections_of(session=session, document_id=doc.id)
    return PlainJSON({"items": [row(s, names(Section)) for s in rows], "next_cursor": None, "total": len(rows)})


def _document(session: Session, document_id: str) -> models.Document:
    """A document by its id, or by a prefix of it (at least 6 characters) that only it has."""
    doc = session.get(models.Document, document_id)
    if doc is None and MIN_PREFIX <= len(document_id) < 64:
        found = reads.documents_with_prefix(session=session, prefix=document_id.lower(), limit=2)
        if len(found) > 1:
            raise ApiError(409, "ambiguous_id", f"several documents have ids starting {document_id}: give more of it")
        doc = found[0] if found else None
    if doc is None:
        raise ApiError(404, "not_found", f"no document {document_id}")
    return doc


@router.post("/{document_id}/reprocess", status_code=202, response_model=Reprocessing, dependencies=[Writer])
def reprocess(document_id: str, session: SessionDep, gateway: GatewayDep) -> dict:
    """Run a document through extraction again.

    It publishes a fresh document.received under a new message id: the store's inbox
    remembers every id it applied, so the original id would be swallowed as a duplicate.
    Everything the extract service derives from the request (processing/extracted/failed
    ids) follows the new id, so the new result is stored even when the old one was too."""
    doc = _document(session, document_id)
    if doc.bucket_key is None:
        raise ApiError(409, "no_file", f"document {document_id} has no file in the bucket; upload it again")
    msg = DocumentReceived(
        document_id=doc.id,
        key=doc.bucket_key,
        source_name=doc.source_name,
        size_bytes=doc.size_bytes or 0,
        received_at=datetime.now(UTC),
    )
    request = uuid.uuid4().hex
    # TransientError (broker away) becomes 503 with Retry-After through the gateway's handlers
    gateway.publisher.publish(msg, message_id=reprocess_message_id(msg, request))
    return {"id": doc.id, "status": "queued", "previous_status": doc.status, "request_id": request}


def reprocess_message_id(msg: DocumentReceived, request: str) -> str:
    """Unlike ingest's id, one per request: the store applies each reprocess."""
    return operation_id("received", msg.document_id, msg.key, "reprocess", request)
