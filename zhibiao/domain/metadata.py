"""Document metadata from the title, delivery and speaker lines (first version)."""

from __future__ import annotations

import re

from zhibiao.domain.model import DocumentMeta

_DELIVERY = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在(.{4,40}?会议)上")


def extract_metadata(text: str, *, source_name: str = "") -> DocumentMeta:
    meta = DocumentMeta()
    head = text[:3000]
    if "重点工作" in head and ("完成情况" in head or "进展情况" in head):
        meta.doc_type = "progress_table"
    elif "政府工作报告" in head or "报告工作" in head:
        meta.doc_type = "work_report"
    m = _DELIVERY.search(head)
    if m:
        year, month, day = (int(g) for g in m.groups()[:3])
        meta.delivered_on = f"{year:04d}-{month:02d}-{day:02d}"
        meta.meeting = m.group(4)
        meta.review_year, meta.plan_year = year - 1, year
    return meta
