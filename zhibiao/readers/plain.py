"""Plain text and Markdown in any Chinese encoding."""

from __future__ import annotations

from zhibiao.errors import UnsupportedFormat
from zhibiao.readers.base import Pages

_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnsupportedFormat("the text is in no encoding we read (tried UTF-8, GB18030, UTF-16)")


def looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


class PlainTextReader:
    media_types = ("text/plain", "text/markdown")

    def accepts(self, data: bytes, name: str) -> bool:
        return looks_like_text(data)

    def read(self, data: bytes, name: str) -> Pages:
        media = "text/markdown" if name.lower().endswith(".md") else "text/plain"
        return Pages(pages=[decode_text(data)], media_type=media)
