"""Character error rate, the measure of OCR quality used by tests and benchmarks."""

from __future__ import annotations

import re
import unicodedata

_IGNORED = re.compile(r"\s+")


def comparable(text: str) -> str:
    """What OCR is judged on: NFKC (full- and half-width forms alike), no whitespace."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text))


def edit_distance(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(hypothesis: str, reference: str) -> float:
    ref, hyp = comparable(reference), comparable(hypothesis)
    return edit_distance(hyp, ref) / max(len(ref), 1)
