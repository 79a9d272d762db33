"""The gateway: REST queries over the database, uploads into the bucket, a small page."""


import hashlib
import json
import time
from typing import Annotated, Any, Literal

import pika
from fastapi import Depends, FastAPI, Form, Query, Request, UploadFile
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.gateway import analytics, errors, exports, web
from services.gateway.auth import RequireWriter, writer_refusal
from services.gateway.errors import ApiError
from services.gateway.limits import BodyLimit, RefuseNul
from services.gateway.paging import decode_cursor, encode_cursor
from services.gateway.reprocess import reprocess_router
from services.gateway.responses import PlainJSON
from zhibiao.bucket import open_bucket
from zhibiao.bus import connection_parameters
from zhibiao.config import Settings
from zhibiao.db import models, reads
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.domain import figures, regions
from zhibiao.readers import READERS

UPLOADS = Counter("zhibiao_gateway_uploads_total", "Files accepted through POST /v1/documents")

DOCUMENT_FIELDS = ("id", "source_name", "media_type", "size_bytes", "status", "error", "doc_type", "title",
                   "region", "admin_level", "delivered_on", "review_year", "plan_year", "speaker",
                   "speaker_title", "meeting", "pages", "ocr_pages", "received_at", "processed_at",
                   "extractor_version")
FACT_FIELDS = ("id", "document_id", "indicator", "indicator_label", "region", "period", "kind", "measure",
               "value", "value_max", "unit", "qualifier", "estimated", "strive", "quote", "start", "end",
               "section", "figure_start", "figure_end")
Limit = Annotated[int, Query(ge=1, le=1000)]
Year = Annotated[int, Query(ge=1949, le=2200)]


def _row(obj: Any, fields: tuple[str, ...]) -> dict:
    out = {}
    for f in fields:
        v = getattr(obj, f)
        out[f] = v.isoformat() if hasattr(v, "isoformat") else v
    return out


def _page(rows, limit: int, fields: tuple[str, ...], key: str) -> dict:
    items = [_row(r, fields) for r in rows]
    nxt = encode_cursor(items[-1][key]) if len(items) == limit else None
    return {"items": items, "next_cursor": nxt}


def _region_folder(region: str | None) -> str:
    """The bucket folder an upload's `region=` puts it in: the region's full official name
    (容城县 -> 保定市容城县), so that extract reads it like the folder of any dropped file."""
    if region is None or not region.strip():
        return ""
    resolved = regions.from_folders(region.strip())
    if resolved is None:
        raise ApiError(422, "unknown_region",
                       f"region {region.strip()!r} is not one division of the national table: give its full name, "
                       "with its city where the name is shared (保定市容城县, 北京市朝阳区, 浙江省, 全国)")
    return resolved.name


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="zhibiao", version="1", description="Figures from Chinese government work reports")
    errors.install(app)
    app.add_middleware(RefuseNul)
    app.add_middleware(BodyLimit, max_bytes=settings.max_file_bytes, paths=("/v1/documents",))
    # added last, so outermost: an anonymous write is refused before any layer reads its body
    app.add_middleware(RequireWriter, settings=settings)
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    bucket = open_bucket(settings.bucket_url)
    broker_ok = {"at": 0.0, "ok": False}

    def db():
        with sessions() as session:
            yield session

    DB = Annotated[Session, Depends(db)]

    def require_writer(request: Request) -> None:
        # RequireWriter has already refused anonymous writes; this keeps a route safe if it is
        # ever mounted without that layer. Starlette decodes headers as latin-1.
        header = request.headers.get("authorization")
        refusal = writer_refusal(settings, None if header is None else header.encode("latin-1"))
        if refusal is not None:
            raise refusal

    @app.get("/healthz", tags=["ops"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    def readyz(session: DB) -> Response:
        problems = []
        try:
            session.execute(text("SELECT 1 FROM documents LIMIT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
            problems.append(f"database: {type(exc).__name__}")
        if time.monotonic() - broker_ok["at"] > 5:
            try:
                pika.BlockingConnection(connection_parameters(settings)).close()
                broker_ok["ok"] = True
            except Exception as exc:  # noqa: BLE001 - idem
                broker_ok["ok"] = False
                problems.append(f"broker: {type(exc).__name__}")
            broker_ok["at"] = time.monotonic()
        elif not broker_ok["ok"]:
            problems.append("broker: unreachable")
        if problems:
            return errors.error_response(503, "not_ready", "; ".join(problems))
        return Response(json.dumps({"status": "ready"}), media_type="application/json")

    @app.get("/metrics", tags=["ops"])
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    app.include_router(reprocess_router(settings, sessions, require_writer))

    @app.post("/v1/documents", status_code=202, tags=["documents"], dependencies=[Depends(require_writer)])
    def upload(file: UploadFile, session: DB, region: Annotated[str | None, Form()] = None) -> dict:
        # A plain def: FastAPI runs it in its thread pool, so the database lookup and the bucket
        # write (S3 or a slow disk) never stall the event loop, and waiting for a pooled
        # connection under a burst of uploads happens in a thread, not on the loop.
        folder = _region_folder(region)
        data = file.file.read()
        if not data:
            raise ApiError(400, "empty_file", "the uploaded file is empty")
        name = (file.filename or "upload").replace("\x00", "") or "upload"  # PostgreSQL text refuses NUL
        if not any(reader.accepts(data, name) for reader in READERS):
            raise ApiError(415, "unsupported_media_type",
                           "the file is not a format zhibiao reads (PDF, image, HTML, DOCX or text)")
        sha = hashlib.sha256(data).hexdigest()
        existing = session.get(models.Document, sha)
        if existing is None:
            bucket.put(data, name, folder)  # the folder is the hint extract reads, as for a drop
            UPLOADS.inc()
        return {"id": sha, "status": existing.status if existing else "received"}

    @app.get("/v1/documents", tags=["documents"])
    def list_documents(session: DB, limit: Limit = 100, cursor: str | None = None, status: str | None = None,
                       region: str | None = None, year: Year | None = None, doc_type: str | None = None):
        rows = reads.page_documents(session=session, limit=limit, after=decode_cursor(cursor), status=status,
                                    region=region, year=year, doc_type=doc_type)
        return PlainJSON(_page(rows, limit, DOCUMENT_FIELDS, "id"))

    def _document(session: Session, document_id: str) -> models.Document:
        doc = session.get(models.Document, document_id)
        if doc is None:
            raise ApiError(404, "not_found", f"no document {document_id}")
        return doc

    @app.get("/v1/documents/{document_id}", tags=["documents"])
    def get_document(document_id: str, session: DB) -> dict:
        doc = _document(session, document_id)
        timeline = [_row(e, ("event", "at", "detail")) for e in reads.timeline_of(session=session, document_id=doc.id)]
        return {**_row(doc, DOCUMENT_FIELDS), "keywords": doc.keywords or [], "timeline": timeline}

    @app.get("/v1/documents/{document_id}/text", response_class=PlainTextResponse, tags=["documents"])
    def get_text(document_id: str, session: DB) -> PlainTextResponse:
        doc = _document(session, document_id)
        if doc.text is None:
            raise ApiError(409, "not_ready", f"document {document_id} is {doc.status}; it has no text yet")
        return PlainTextResponse(doc.text, media_type="text/plain; charset=utf-8")

    @app.get("/v1/documents/{document_id}/sections", tags=["documents"])
    def get_sections(document_id: str, session: DB) -> dict:
        _document(session, document_id)
        rows = reads.sections_of(session=session, document_id=document_id)
        return {"items": [_row(s, ("number", "heading", "level", "start", "end", "part")) for s in rows],
                "next_cursor": None}

    @app.get("/v1/facts", tags=["facts"])
    def list_facts(session: DB, limit: Limit = 100, cursor: str | None = None, document_id: str | None = None,
                   indicator: str | None = None, region: str | None = None, period: str | None = None,
                   kind: str | None = None, measure: str | None = None,
                   format: Literal["json", "csv", "xlsx"] = "json"):
        """Facts; with format=csv|xlsx every matching fact, as a download (limit and cursor unused)."""
        filters = {"document_id": document_id, "indicator": indicator, "region": region, "period": period,
                   "kind": kind, "measure": measure}
        if format != "json":
            rows = [_row(f, FACT_FIELDS) for f in reads.all_facts(session=session, **filters)]
            return exports.download(rows, FACT_FIELDS, fmt=format, name="facts")
        rows = reads.page_facts(session=session, limit=limit, after=decode_cursor(cursor), **filters)
        page = _page(rows, limit, FACT_FIELDS, "id")
        for item in page["items"]:
            if item["figure_start"] is not None:
                continue
            at = figures.locate(item["quote"], value=item["value"], value_max=item["value_max"], unit=item["unit"],
                                label=item["indicator_label"])
            # stored before the extractor recorded it: find where the number is written
            item["figure_start"], item["figure_end"] = (
                (item["start"] + at[0], item["start"] + at[1]) if at else (None, None))
        return PlainJSON(page)

    @app.get("/v1/indicators", tags=["facts"])
    def indicator_catalogue(session: DB) -> dict:
        from zhibiao.domain.indicators import list_indicators

        counts = reads.fact_counts_by_indicator(session=session)
        items = [{**entry, "facts": counts.get(entry["code"], 0)} for entry in list_indicators()]
        return {"items": items, "next_cursor": None}

    app.include_router(analytics.build_router(db))
    app.include_router(web.router)
    return app
