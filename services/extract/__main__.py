"""python -m services.extract: read each received document and publish what it holds."""

from __future__ import annotations

import functools

from services.extract.handler import handle_document_received
from services.extract.settings import ExtractSettings
from services.runtime import start
from zhibiao.bucket import open_bucket
from zhibiao.bus import Consumer, Publisher
from zhibiao.sandbox import Sandbox


def main() -> None:
    _, stop = start("extract")
    settings = ExtractSettings()
    bucket = open_bucket(settings.bucket_url)
    publisher = Publisher(settings)
    sandbox = Sandbox(settings.sandbox_limits())
    sandbox.start()
    handler = functools.partial(
        handle_document_received,
        bucket=bucket,
        publish=lambda body, message_id: publisher.publish(body, message_id=message_id),
        max_file_bytes=settings.max_file_bytes,
        extract=sandbox.extract,
    )
    Consumer(settings, "extract", handler, prefetch=settings.extract_prefetch, stop=stop).run()


if __name__ == "__main__":
    main()
