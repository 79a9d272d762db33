"""python -m services.ingest: watch the bucket (folder events, S3 notifications, listing)
and register each new file."""

from __future__ import annotations

import logging
import queue
import threading
import time

from watchdog.events import FileClosedEvent, FileMovedEvent, FileSystemEventHandler
from watchdog.observers import Observer

from services.ingest.ingestor import Ingestor
from services.runtime import start
from zhibiao.buckets import open_bucket
from zhibiao.buckets.notifications import AmqpNotifications, SqsNotifications, open_notifications
from zhibiao.plumbing.bus import Publisher
from zhibiao.plumbing.errors import TransientError

log = logging.getLogger("ingest")


class _Events(FileSystemEventHandler):
    """Only complete files: closed after writing, or moved in whole."""

    def __init__(self, paths: queue.Queue) -> None:
        self._paths = paths

    def on_closed(self, event: FileClosedEvent) -> None:
        if not event.is_directory:
            self._paths.put(event.src_path)

    def on_moved(self, event: FileMovedEvent) -> None:
        if not event.is_directory and event.dest_path:
            self._paths.put(event.dest_path)


def _observer() -> Observer:
    """On Linux, a file moved in from outside the folder is reported as created (like a file
    just opened for writing) unless full events are asked for; with them it is a move."""
    try:
        return Observer(generate_full_events=True)
    except TypeError:  # observers of other platforms take no such option
        return Observer()


def main() -> None:
    settings, stop = start("ingest")
    bucket = open_bucket(settings.bucket_url)
    publisher = Publisher(settings)
    root = bucket.watch_root()
    # A file in a folder may still be growing, whichever way it was noticed; an S3 object is
    # whole once it is listed.
    ingestor = Ingestor(
        bucket,
        lambda body, message_id: publisher.publish(body, message_id=message_id),
        settle_seconds=settings.settle_seconds if root is not None else 0.0,
    )
    paths: queue.Queue = queue.Queue()
    observer = _observer()
    # A folder sends file events; an S3 bucket may send notifications to a queue; listing
    # finds whatever neither announced.
    if root is not None:
        observer.schedule(_Events(paths), str(root), recursive=True)
        observer.start()
    notifications = open_notifications(settings.bucket_events_url)
    if notifications is not None and root is not None:
        raise SystemExit("ZHIBIAO_BUCKET_EVENTS_URL is for s3:// buckets; a folder sends file events itself")
    if notifications is not None:
        threading.Thread(
            target=_follow, args=(notifications, bucket, paths, stop), daemon=True, name="bucket-notifications"
        ).start()
    log.info(
        "watching %s%s (rescan every %.1fs)",
        root or bucket,
        f" with notifications from {notifications.queue}" if notifications else "",
        settings.rescan_seconds,
    )
    try:
        # Files dropped while we were down: the first rescan takes them.
        _safely(ingestor.rescan)
        last_rescan = time.monotonic()
        while not stop.is_set():
            publisher.keepalive()
            wait = min(settings.rescan_seconds, settings.heartbeat_seconds / 4)
            due = ingestor.next_look()
            try:
                path = paths.get(timeout=wait if due is None else min(wait, max(due, 0.05)))
            except queue.Empty:
                path = None
            if path is not None:
                _safely(_offer, bucket, ingestor, path)
            _safely(ingestor.recheck)
            if time.monotonic() - last_rescan >= settings.rescan_seconds:
                _safely(ingestor.rescan)
                last_rescan = time.monotonic()
    finally:
        if observer.is_alive():
            observer.stop()
        publisher.close()


def _offer(bucket, ingestor: Ingestor, path: str) -> None:
    try:
        info = bucket.stat(path)
    except ValueError:  # a key the bucket cannot address: the listing fails it with a reason
        return
    if info is not None:
        ingestor.offer(info)


def _follow(
    notifications: SqsNotifications | AmqpNotifications, bucket, paths: queue.Queue, stop: threading.Event
) -> None:
    """Hand each announced key to the main loop. A notice is forgotten once handed over: should
    the take then fail, the next listing still finds the object."""
    backoff = 1.0
    while not stop.is_set():
        try:
            notices = notifications.receive(bucket.name, wait_seconds=10)
            for notice in notices:
                for full_key in notice.keys:
                    key = bucket.key_of(full_key)  # None: the ledger, hidden files, other prefixes
                    if key is not None:
                        paths.put(key)
            notifications.forget(notices)
            backoff = 1.0
        except TransientError as exc:
            log.warning("%s; listing alone until it answers (retry in %.0fs)", exc, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, 60.0)


def _safely(fn, *args) -> None:
    try:
        fn(*args)
    except TransientError as exc:
        # Not marked as taken: the next rescan tries again.
        log.warning("broker or bucket unavailable, will retry on the next rescan: %s", exc)
    except Exception:  # a bug of ours must not stop ingest: log it, carry on
        log.exception("unexpected error; carrying on with the other files")


if __name__ == "__main__":
    main()
