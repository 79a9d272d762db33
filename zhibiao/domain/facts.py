"""Facts: every figure of a report with indicator, period, kind and measure (first version)."""

from __future__ import annotations

from zhibiao.domain.model import DocumentMeta, Fact, Section


def extract_facts(text: str, sections: list[Section], meta: DocumentMeta) -> list[Fact]:
    return []
