"""Liveness, readiness and metrics, for orchestrators and Prometheus."""

from __future__ import annotations

import json

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from services.gateway import errors
from services.gateway.deps import GatewayDep, SessionDep
from services.gateway.schemas import Health

router = APIRouter(tags=["ops"])


@router.get("/healthz", response_model=Health)
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", response_model=Health, responses={503: {"description": "the database or the broker is away"}})
def readyz(session: SessionDep, gateway: GatewayDep) -> Response:
    problems = []
    try:
        session.execute(text("SELECT 1 FROM documents LIMIT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
        problems.append(f"database: {type(exc).__name__}")
    problems += gateway.broker.problems()
    if problems:
        return errors.error_response(503, "not_ready", "; ".join(problems))
    return Response(json.dumps({"status": "ready"}), media_type="application/json")


@router.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
