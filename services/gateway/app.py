"""The gateway: REST queries over the database, uploads into the bucket, a small page."""

from __future__ import annotations

from fastapi import FastAPI

from services.gateway import errors
from services.gateway.auth import RequireWriter
from services.gateway.limits import BodyLimit, RefuseNul
from services.gateway.routes import analytics, documents, facts, ops, page
from services.gateway.schemas import ERRORS
from services.gateway.state import BrokerCheck, Gateway
from zhibiao.buckets import open_bucket
from zhibiao.bus import Publisher
from zhibiao.config import Settings
from zhibiao.db.engine import make_engine, make_sessionmaker


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(title="zhibiao", version="1", description="Figures from Chinese government work reports")
    errors.install(app)
    app.add_middleware(RefuseNul)
    app.add_middleware(BodyLimit, max_bytes=settings.max_file_bytes, paths=("/v1/documents",))
    # added last, so outermost: an anonymous write is refused before any layer reads its body
    app.add_middleware(RequireWriter, settings=settings)
    app.state.gateway = Gateway(settings=settings, sessions=make_sessionmaker(make_engine(settings.database_url)),
                                bucket=open_bucket(settings.bucket_url), publisher=Publisher(settings),
                                broker=BrokerCheck(settings))
    for routes in (ops, documents, facts, analytics, page):
        app.include_router(routes.router, responses=ERRORS)
    return app
