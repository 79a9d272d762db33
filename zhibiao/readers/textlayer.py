"""Whether a PDF page's text layer can be trusted, or the page must be read by OCR.

Run on every page of every PDF, so it counts with regular expressions rather than
looking at characters one by one.
"""

from __future__ import annotations

import re

MIN_CHARS = 10
MAX_GARBAGE = 0.2
# A page mostly covered by a picture with only a few characters of text is a scan with a
# stamped header or page number, not a born-digital page.
SCAN_COVERAGE = 0.5
SCAN_MAX_CHARS = 40

_SPACE = re.compile(r"\s")
# What a Chinese report's text layer shows when its fonts lack a Unicode map: replacement
# and private-use characters, control codes, surrogates, and accented Latin letters standing
# in for CJK glyph ids.
_GARBAGE = re.compile(
    "[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]"
)


def meaningful_chars(text: str) -> int:
    """Non-space characters that are not garbage; -1 when garbage dominates."""
    chars = len(text) - len(_SPACE.findall(text))
    garbage = len(_GARBAGE.findall(text))
    if chars and garbage > MAX_GARBAGE * chars:
        return -1
    return chars - garbage


def may_be_scan(text: str) -> bool:
    """Worth looking at the page's pictures: too little text to rule out a scan."""
    return meaningful_chars(text) < SCAN_MAX_CHARS


def needs_ocr(text: str, image_coverage: float = 0.0) -> bool:
    meaningful = meaningful_chars(text)
    if meaningful < MIN_CHARS:
        return True
    return image_coverage >= SCAN_COVERAGE and meaningful < SCAN_MAX_CHARS
