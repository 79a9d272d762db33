"""Bytes -> pages of text. Each reader declares what it handles; `read_document` picks one
by the bytes themselves (magic numbers, then content), never by the file name. Adding a
format is adding a module and one entry in READERS; order matters only where formats
nest (DOCX is a ZIP; HTML is text), so the more specific reader comes first."""

from __future__ import annotations

from zhibiao.plumbing.errors import UnsupportedFormat
from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages, Reader
from zhibiao.readers.docx import DocxReader
from zhibiao.readers.html import HtmlReader
from zhibiao.readers.image import ImageReader
from zhibiao.readers.pdf import PdfReader
from zhibiao.readers.plain import PlainTextReader

READERS: list[Reader] = [PdfReader(), DocxReader(), ImageReader(), HtmlReader(), PlainTextReader()]


def reader_for(data: bytes, name: str = "") -> Reader:
    if not data:
        raise UnsupportedFormat("the file is empty (0 bytes)", zh="文件为空（0 字节）：请上传有内容的文件")
    for reader in READERS:
        if reader.accepts(data, name):
            return reader
    raise UnsupportedFormat(
        f"unsupported file format for {name or 'this file'}: not PDF, Word (DOCX), HTML, text, PNG, JPEG or TIFF"
    )


def read_document(data: bytes, name: str = "", *, limits: Limits = DEFAULT_LIMITS) -> Pages:
    return reader_for(data, name).read(data, name, limits)


__all__ = ["DEFAULT_LIMITS", "READERS", "Limits", "Pages", "Reader", "read_document", "reader_for"]
