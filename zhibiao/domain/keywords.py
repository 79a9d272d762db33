"""Top keywords of a document: TF-IDF over jieba's segmentation and IDF table.

jieba ships its dictionary and IDF table in the wheel, so nothing is downloaded;
it is loaded on the first call only (about a second), quietly.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from importlib import resources

_lock = threading.Lock()
_extractor = None
_TOKEN = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]+$|^[A-Z][A-Za-z0-9]+$")


def top_keywords(text: str, k: int = 20) -> list[str]:
    """The k words that best tell this text from others, best first."""
    if not text.strip() or k <= 0:
        return []
    return top_keywords_of(list(_tfidf().tokenizer.cut(text)), k)


def top_keywords_of(words: list[str], k: int = 20) -> list[str]:
    """top_keywords of a text cut already (jieba's precise mode, search_text.segment): TF-IDF as
    jieba.analyse's extract_tags weighs it, ties in the order the words first appear."""
    if k <= 0:
        return []
    extractor = _tfidf()
    freq: dict[str, float] = {}
    for w in words:
        if len(w.strip()) >= 2 and w.lower() not in extractor.stop_words:
            freq[w] = freq.get(w, 0.0) + 1.0
    total = sum(freq.values())
    # n * (idf / total), as extract_tags multiplies: another rounding could reorder ties
    weight = {w: n * (extractor.idf_freq.get(w, extractor.median_idf) / total) for w, n in freq.items()}
    genre = _genre_words()
    ranked = sorted(weight, key=weight.__getitem__, reverse=True)
    return [w for w in ranked if w not in genre and _TOKEN.match(w)][:k]


@lru_cache(maxsize=1)
def _genre_words() -> frozenset[str]:
    """Words of the genre itself, in most work reports: they say nothing of this one."""
    text = resources.files("zhibiao").joinpath("data/genre_words.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _tfidf():
    global _extractor
    with _lock:
        if _extractor is None:
            import jieba
            import jieba.analyse

            jieba.setLogLevel(logging.WARNING)
            _extractor = jieba.analyse.TFIDF()
        return _extractor
