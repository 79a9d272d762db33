"""Which paragraph of a work report a key task tracks.

Supervision tables copy or paraphrase the report's sentences, so the paragraph sharing
the most rare words with the task is the one it tracks. Words are weighted by their
inverse paragraph frequency within that report: 推进, 加快 and the like count for little.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from zhibiao.domain.search_text import STOPWORDS, index_tokens

# Share of the task's word weight a paragraph must hold to count as the one it tracks.
# On the samples the true paragraph holds 0.55-1.0 and the best wrong one below 0.35.
LINK_THRESHOLD = 0.45


def content_words(tokens: str | list[str]) -> set[str]:
    """Words of two characters or more, stop words dropped."""
    items = tokens.split() if isinstance(tokens, str) else tokens
    return {t for t in items if len(t) >= 2 and t not in STOPWORDS}


class ReportIndex:
    """The paragraphs of one report, ready for matching many tasks against it."""

    def __init__(self, paragraphs: Sequence[tuple[int, str]]) -> None:
        self.paragraphs = [(pid, content_words(tokens)) for pid, tokens in paragraphs]
        df = Counter(w for _, words in self.paragraphs for w in words)
        n = max(len(self.paragraphs), 1)
        self.idf = {w: math.log(1 + n / c) for w, c in df.items()}
        self.unseen_idf = math.log(1 + n)

    def best(self, task_text: str, threshold: float = LINK_THRESHOLD) -> tuple[int, float] | None:
        """(paragraph id, score in 0..1) of the best match above `threshold`, else None."""
        words = content_words(index_tokens(task_text))
        if not words or not self.paragraphs:
            return None
        weight = {w: self.idf.get(w, self.unseen_idf) for w in words}
        total = sum(weight.values())
        best_id, best_score = None, 0.0
        for pid, para_words in self.paragraphs:
            score = sum(weight[w] for w in words & para_words) / total
            if score > best_score:
                best_id, best_score = pid, score
        if best_id is None or best_score < threshold:
            return None
        return best_id, round(best_score, 3)
