"""From pages of raw text to everything the extract service publishes."""

from __future__ import annotations

from zhibiao.domain import cleanup, facts, keywords, metadata, open_facts, search_text, sections, tasks
from zhibiao.domain.model import Extraction


def analyse_pages(pages: list[str], *, source_name: str = "", region_hint: str | None = None) -> Extraction:
    """Clean the pages, then derive metadata, sections, facts, tasks, keywords and the
    segmented paragraphs full-text search indexes. `region_hint`: where the user put the
    file (its bucket folders), for a text that names no region of its own."""
    text = cleanup.clean_pages(pages)
    meta = metadata.extract_metadata(text, source_name=source_name, region_hint=region_hint)
    outline = sections.parse_sections(text, meta)
    catalogue = facts.extract_facts(text, outline, meta)
    paragraphs, words = search_text.segment(text)
    # the catalogue's facts first, then every other figure of the report
    return Extraction(
        text=text,
        meta=meta,
        sections=outline,
        facts=catalogue + open_facts.extract_open_facts(text, outline, meta, catalogue),
        tasks=tasks.extract_tasks(text) if meta.doc_type == "progress_table" else [],
        keywords=keywords.top_keywords_of(words),
        paragraphs=paragraphs,
    )


def analyse_text(text: str, *, source_name: str = "", region_hint: str | None = None) -> Extraction:
    return analyse_pages([text], source_name=source_name, region_hint=region_hint)
