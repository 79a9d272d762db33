"""Paragraphs and their jieba tokens, for Chinese full-text search and paragraph matching.

Paragraphs are indexed with jieba's search mode (a long word also yields its parts:
数字经济 -> 数字, 经济, 数字经济), queries are cut in precise mode, so a query word is
found whether the paragraph wrote it alone or inside a longer word. Tokens are stored
space-joined and padded (" a b c ") so that one token is the substring " a ".
"""

from __future__ import annotations

import html
import logging
import math
import re
import threading
import unicodedata
from dataclasses import asdict, dataclass

_lock = threading.Lock()
_ready = False
# A token worth indexing holds at least one CJK character, letter or digit.
_WORDLIKE = re.compile(r"[\w\u4e00-\u9fff]")
# Function words that match nearly every paragraph: they would only add noise to a query.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "是",
        "为",
        "对",
        "把",
        "将",
        "以",
        "并",
        "或",
        "之",
        "其",
        "也",
        "就",
        "都",
        "而",
        "要",
        "从",
        "向",
        "于",
        "中",
        "上",
        "下",
        "个",
    ]
)
SNIPPET_CHARS = 120  # what a person takes in at a glance in a result list


@dataclass(frozen=True)
class Paragraph:
    start: int  # offsets into the cleaned text; end is exclusive
    end: int
    tokens: str  # " tok tok tok ", search-mode tokens in text order

    def to_dict(self) -> dict:
        return asdict(self)


def warm_up() -> None:
    """Load jieba's dictionary now (about 2 s), so that the first query does not wait for it."""
    _jieba()


def _jieba():
    global _ready
    import jieba

    with _lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True
    return jieba


def _norm(token: str) -> str:
    return unicodedata.normalize("NFKC", token).strip().lower()


def _keep(token: str) -> bool:
    return bool(token) and " " not in token and bool(_WORDLIKE.search(token))


def index_tokens(text: str) -> list[str]:
    """Search-mode tokens of a passage, normalised, punctuation dropped."""
    return _search_tokens(list(_jieba().cut(text)))


def _search_tokens(words: list[str]) -> list[str]:
    """jieba's search mode (Tokenizer.cut_for_search) from the precise-mode words it would cut
    first: each long word's 2- and 3-character parts that are words of the dictionary, then the
    word. Taking the words as given lets one cut serve the index and the keywords."""
    known = _jieba().dt.FREQ
    out = []
    for word in words:
        parts = [word[i : i + 2] for i in range(len(word) - 1) if known.get(word[i : i + 2])] if len(word) > 2 else []
        if len(word) > 3:
            parts += [word[i : i + 3] for i in range(len(word) - 2) if known.get(word[i : i + 3])]
        parts.append(word)
        out += [t for t in map(_norm, parts) if _keep(t)]
    return out


def query_tokens(query: str) -> list[str]:
    """Precise-mode tokens of a query, without stop words and repeats, in order."""
    out: list[str] = []
    for w in _jieba().cut(query):
        t = _norm(w)
        if _keep(t) and t not in STOPWORDS and t not in out:
            out.append(t)
    return out


# "数字经济", “数字经济”, 「数字经济」: a phrase the paragraph must write as it stands.
_PHRASE = re.compile(
    r'["\uff02]([^"\uff02]+)["\uff02]|\u201c([^\u201d]+)\u201d|\u300c([^\u300d]+)\u300d|\u300e([^\u300f]+)\u300f'
)


@dataclass(frozen=True)
class Query:
    tokens: list[str]  # every word, quoted or not: what the index is asked for
    phrases: list[str]  # the quoted parts, each to be found verbatim in a paragraph's text
    marked: list[str]  # what a snippet marks: the phrases whole, and the words outside them


def parse_query(query: str) -> Query:
    """A query's words, and its quoted phrases (straight, curly or corner quotes)."""
    phrases = [_norm(next(g for g in m.groups() if g is not None)) for m in _PHRASE.finditer(query)]
    phrases = [p for p in phrases if p]
    rest = query_tokens(_PHRASE.sub(" ", query)) if phrases else [query.strip(), *query_tokens(query)]
    return Query(tokens=query_tokens(query), phrases=phrases, marked=[*phrases, *rest])


def holds_phrases(text: str, phrases: list[str]) -> bool:
    """True if `text` writes every phrase (compared after NFKC and lower-casing)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return all(p in folded for p in phrases)


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, trimmed of surrounding spaces."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = m.start() + (len(line) - len(line.lstrip()))
        spans.append((start, start + len(stripped)))
    return spans


def paragraphs(text: str) -> list[Paragraph]:
    """Every paragraph of a cleaned text with its tokens."""
    return segment(text)[0]


def segment(text: str) -> tuple[list[Paragraph], list[str]]:
    """Every paragraph of a cleaned text with its tokens, and the text's precise-mode words in
    order: what keywords.top_keywords_of counts. jieba cuts no word across a line break, so
    the lines' words are the whole text's, and one cut (a third of an extraction's time) serves both."""
    out, words = [], []
    cut = _jieba().cut
    for start, end in split_paragraphs(text):
        line_words = list(cut(text[start:end]))
        words += line_words
        tokens = _search_tokens(line_words)
        if tokens:
            out.append(Paragraph(start, end, " " + " ".join(tokens) + " "))
    return out, words


def token_counts(tokens: str, wanted: list[str]) -> dict[str, int]:
    return {t: tokens.count(f" {t} ") for t in wanted}


# A paragraph writing the query's words side by side, as the query does, ranks above one
# holding them apart: 数字经济 (two words to jieba) is not 数字化 ... 经济.
PHRASE_BOOST = 2.0


def adjacent(tokens: str, wanted: list[str]) -> bool:
    """True if the query's words stand next to each other, in order, somewhere in `tokens`."""
    return len(wanted) > 1 and (" " + " ".join(wanted) + " ") in tokens


def rank(tokens: str, length: int, wanted: list[str], *, df: dict[str, int], total: int, avg_length: float) -> float:
    """BM25, doubled for a paragraph holding the query as a phrase."""
    score = bm25(token_counts(tokens, wanted), length, df=df, total=total, avg_length=avg_length)
    return score * PHRASE_BOOST if adjacent(tokens, wanted) else score


def bm25(
    tf: dict[str, int],
    length: int,
    *,
    df: dict[str, int],
    total: int,
    avg_length: float,
    k1: float = 1.2,
    b: float = 0.75,
) -> float:
    """Okapi BM25 of one paragraph for the query tokens in `tf`."""
    score = 0.0
    for token, n in tf.items():
        if n <= 0:
            continue
        idf = math.log(1 + (total - df.get(token, 0) + 0.5) / (df.get(token, 0) + 0.5))
        score += idf * n * (k1 + 1) / (n + k1 * (1 - b + b * length / max(avg_length, 1.0)))
    return score


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped window of `text` around its first match, each term in <mark>."""
    folded = text.lower()
    hits = sorted((m.start(), m.end()) for t in terms if t for m in re.finditer(re.escape(t.lower()), folded))
    merged: list[list[int]] = []
    for s, e in hits:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    first = merged[0][0] if merged else 0
    lo = max(0, min(first - width // 3, len(text) - width))
    hi = min(len(text), lo + width)
    out, pos = [], lo
    for s, e in merged:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:hi]))
    return ("…" if lo > 0 else "") + "".join(out) + ("…" if hi < len(text) else "")
