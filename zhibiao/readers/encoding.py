"""Bytes of a text format -> str: the encodings Chinese government text arrives in."""

from __future__ import annotations

import re
import unicodedata

from zhibiao.plumbing.errors import UnsupportedFormat

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# GB2312 and GBK are subsets of GB18030; pages that declare the older names often use
# characters only the newer one maps.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v", "\x1b"}


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes at every other position in ASCII runs."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 4 * max(even, 1) and odd > len(head) // 16:
        return "utf-16-le"
    if even > 4 * max(odd, 1) and even > len(head) // 16:
        return "utf-16-be"
    return None


def declared_encoding(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    return _ALIASES.get(name, name)


def decode_text(data: bytes, *, html: bool = False) -> str:
    """Decode by BOM, by the page's own declaration (HTML), then UTF-8, then GB18030."""
    candidates = [bom_encoding(data) or utf16_without_bom(data)]
    if html:
        candidates.append(declared_encoding(data))
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.lstrip("\ufeff")
    raise UnsupportedFormat(
        "the text is in no encoding we read (tried UTF-8, GB18030, UTF-16)",
        zh="无法识别文本的编码：请另存为 UTF-8 编码后上传",
    )


def looks_like_text(data: bytes) -> bool:
    """Decodable, and almost free of control characters (binary files decode as GB18030 too)."""
    head = data[:8192]
    if bom_encoding(head) is None and utf16_without_bom(head) is None and b"\x00" in head:
        return False
    text = _decode_head(head, truncated=len(data) > len(head))
    if text is None:
        return False
    if not text:
        return True
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _CONTROL_OK)
    return controls <= len(text) // 100


def _decode_head(head: bytes, *, truncated: bool) -> str | None:
    # A cut head may end inside a multi-byte character: drop up to 3 bytes before giving up.
    for cut in range(4 if truncated else 1):
        try:
            return decode_text(head[: len(head) - cut])
        except UnsupportedFormat:
            continue
    return None
