"""Fact ids that survive reprocessing: derived from where the figure stands, not from when
the row was written, so links, notes, exports and corrections keep pointing at the same fact."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

ID_LENGTH = 32  # the longest id: 10 + 1 + 7 + 1 + 4, plus a ".n" for repeats


def fact_id(document_id: str, figure_start: int, figure_end: int, indicator: str | None) -> str:
    """`<document prefix>-<figure offset, 7 hex>-<4 hex>`: ids sort in reading order within a
    document (so the default id order reads like the report), and the digest tells apart the
    facts one figure gives. The subject is left out on purpose: the open-facts rules rewrite
    subjects between extractor versions, while a figure's offsets and catalogue code stay."""
    digest = hashlib.sha256(f"{document_id}:{figure_start}:{figure_end}:{indicator or ''}".encode()).hexdigest()
    return f"{document_id[:10]}-{figure_start:07x}-{digest[:4]}"


def fact_ids(document_id: str, figures: Iterable[tuple[int, int, str | None]]) -> list[str]:
    """One id per (figure_start, figure_end, indicator), in order; a repeat of the same key
    (two facts from one figure and code) takes .2, .3 in extraction order."""
    seen: dict[str, int] = {}
    out = []
    for start, end, indicator in figures:
        base = fact_id(document_id, start, end, indicator)
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base}.{seen[base]}")
    return out
