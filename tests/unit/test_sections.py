"""The outline of every work report of the corpus, and its review/plan/appendix parts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from structure_corpus import cleaned

from zhibiao.domain.metadata import extract_metadata
from zhibiao.domain.model import DocumentMeta
from zhibiao.domain.sections import appendix_start, parse_sections, part_at

R, P, A = "review", "plan", "appendix"
# file -> (number, part) of each top-level section
TOP = {
    "baoding-2025.txt": [("一", R), ("二", P)],
    "binjiang-2020-work-report.md": [("一", R), ("二", P), ("三", P)],
    "fuping-2021.txt": [("一", R), ("二", P), ("三", P), ("四", P), ("", A)],
    "gaoyang-2018.txt": [("一", R), ("二", P), ("三", P)],
    "gaoyang-2019.txt": [("一", R), ("二", P)],
    "guangdong-2025.docx": [("一", R), ("二", P), ("附件1", P), ("附件2", A)],
    "hailar-2012.txt": [("一", R), ("二", P)],
    "hangzhou-2020-work-report.md": [("一", R), ("二", P), ("三", P)],
    "hangzhou-2022-work-report.txt": [("一", R), ("二", P), ("三", P)],
    "hangzhou-2023-work-report.txt": [("一", R), ("二", P), ("三", P), ("", A)],
    "jilin-2025.docx": [("一", R), ("二", P), ("三", P)],
    "national-2014.html.txt": [("一", R), ("二", P), ("三", P)],
    "national-2016.txt": [("一", R), ("二", P), ("三", P)],
    "national-2023.txt": [("一", R), ("二", P)],
    "national-2024.txt": [("一", R), ("二", P), ("三", P)],
    "sichuan-2026.txt": [("一", R), ("二", P), ("三", P), ("", A)],
    "zhumadian-2019.txt": [("一", R), ("二", P), ("三", P)],
    "zhumadian-2024.txt": [("一", R), ("二", P), ("三", P)],
}


@pytest.mark.parametrize("name", sorted(TOP))
def test_top_level_parts(name: str) -> None:
    text = cleaned(name)
    sections = parse_sections(text, extract_metadata(text))
    assert [(s.number, s.part) for s in sections if s.level == 1] == TOP[name]


@pytest.mark.parametrize("name", sorted(TOP))
def test_tree_is_consistent(name: str) -> None:
    text = cleaned(name)
    sections = parse_sections(text, extract_metadata(text))
    assert sections
    open_: list = []
    for s in sections:
        assert 0 <= s.start < s.end <= len(text)
        assert s.part in (R, P, A)
        assert s.heading and s.heading in text[s.start : s.end]
        assert s.start == 0 or text[s.start - 1] == "\n"
        while open_ and open_[-1].level >= s.level:
            open_.pop()
        if open_:
            parent = open_[-1]
            assert parent.level == s.level - 1
            assert parent.start < s.start and s.end <= parent.end
            assert s.part == parent.part
        else:
            assert s.level == 1
        open_.append(s)


@pytest.mark.parametrize(
    ("name", "number", "heading"),
    [
        ("zhumadian-2024.txt", "二", "2024年工作总体要求和主要目标"),
        ("zhumadian-2024.txt", "三", "2024年重点工作安排"),
        ("zhumadian-2019.txt", "一", "2018年工作回顾"),
        ("zhumadian-2019.txt", "（一）", "抓经济稳增长，综合实力显著增强"),
        ("hangzhou-2022-work-report.txt", "", "创新创业成效显著"),
        ("national-2024.txt", "", "推动产业链供应链优化升级"),
        ("hangzhou-2020-work-report.md", "（三）", "强化效能政府建设"),
    ],
)
def test_headings(name: str, number: str, heading: str) -> None:
    text = cleaned(name)
    sections = parse_sections(text, extract_metadata(text))
    assert any(s.number == number and s.heading == heading for s in sections)


def test_glossary_figures_are_in_the_appendix() -> None:
    text = cleaned("hangzhou-2023-work-report.txt")
    sections = parse_sections(text, extract_metadata(text))
    glossary = text.index("数字经济核心产业营收超2万亿")
    assert part_at(sections, glossary) == A
    assert appendix_start(sections) == text.index("名词解释")
    assert part_at(sections, text.index("全市生产总值18753亿元")) == R
    assert part_at(sections, text.index("2023年经济社会发展主要预期目标")) == P
    assert part_at(sections, 0) is None


def test_progress_tables_have_no_outline() -> None:
    assert (
        parse_sections("序号\t任务\t牵头单位\n1\t一、深化改革\t市政府办公厅\n", DocumentMeta(doc_type="progress_table"))
        == []
    )


_OUTLINE_TOKENS = [
    "一、",
    "二、",
    "（一）",
    "(二)",
    "1.",
    "（1）",
    "2023年工作回顾",
    "名词解释",
    "附件1",
    "\n",
    "创新创业成效显著。",
    "增长8%，",
    "达到",
    "。",
    "各位代表：",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_OUTLINE_TOKENS), max_size=60).map("".join))
def test_any_text_gives_a_well_formed_outline(text: str) -> None:
    for s in parse_sections(text, DocumentMeta(doc_type="work_report", plan_year=2024)):
        assert 0 <= s.start < s.end <= len(text)
        assert s.level >= 1 and s.part in (R, P, A, None)  # None: a first section that says neither
