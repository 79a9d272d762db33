"""Rejoin paragraphs that a PDF broke into lines of its page width.

A text layer gives one line per printed line. Such a document is recognised by most
of its lines having nearly the same width (Chinese characters count double); a line
that fills the width continues on the next one, a shorter one ends its paragraph.
Documents already written one paragraph a line have no such common width and are
left as they are, which also makes the join idempotent.
"""

from __future__ import annotations

import re
import unicodedata

# A new paragraph starts here even after a full line: outline numbers, dash lead-ins.
_STARTS_BLOCK = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、](?!\s*\d)|[—―-]{2,}|各位代表)"
)

_BARE_END = re.compile(r"[\u4e00-\u9fff\d%]$")  # 增长8.5%⏎和9%: a figure cut from its list
_OPEN_END = re.compile(r"[，、“《（(]$")
_LEAD_IN = re.compile(r"^[^，,；;：:。！？!?%“”]{6,24}。")
_ENDS_SENTENCE = re.compile(r"[。！？!?]\s*$")
# A line wholly in brackets is a line of its own (the delivery line under a title).
_PARENTHETICAL = re.compile(r"^[（(].*[）)]$")
_OPENERS, _CLOSERS = "（([【《", "）)]】》"


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def join_wrapped_lines(lines: list[str]) -> list[str]:
    # Each join may enable another (a bracket closed two lines down): repeat until
    # nothing changes, so that cleaning cleaned text changes nothing.
    while True:
        joined = _join_pass(lines)
        if len(joined) == len(lines):
            return joined
        lines = joined


def _join_pass(lines: list[str]) -> list[str]:
    lines = _join_open_brackets(lines)
    width = _page_width(lines)
    # In a document with a page width, the width says where paragraphs end.
    return _join_broken_paragraphs(lines) if width is None else _join_page_lines(lines, width)


def _join_page_lines(lines: list[str], width: int) -> list[str]:
    out: list[str] = []
    joining = False
    for line in lines:
        if joining and not _STARTS_BLOCK.match(line) and "\t" not in line and not _opens_paragraph(out[-1], line):
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
        joining = "\t" not in line and _fills(line, width) and not _PARENTHETICAL.match(line)
    return out


def _opens_paragraph(previous: str, line: str) -> bool:
    """After a full stop, a lead-in (`推动文化产业融合发展。…`) or an unnumbered heading starts anew."""
    if not _ENDS_SENTENCE.search(previous):
        return False
    return bool(_LEAD_IN.match(line)) or (len(line) <= 30 and not re.search(r"[，,。；;：:！？!?、]", line))


def _fills(line: str, width: int) -> bool:
    # Indented first lines and bold lead-ins fall short of the width; a line that
    # ends a sentence must come closer to it to be taken as continuing.
    limit = 0.85 if _ENDS_SENTENCE.search(line) else 0.75
    return display_width(line) >= limit * width


def _page_width(lines: list[str]) -> int | None:
    """The common width of a wrapped document's lines, or None if it has none."""
    widths = sorted(display_width(line) for line in lines if "\t" not in line)
    if len(widths) < 12:
        return None
    top = widths[int(len(widths) * 0.9)]
    if top > 160:
        return None
    near = sum(1 for w in widths if 0.85 * top <= w <= 1.1 * top)
    return top if near >= 0.5 * len(widths) else None


def _join_open_brackets(lines: list[str]) -> list[str]:
    """A short line that opens a bracket it does not close continues on the next line."""
    out: list[str] = []
    for line in lines:
        if out and _unclosed(out[-1]) and _unclosed(line) < 0 and display_width(out[-1]) < 100:
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
    return out


def _join_broken_paragraphs(lines: list[str]) -> list[str]:
    """A paragraph a converter cut in the middle (`…规范了一批政府建设` / `要事。完善…`).

    No line ends on a comma, and a line ending on a bare character is a heading
    unless it is long or holds a comma or a full stop; outline headings hold none.
    """
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1]) and "\t" not in line and not _STARTS_BLOCK.match(line):
            out[-1] = _glue(out[-1], line)
        else:
            out.append(line)
    return out


def _continues(line: str) -> bool:
    if "\t" in line or (_STARTS_BLOCK.match(line) and not line.startswith("各位代表") and "。" not in line):
        return False
    if _OPEN_END.search(line):
        return True
    return bool(_BARE_END.search(line)) and (
        display_width(line) >= 120 or "，" in line or "," in line or "。" in line[:-1]
    )


def _unclosed(line: str) -> int:
    return sum(line.count(c) for c in _OPENERS) - sum(line.count(c) for c in _CLOSERS)


def _glue(left: str, right: str) -> str:
    if left[-1:].isascii() and right[:1].isascii() and left[-1:].isalnum() and right[:1].isalnum():
        # A word or number broken at the margin: "1." + "5%" rejoin without a space,
        # but two Latin words keep theirs.
        if left[-1].isdigit() or right[0].isdigit():
            return left + right
        return left + " " + right
    return left + right
