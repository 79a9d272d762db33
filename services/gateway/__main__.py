"""python -m services.gateway: serve the REST API and the page, on ZHIBIAO_HTTP_WORKERS processes."""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from services.gateway.app import create_app
from services.gateway.http11 import GatewayH11Protocol
from zhibiao.plumbing import logs
from zhibiao.plumbing.config import Settings


def workers(settings: Settings) -> int:
    """ZHIBIAO_HTTP_WORKERS, or one process per core: a request's work is Python, which one
    process runs on one core at a time."""
    return settings.http_workers if settings.http_workers > 0 else max(1, os.cpu_count() or 1)


def app() -> FastAPI:
    """What each worker process serves (uvicorn imports it there): settings built in the worker."""
    settings = Settings()
    logs.configure("gateway", settings.log_level, settings.log_format)
    return create_app(settings)


def main() -> None:
    settings = Settings()
    logs.configure("gateway", settings.log_level, settings.log_format)
    options = {
        "host": settings.http_host,
        "port": settings.http_port,
        "log_level": settings.log_level.lower(),
        "log_config": None,
        "access_log": False,
        "http": GatewayH11Protocol,
    }  # the contract's error shape for a URL it cannot parse
    n = workers(settings)
    if n == 1:
        uvicorn.run(create_app(settings), **options)
    else:  # the workers share the listening socket; uvicorn restarts one that dies
        uvicorn.run("services.gateway.__main__:app", factory=True, workers=n, **options)


if __name__ == "__main__":
    main()
