"""From pages of raw text to everything the extract service publishes."""

from __future__ import annotations

from zhibiao.domain import cleanup, facts, keywords, metadata, sections, tasks
from zhibiao.domain.model import Extraction


def analyse_pages(pages: list[str], *, source_name: str = "") -> Extraction:
    """Clean the pages, then derive metadata, sections, facts, tasks and keywords."""
    text = cleanup.clean_pages(pages)
    meta = metadata.extract_metadata(text, source_name=source_name)
    outline = sections.parse_sections(text, meta)
    return Extraction(
        text=text,
        meta=meta,
        sections=outline,
        facts=facts.extract_facts(text, outline, meta),
        tasks=tasks.extract_tasks(text) if meta.doc_type == "progress_table" else [],
        keywords=keywords.top_keywords(text),
    )


def analyse_text(text: str, *, source_name: str = "") -> Extraction:
    return analyse_pages([text], source_name=source_name)
