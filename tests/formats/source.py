"""The corpus texts the format fixtures are built from, as headings and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import SAMPLES

_MD_HEADING = re.compile(r"^#{1,6}\s*")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Numbered report headings: 一、 / （一） / 第一部分.
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+部分)")


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool = False


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def blocks(name: str) -> list[Block]:
    """The sample's non-empty lines, Markdown markup dropped, numbered headings marked."""
    out = []
    for raw in sample_bytes(name).decode("utf-8-sig").splitlines():
        line = raw.strip().replace("\u3000", "")
        if not line:
            continue
        is_md_heading = bool(_MD_HEADING.match(line))
        line = _MD_BOLD.sub(r"\1", _MD_HEADING.sub("", line)).strip()
        if line:
            heading = is_md_heading or (len(line) <= 40 and bool(_HEADING.match(line)))
            out.append(Block(line, heading))
    return out


def plain_text(items: list[Block]) -> str:
    return "\n".join(block.text for block in items) + "\n"
