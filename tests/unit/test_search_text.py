"""Paragraph tokens, query tokens, ranking, snippets, series grouping and figure positions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.domain import search_text
from zhibiao.domain.series import build_series, period_key
from zhibiao.domain.task_links import ReportIndex

TEXT = "一、工作回顾\n\n  全市生产总值18109亿元、增长8.5%，数字经济核心产业增加值增长11.5%。\n建设亚运会场馆。\n"


def test_paragraphs_have_offsets_into_the_text_and_padded_tokens():
    paras = search_text.paragraphs(TEXT)
    assert [TEXT[p.start : p.end] for p in paras] == [
        "一、工作回顾",
        "全市生产总值18109亿元、增长8.5%，数字经济核心产业增加值增长11.5%。",
        "建设亚运会场馆。",
    ]
    tokens = paras[1].tokens
    assert tokens.startswith(" ") and tokens.endswith(" ") and " 数字 " in tokens and " 经济 " in tokens
    assert "，" not in tokens and "  " not in tokens


def test_search_mode_finds_a_word_inside_a_longer_one():
    [para] = search_text.paragraphs("中华人民共和国成立")
    assert all(f" {t} " in para.tokens for t in search_text.query_tokens("人民"))


def test_query_tokens_drop_stop_words_punctuation_and_repeats():
    assert search_text.query_tokens("数字经济的发展，发展！") == ["数字", "经济", "发展"]
    assert search_text.query_tokens("，。！") == []
    assert search_text.query_tokens("GDP") == ["gdp"]


def test_phrase_outranks_scattered_words():
    stats = {"df": {"数字": 3, "经济": 5}, "total": 100, "avg_length": 8}
    together = search_text.rank(" 数字 经济 发展 ", 3, ["数字", "经济"], **stats)
    apart = search_text.rank(" 数字 改革 推动 经济 ", 4, ["数字", "经济"], **stats)
    assert together > apart > 0


def test_snippet_escapes_and_marks_merged_hits():
    s = search_text.snippet("<b>数字经济</b>是" + "很" * 300, ["数字", "经济"])
    assert s.startswith("&lt;b&gt;<mark>数字经济</mark>&lt;/b&gt;") and s.endswith("…")
    far = search_text.snippet("很" * 300 + "数字经济", ["数字经济"])
    assert far.startswith("…") and "<mark>数字经济</mark>" in far


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="数字经济发展，。\n 杭州2022年", max_size=80))
def test_paragraph_spans_are_trimmed_non_blank_lines(text):
    for start, end in search_text.split_paragraphs(text):
        chunk = text[start:end]
        assert chunk and chunk == chunk.strip() and "\n" not in chunk


def _fact(i, period, kind, value, doc, **kw):
    return {
        "id": i,
        "indicator": "gdp",
        "region": "杭州市",
        "measure": "growth",
        "period": period,
        "kind": kind,
        "value": value,
        "value_max": None,
        "unit": "%",
        "qualifier": None,
        "estimated": False,
        "strive": False,
        "document_id": doc,
        "source_name": doc,
        "doc_year": int(doc[-4:]),
        "quote": "q",
        "start": 0,
        "end": 1,
        **kw,
    }


def test_series_groups_by_period_and_shows_disagreement():
    items = build_series(
        [
            _fact(1, "2022", "target", 6.5, "r2022", qualifier="at_least"),
            _fact(2, "2022", "actual", 1.5, "r2023"),
            _fact(3, "2022", "actual", 1.6, "r2024"),
            _fact(4, "2022", "actual", 1.5, "r2023"),  # the same report repeating itself
            _fact(5, "2017-2021", "actual", 7.0, "r2022"),
            _fact(6, "2021", "actual", 8.5, "r2022"),
        ]
    )
    assert [i["period"] for i in items] == ["2021", "2017-2021", "2022"]
    y2022 = items[2]
    assert [o["value"] for o in y2022["actual"]] == [1.6, 1.5] and y2022["disagree"]
    assert [o["value"] for o in y2022["target"]] == [6.5] and not items[0]["disagree"]
    assert period_key("2021") < period_key("2017-2021") < period_key("2022")


def test_a_task_links_to_the_paragraph_it_copies():
    paras = [
        (10, search_text.paragraphs("深入落实全面从严治党主体责任，扎实推进政府系统党风廉政建设。")[0].tokens),
        (11, search_text.paragraphs("加快亚运村和各类场馆建设，广泛开展全民健身行动。")[0].tokens),
        (12, search_text.paragraphs("推进数字经济和制造业高质量发展。")[0].tokens),
    ]
    index = ReportIndex(paras)
    assert index.best("加快亚运场馆建设")[0] == 11
    assert index.best("扎实推进政府系统党风廉政建设")[0] == 10
    assert index.best("围填海项目审批") is None


def test_pages_of_one_query_share_a_candidate_pool_until_one_reaches_past_half_of_it():
    from zhibiao.db.search_reads import CANDIDATES, candidate_pool

    assert [candidate_pool(d) for d in (1, 20, 100)] == [CANDIDATES] * 3
    assert candidate_pool(101) == 2 * CANDIDATES
    assert all(candidate_pool(d) >= 2 * d for d in range(1, 30_000, 97))
