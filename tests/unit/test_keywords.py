"""Keywords: jieba TF-IDF, loaded lazily and quietly, genre words left out."""

from __future__ import annotations

import subprocess
import sys

from structure_corpus import cleaned

from zhibiao.domain.keywords import top_keywords


def test_keywords_name_the_document() -> None:
    words = top_keywords(cleaned("hangzhou-2023-work-report.txt"), k=10)
    assert len(words) == 10
    assert "杭州" in words and "亚运" in words
    assert not {"发展", "建设", "各位代表", "政府"} & set(words)


def test_keywords_of_nothing() -> None:
    assert top_keywords("") == []
    assert top_keywords("杭州亚运", k=0) == []


def test_jieba_loads_on_first_use_and_says_nothing() -> None:
    code = (
        "import sys\n"
        "import zhibiao.domain.keywords as kw\n"
        "assert 'jieba' not in sys.modules\n"
        "print(kw.top_keywords('杭州亚运会场馆全部竣工验收，杭州亚运会筹办进入冲刺阶段。', k=3))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "亚运会" in done.stdout


def test_one_cut_serves_the_index_and_the_keywords_as_jieba_would() -> None:
    """search_text.segment cuts each line once; its tokens are jieba's search mode and its
    keywords are jieba.analyse's TF-IDF, on a whole report (and its wrapped, odd lines)."""
    import jieba
    import jieba.analyse

    from zhibiao.domain import keywords, search_text

    text = cleaned("hangzhou-2023-work-report.txt")
    paragraphs, words = search_text.segment(text)
    for p in paragraphs[::7]:
        line = text[p.start : p.end]
        expected = [t for t in (search_text._norm(w) for w in jieba.cut_for_search(line)) if search_text._keep(t)]
        assert p.tokens == " " + " ".join(expected) + " "
    genre = keywords._genre_words()
    tags = [w for w in jieba.analyse.TFIDF().extract_tags(text, topK=None) if w not in genre]
    expected = [w for w in tags if keywords._TOKEN.match(w)][:20]
    assert keywords.top_keywords_of(words) == expected == keywords.top_keywords(text)
