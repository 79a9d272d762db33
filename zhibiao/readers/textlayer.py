"""Whether a PDF page's text layer can be trusted, or the page must be read by OCR."""

from __future__ import annotations

import unicodedata

MIN_CHARS = 10
MAX_GARBAGE = 0.2
# A page mostly covered by a picture with only a few characters of text is a scan with a
# stamped header or page number, not a born-digital page.
SCAN_COVERAGE = 0.5
SCAN_MAX_CHARS = 40


def is_garbage(ch: str) -> bool:
    """Characters a Chinese report's text layer shows when its fonts lack a Unicode map."""
    if ch == "\ufffd":
        return True
    category = unicodedata.category(ch)
    if category in ("Co", "Cn", "Cs", "Cc"):
        return True
    # Accented Latin letters stand in for CJK glyph ids in broken CID fonts.
    return category.startswith("L") and 0xC0 <= ord(ch) <= 0x24F


def needs_ocr(text: str, image_coverage: float = 0.0) -> bool:
    chars = [ch for ch in text if not ch.isspace()]
    if len(chars) < MIN_CHARS:
        return True
    garbage = sum(1 for ch in chars if is_garbage(ch))
    if garbage > MAX_GARBAGE * len(chars):
        return True
    meaningful = len(chars) - garbage
    return image_coverage >= SCAN_COVERAGE and meaningful < SCAN_MAX_CHARS
