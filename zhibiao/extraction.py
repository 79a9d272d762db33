"""Bytes of one file -> everything derived from it. Shared by the extract service and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from zhibiao.domain.model import Extraction
from zhibiao.domain.pipeline import analyse_pages
from zhibiao.readers import read_document

# Bumped whenever extraction output may change: the store keys results by it.
EXTRACTOR_VERSION = "2026.11.22-1"


@dataclass
class DocumentExtraction:
    extraction: Extraction
    media_type: str
    pages: int
    ocr_pages: int


def extract_bytes(data: bytes, name: str = "") -> DocumentExtraction:
    read = read_document(data, name)
    return DocumentExtraction(
        extraction=analyse_pages(read.pages, source_name=name),
        media_type=read.media_type,
        pages=len(read.pages),
        ocr_pages=read.ocr_pages,
    )
