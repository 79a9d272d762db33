"""What every worker's main() does: settings, logging, metrics, stop on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
import threading

from zhibiao.plumbing import logs, metrics
from zhibiao.plumbing.config import Settings


def start(service: str) -> tuple[Settings, threading.Event]:
    settings = Settings()
    logs.configure(service, settings.log_level, settings.log_format)
    metrics.serve(settings.metrics_port)
    stop = threading.Event()

    def _stop(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return settings, stop
