"""Logging set-up shared by the services: one line per record, with the service name and
the document being worked on, so that one document's path can be grepped across services."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator

_document: contextvars.ContextVar[str | None] = contextvars.ContextVar("document_id", default=None)


@contextlib.contextmanager
def document_context(document_id: str | None) -> Iterator[None]:
    """Every record logged inside carries this document id."""
    token = _document.set(document_id)
    try:
        yield
    finally:
        _document.reset(token)


class _DocumentFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.document_id = _document.get() or "-"
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": self.formatTime(record),
            "service": record.service,
            "level": record.levelname,
            "logger": record.name,
            "document_id": None if record.document_id == "-" else record.document_id,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure(service: str, level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_DocumentFilter(service))
    handler.setFormatter(
        _JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(service)s %(levelname)s doc=%(document_id).12s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pika").setLevel(logging.WARNING)
