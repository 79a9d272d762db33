"""python -m services.gateway: serve the REST API and the page."""

from __future__ import annotations

import uvicorn

from services.gateway.app import create_app
from services.gateway.http11 import GatewayH11Protocol
from zhibiao import logs
from zhibiao.config import Settings


def main() -> None:
    settings = Settings()
    logs.configure("gateway", settings.log_level, settings.log_format)
    uvicorn.run(create_app(settings), host=settings.http_host, port=settings.http_port,
                log_level=settings.log_level.lower(), log_config=None, access_log=False,
                http=GatewayH11Protocol)  # the contract's error shape for a URL it cannot parse


if __name__ == "__main__":
    main()
