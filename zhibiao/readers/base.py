"""The reader protocol, what every reader returns, and the limits every reader enforces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class Pages:
    """Raw text of each page, as the format gives it; cleanup happens after reading."""

    pages: list[str]
    media_type: str
    ocr_pages: int = 0


@dataclass(frozen=True)
class Limits:
    """Bounds on what one document may cost; past them the document fails (DocumentTooLarge).

    Pixels are counted per image: an image file, an image embedded in a PDF page that has to
    be OCR'd, or the rendering of such a page.
    """

    max_pages: int = 2000
    max_image_pixels: int = 50_000_000


DEFAULT_LIMITS = Limits()


class Reader(Protocol):
    media_types: tuple[str, ...]

    def accepts(self, data: bytes, name: str) -> bool:
        """True when the bytes are of this reader's format (judged by content, not by name)."""
        ...

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages: ...
