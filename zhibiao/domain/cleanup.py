"""Raw text -> cleaned text (first version; the full cleanup is issue 4)."""

from __future__ import annotations

import re
import unicodedata

_SPACED_DECIMAL = re.compile(r"(?<=\d)\.\s+(?=\d)")


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACED_DECIMAL.sub(".", text)
    lines = [line.strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip() + "\n"


def clean_pages(pages: list[str]) -> str:
    return clean_text("\n".join(pages))
