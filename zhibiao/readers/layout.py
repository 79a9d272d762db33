"""Reading order for OCR'd text boxes: boxes grouped into lines by height, lines read left to right.

A scanned page is usually tilted a little; grouping by raw y would split a long line into
pieces, so the page's skew (the median slope of wide boxes) is undone first.
"""

from __future__ import annotations

import itertools
import math
import unicodedata

import numpy as np


def layout_lines(boxes: np.ndarray, texts: list[str]) -> list[str]:
    """`boxes` is (n, 4, 2): corners clockwise from top-left, as detectors return them."""
    if len(texts) == 0:
        return []
    skew = page_skew(boxes)
    cos, sin = math.cos(skew), math.sin(skew)
    # Rotate every corner by -skew: x' = x cos + y sin, y' = -x sin + y cos.
    xs = boxes[:, :, 0] * cos + boxes[:, :, 1] * sin
    ys = (-boxes[:, :, 0] * sin + boxes[:, :, 1] * cos).mean(axis=1)
    xs_left, xs_right = xs.min(axis=1), xs.max(axis=1)
    heights = np.maximum(np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1), 1.0)

    lines: list[list[int]] = []
    for i in sorted(range(len(texts)), key=lambda k: ys[k]):
        if lines:
            line = lines[-1]
            line_y = float(np.median(ys[line]))
            line_h = float(np.median(heights[line]))
            if abs(ys[i] - line_y) <= 0.5 * min(line_h, heights[i]):
                line.append(i)
                continue
        lines.append([i])

    out = []
    for line in lines:
        line.sort(key=lambda k: xs_left[k])
        text = texts[line[0]].strip()
        for prev, cur in itertools.pairwise(line):
            gap = xs_left[cur] - xs_right[prev]
            text += joiner(text, texts[cur].strip(), gap, float(heights[cur])) + texts[cur].strip()
        if text:
            out.append(text)
    return out


def page_skew(boxes: np.ndarray) -> float:
    """Median angle of the top edges of boxes wider than they are tall (radians)."""
    top = boxes[:, 1] - boxes[:, 0]
    widths = np.linalg.norm(top, axis=1)
    heights = np.linalg.norm(boxes[:, 3] - boxes[:, 0], axis=1)
    wide = widths > 3 * np.maximum(heights, 1.0)
    if not wide.any():
        return 0.0
    angles = np.arctan2(top[wide, 1], top[wide, 0])
    return float(np.median(angles))


def joiner(left: str, right: str, gap: float, height: float) -> str:
    """No space next to a Chinese character unless the boxes are far apart (table columns)."""
    if not left or not right:
        return ""
    if gap > 1.5 * height:
        return "\t"
    if is_wide(left[-1]) or is_wide(right[0]):
        return ""
    return " "


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")
