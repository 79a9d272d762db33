"""Top keywords of a document (jieba TF-IDF)."""

from __future__ import annotations


def top_keywords(text: str, k: int = 20) -> list[str]:
    return []
