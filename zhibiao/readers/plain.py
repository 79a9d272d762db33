"""Plain text and Markdown in any Chinese encoding, with any line ending."""

from __future__ import annotations

import re

from zhibiao.readers.base import DEFAULT_LIMITS, Limits, Pages
from zhibiao.readers.encoding import decode_text, looks_like_text

_LITERAL_BREAK = re.compile(r"\\r\\n|\\n|\\r")


def normalise_newlines(text: str) -> str:
    """CRLF and CR become LF; a document dumped on one line with escaped breaks gets them back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    literal = len(_LITERAL_BREAK.findall(text))
    if literal >= 2 and literal > 2 * text.count("\n"):
        text = _LITERAL_BREAK.sub("\n", text).replace("\\t", "\t").replace('\\"', '"')
    return text


class PlainTextReader:
    media_types = ("text/plain", "text/markdown")

    def accepts(self, data: bytes, name: str) -> bool:
        return looks_like_text(data)

    def read(self, data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Pages:
        media = "text/markdown" if name.lower().endswith((".md", ".markdown")) else "text/plain"
        return Pages(pages=[normalise_newlines(decode_text(data))], media_type=media)
