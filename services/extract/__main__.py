"""python -m services.extract: read each received document and publish what it holds."""

from __future__ import annotations

import functools
import threading

from services.extract.handler import handle_document_received
from services.runtime import start
from zhibiao.bucket import open_bucket
from zhibiao.bus import Consumer, Publisher


def main() -> None:
    settings, stop = start("extract")
    bucket = open_bucket(settings.bucket_url)
    publisher = Publisher(settings)
    handler = functools.partial(
        handle_document_received,
        bucket=bucket,
        publish=lambda body, message_id: publisher.publish(body, message_id=message_id),
        max_file_bytes=settings.max_file_bytes,
    )
    Consumer(settings, "extract", handler, stop=stop).run()


if __name__ == "__main__":
    main()
