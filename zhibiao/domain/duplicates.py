"""Is this the same report? One report dropped as TXT and as PDF, or as a corrected version,
reads as near-identical text: what differs is line breaks, page furniture and a few characters.

Two texts are compared by their character shingles with all white space removed (so a PDF's
line breaks count for nothing): the share of the shorter text's shingles found in the longer.
A fragment of a report (a 3-page scan of a 14-page one) is contained in it too, and is served
as the whole it belongs to.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

SHINGLE = 8  # characters: longer than most phrases a report repeats, short enough to survive a typo
SAME_REPORT = 0.9  # shared share of the shorter text's shingles
_SPACE = re.compile(r"\s+")


def shingles(text: str) -> frozenset[int]:
    flat = _SPACE.sub("", text or "")
    return frozenset(zlib.crc32(flat[i : i + SHINGLE].encode()) for i in range(max(0, len(flat) - SHINGLE + 1)))


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """The share of the smaller set found in the larger; 0 when either is empty."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


@dataclass(frozen=True)
class Copy:
    """A stored document as the comparison sees it."""

    id: str
    text: str
    received_at: datetime | None = None


def groups(copies: Sequence[Copy]) -> list[list[Copy]]:
    """The copies that are one report, each group best first: the longest text (the most
    complete reading), then the earliest received, then the id."""
    if len(copies) < 2:
        return [list(copies)] if copies else []  # nothing to compare: no text to shingle
    sets = [shingles(c.text) for c in copies]
    parent = list(range(len(copies)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(copies)):
        for j in range(i + 1, len(copies)):
            if containment(sets[i], sets[j]) >= SAME_REPORT:
                parent[root(j)] = root(i)
    by_root: dict[int, list[Copy]] = {}
    for i, c in enumerate(copies):
        by_root.setdefault(root(i), []).append(c)
    far_future = datetime.max

    def best(c: Copy) -> tuple:
        received = c.received_at.replace(tzinfo=None) if c.received_at else far_future
        return (-len(_SPACE.sub("", c.text or "")), received, c.id)

    return [sorted(g, key=best) for g in by_root.values()]
