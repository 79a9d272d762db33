"""Prometheus metrics of every service. The gateway serves them at /metrics; the workers
on their own port (ZHIBIAO_METRICS_PORT, off when 0)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram, start_http_server

MESSAGES = Counter("zhibiao_messages_total", "Messages settled by a consumer", ["queue", "outcome"])
HANDLE_SECONDS = Histogram(
    "zhibiao_handle_seconds",
    "Time a handler spent on one message",
    ["queue"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
LAG_SECONDS = Histogram(
    "zhibiao_message_lag_seconds",
    "From a message's publication to the start of its handling",
    ["queue"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)
TRANSIENT_RETRIES = Counter("zhibiao_transient_retries_total", "Handler attempts that met a transient error", ["queue"])
DOCUMENTS = Counter("zhibiao_documents_total", "Documents extracted or failed by extract workers", ["outcome"])
OCR_PAGES = Counter("zhibiao_ocr_pages_total", "Pages read by OCR")
FILES_REGISTERED = Counter("zhibiao_files_registered_total", "Bucket objects published by ingest")


def serve(port: int) -> None:
    if port:
        start_http_server(port)
