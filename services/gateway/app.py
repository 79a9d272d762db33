"""The gateway: REST queries over the database, uploads into the bucket, a small page."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from services.gateway import docs, errors
from services.gateway.auth import RequireWriter
from services.gateway.limits import BodyLimit, RefuseNul
from services.gateway.params import known_parameters
from services.gateway.routes import analytics, documents, facts, ops, page
from services.gateway.schemas import ERRORS
from services.gateway.state import BrokerCheck, Gateway
from zhibiao.buckets import open_bucket
from zhibiao.db.engine import make_engine, make_sessionmaker
from zhibiao.domain import search_text
from zhibiao.plumbing.bus import Publisher
from zhibiao.plumbing.config import Settings


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # jieba reads its dictionary in about 2 s: at start, not in the first search
    await asyncio.to_thread(search_text.warm_up)
    yield


def create_app(settings: Settings) -> FastAPI:
    # known_parameters: an unknown query parameter answers 422 on every /v1 route (CONTRACT)
    app = FastAPI(
        title="zhibiao",
        version="1",
        description="Figures from Chinese government work reports",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(known_parameters)],
    )
    errors.install(app)
    docs.install(app)  # /docs from local files, not a CDN
    app.add_middleware(RefuseNul)
    app.add_middleware(BodyLimit, max_bytes=settings.max_file_bytes, paths=("/v1/documents",))
    # added last, so outermost: an anonymous write is refused before any layer reads its body
    app.add_middleware(RequireWriter, settings=settings)
    app.state.gateway = Gateway(
        settings=settings,
        sessions=make_sessionmaker(make_engine(settings.database_url)),
        bucket=open_bucket(settings.bucket_url),
        publisher=Publisher(settings),
        broker=BrokerCheck(settings),
        writer=make_sessionmaker(make_engine(settings.database_url, writer=True)),
    )
    for routes in (ops, documents, facts, analytics, page):
        app.include_router(routes.router, responses=ERRORS)
    return app
