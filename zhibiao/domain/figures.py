"""Where in its quote a fact's figure is written, so a page can mark the number itself.

A fact keeps its sentence (quote, start, end) but not the number's own offsets. The
figure is found again: among the quote's numbers with the fact's value (a decline,
stored negative, is written as a positive number after 下降), the first one after the
indicator's name, else the first one anywhere in the quote.
"""

from __future__ import annotations

from zhibiao.domain.numbers import find_numbers


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def locate(quote: str, *, value: float, value_max: float | None = None, unit: str = "",
           label: str = "") -> tuple[int, int] | None:
    """(start, end) of the figure within `quote`, or None when it is not written as a number."""
    matches = []
    for fig in find_numbers(quote):
        if not (_close(fig.value, value) or _close(fig.value, abs(value))):
            continue
        if value_max is not None and (fig.value_max is None or not _close(fig.value_max, value_max)):
            continue
        matches.append((fig.unit != unit, fig.start, fig.end))
    if not matches:
        return None
    at = quote.find(label) if label else -1
    after = [m for m in matches if m[1] >= at] if at >= 0 else []
    _, start, end = min(after or matches)
    return start, end
