"""Bytes -> pages of text. Each reader declares what it handles; `read_document` picks one
by the bytes themselves (magic numbers), using the file name only as a hint."""

from __future__ import annotations

from zhibiao.readers.base import Pages, Reader
from zhibiao.readers.pdf import PdfReader
from zhibiao.readers.plain import PlainTextReader
from zhibiao.errors import UnsupportedFormat

READERS: list[Reader] = [PdfReader(), PlainTextReader()]


def read_document(data: bytes, name: str = "") -> Pages:
    if not data:
        raise UnsupportedFormat("the file is empty (0 bytes)")
    for reader in READERS:
        if reader.accepts(data, name):
            return reader.read(data, name)
    raise UnsupportedFormat(f"unsupported file format for {name or 'this file'}: not PDF, text, HTML or DOCX")


__all__ = ["Pages", "Reader", "read_document", "READERS"]
