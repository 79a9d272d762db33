"""What every service's main() does: settings, logging, stop on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
import threading

from zhibiao import logs
from zhibiao.config import Settings


def start(service: str) -> tuple[Settings, threading.Event]:
    settings = Settings()
    logs.configure(service, settings.log_level)
    stop = threading.Event()

    def _stop(signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return settings, stop
