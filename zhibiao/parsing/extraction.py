"""Bytes of one file -> everything derived from it. Shared by the extract service and the CLI."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from zhibiao.domain.model import Extraction
from zhibiao.domain.pipeline import analyse_pages
from zhibiao.readers import DEFAULT_LIMITS, Limits, read_document

# Bumped whenever extraction output may change: the store keys results by it.
EXTRACTOR_VERSION = "2026.12.02-1"


@dataclass
class DocumentExtraction:
    extraction: Extraction
    media_type: str
    pages: int
    ocr_pages: int

    def fields(self) -> dict[str, Any]:
        """Plain JSON-able fields of a document.extracted body (all but its ids): what the
        parsing sandbox hands back to the worker, so nothing richer than JSON crosses over."""
        return {
            "media_type": self.media_type,
            "pages": self.pages,
            "ocr_pages": self.ocr_pages,
            **asdict(self.extraction),
        }


def extract_bytes(
    data: bytes, name: str = "", *, limits: Limits = DEFAULT_LIMITS, region_hint: str | None = None
) -> DocumentExtraction:
    """`region_hint`: the bucket folders the file was dropped in (`reports/保定市容城县`),
    the region of a text that names none of its own."""
    read = read_document(data, name, limits=limits)
    return DocumentExtraction(
        extraction=analyse_pages(read.pages, source_name=name, region_hint=region_hint),
        media_type=read.media_type,
        pages=len(read.pages),
        ocr_pages=read.ocr_pages,
    )
