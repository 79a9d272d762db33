"""The extract service's own knobs on top of the shared settings (same ZHIBIAO_ prefix)."""

from __future__ import annotations

from zhibiao.config import Settings
from zhibiao.readers import Limits
from zhibiao.sandbox import SandboxLimits


class ExtractSettings(Settings):
    # Pixels of one image (a file, an image inside a PDF page, or a page rendered for OCR).
    max_image_pixels: int = 50_000_000
    # Address space of one parsing process; OCR needs about 2 GiB of it.
    extract_memory_bytes: int = 3 << 30
    # OCR runs for tens of seconds a page and takes most of a core: one document at a time
    # per worker, so a second one never waits behind it unacked while other workers idle.
    extract_prefetch: int = 1

    def sandbox_limits(self) -> SandboxLimits:
        return SandboxLimits(memory_bytes=self.extract_memory_bytes, timeout_seconds=self.extract_timeout_seconds,
                             reader=Limits(max_pages=self.max_pages, max_image_pixels=self.max_image_pixels))
