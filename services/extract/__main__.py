"""python -m services.extract: read each received document and publish what it holds."""

from __future__ import annotations

import functools
from collections.abc import Callable

from services.extract.handler import handle_document_received
from services.runtime import start
from zhibiao.buckets import open_bucket
from zhibiao.parsing.sandbox import Sandbox, SandboxLimits
from zhibiao.plumbing.bus import Consumer, Publisher
from zhibiao.plumbing.config import Settings
from zhibiao.readers import Limits


def sandbox_limits(settings: Settings) -> SandboxLimits:
    return SandboxLimits(
        memory_bytes=settings.extract_memory_bytes,
        timeout_seconds=settings.extract_timeout_seconds,
        reader=Limits(max_pages=settings.max_pages, max_image_pixels=settings.max_image_pixels),
    )


def main(hook: Callable[[bytes], None] | None = None) -> None:
    """`hook` runs in the parsing child before each file: the fault suite's variant passes
    one (a slow or crashing parser); production never does."""
    settings, stop = start("extract")
    bucket = open_bucket(settings.bucket_url)
    publisher = Publisher(settings)
    sandbox = Sandbox(sandbox_limits(settings), hook=hook)
    sandbox.start()
    handler = functools.partial(
        handle_document_received,
        bucket=bucket,
        publish=lambda body, message_id: publisher.publish(body, message_id=message_id),
        max_file_bytes=settings.max_file_bytes,
        extract=sandbox.extract,
        max_retries=settings.max_retries,
    )
    Consumer(settings, "extract", handler, prefetch=settings.extract_prefetch, stop=stop).run()


if __name__ == "__main__":
    main()
