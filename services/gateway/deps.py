"""What routes ask for: the gateway's state, a database session, a writer, common parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from services.gateway.auth import writer_refusal
from services.gateway.state import Gateway


# FastAPI runs a plain-def dependency in a thread of its pool: a hand-over to a thread and
# back for each one. Those that do no I/O are async, so a read costs one hop for its route
# and one to close its session, not five.
async def _gateway(request: Request) -> Gateway:
    return request.app.state.gateway


GatewayDep = Annotated[Gateway, Depends(_gateway)]


async def _session(gateway: GatewayDep) -> AsyncIterator[Session]:
    # a new session connects only at its first query, which runs in the route's thread;
    # closing it hands its connection back (a ROLLBACK on PostgreSQL): I/O, so in a thread
    session = gateway.sessions()
    try:
        yield session
    finally:
        await run_in_threadpool(session.close)


SessionDep = Annotated[Session, Depends(_session)]


def _require_writer(request: Request, gateway: GatewayDep) -> None:
    # RequireWriter has already refused anonymous writes; this keeps a route safe if it is
    # ever mounted without that layer. Starlette decodes headers as latin-1.
    header = request.headers.get("authorization")
    refusal = writer_refusal(gateway.settings, None if header is None else header.encode("latin-1"))
    if refusal is not None:
        raise refusal


Writer = Depends(_require_writer)  # dependencies=[Writer] on every route that writes

Limit = Annotated[int, Query(ge=1, le=1000)]
Year = Annotated[int, Query(ge=1949, le=2200)]
Format = Literal["json", "csv", "xlsx"]  # json, or every matching row as a download
