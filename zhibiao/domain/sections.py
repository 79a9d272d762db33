"""Section tree from Chinese outline numbering (first version)."""

from __future__ import annotations

import re

from zhibiao.domain.model import DocumentMeta, Section

_TOP = re.compile(r"^(?:#+\s*)?([一二三四五六七八九十]+)、\s*(.{1,60})$", re.M)


def parse_sections(text: str, meta: DocumentMeta | None = None) -> list[Section]:
    found = list(_TOP.finditer(text))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.append(Section(number=m.group(1), heading=m.group(2).strip(), level=1, start=m.start(), end=end))
    return out
