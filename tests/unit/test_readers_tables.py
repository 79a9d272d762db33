"""Supervision tables published as PDF: ruled tables read row by row (pdf_tables).

The fixture is built from the progress-table sample at test time (tests/formats/table_pdf.py):
a subset of its groups, several pages, rows broken across page breaks. The text export of
the same subset is the reference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.formats: fixture builders

from tests.formats import blocks, text_pdf
from tests.formats.table_pdf import PROGRESS_SAMPLE, progress_table, progress_text, table_pdf
from zhibiao.domain.pipeline import analyse_pages
from zhibiao.parsing.extraction import extract_bytes
from zhibiao.readers import pdf_tables, read_document
from zhibiao.readers.pdf_tables import PageLayout, has_ruling, join_cell_lines, join_continued_rows

GOLD_TASKS = Path(__file__).resolve().parents[3] / "shared" / "gold" / "tasks.jsonl"
# Groups holding every gold row (1, 5, 7, 104), cut short to keep the PDF a few pages.
LEADERS = ("刘忻", "戴建平", "胡伟")
ROWS_PER_GROUP = 8


@pytest.fixture(scope="module")
def subset():
    return progress_table(leaders=LEADERS, rows_per_group=ROWS_PER_GROUP)


@pytest.fixture(scope="module")
def subset_pdf(subset) -> bytes:
    return table_pdf(subset)


@pytest.fixture(scope="module")
def from_pdf(subset_pdf):
    return extract_bytes(subset_pdf, "progress.pdf").extraction


@pytest.fixture(scope="module")
def from_text(subset):
    return extract_bytes(progress_text(subset).encode(), "progress.txt").extraction


def gold_rows() -> list[dict]:
    if not GOLD_TASKS.exists():
        pytest.skip("no gold tasks at /work/shared/gold")
    rows = [json.loads(line) for line in GOLD_TASKS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if row["doc"] == PROGRESS_SAMPLE]


def _fields(task) -> tuple:
    return (task.number, task.text, task.lead_units, task.leader, task.progress, task.next_steps)


def test_fixture_breaks_rows_across_pages(subset_pdf):
    pdf = pdfium.PdfDocument(subset_pdf)
    try:
        assert len(pdf) >= 4
        # A page that opens on the rest of a row starts with that row's text, not a number or a header.
        firsts = [pdf[i].get_textpage().get_text_bounded().split("\n")[0].strip() for i in range(1, len(pdf))]
    finally:
        pdf.close()
    assert any(first and not first[0].isdigit() and not first.startswith("序号") for first in firsts)


def test_table_pdf_is_a_progress_table(from_pdf):
    assert from_pdf.meta.doc_type == "progress_table"


def test_table_pdf_gives_the_tasks_of_the_text_export(subset, from_pdf, from_text):
    assert len(from_text.tasks) == sum(len(group.rows) for group in subset.groups)
    assert [t.number for t in from_pdf.tasks] == [t.number for t in from_text.tasks]
    # Every cell, the progress of rows broken across pages included, comes back whole.
    assert [_fields(t) for t in from_pdf.tasks] == [_fields(t) for t in from_text.tasks]


def test_gold_rows_in_the_subset_match(from_pdf):
    by_number = {t.number: t for t in from_pdf.tasks}
    gold = [row for row in gold_rows() if row["number"] in by_number]
    assert gold, "the subset holds no gold row"
    for row in gold:
        task = by_number[row["number"]]
        assert task.lead_units == row["lead_units"], row["number"]
        assert task.leader == row["leader"], row["number"]
        assert task.text.startswith(row["task_starts"]), row["number"]


def test_text_around_tables_stays_in_reading_order(subset_pdf):
    text = "".join(read_document(subset_pdf, "progress.pdf").pages)
    lines = text.splitlines()
    assert lines[0].replace(" ", "") == "2020年政府工作报告重点工作半年度完成情况汇总表"
    assert "杭州市人民政府督查室" in lines[:3]
    for heading, first in (("刘忻市长主抓重点工作", "1\t"), ("胡伟副市长牵头重点工作", "99\t")):
        at = lines.index(heading)
        assert lines[at + 1].startswith("序号\t")
        assert lines[at + 2].startswith(first)
    assert not [line for line in lines if line.startswith("\t")]  # no orphaned rest of a row


def test_repeated_header_rows_do_not_break_the_rows(subset):
    extraction = extract_bytes(table_pdf(subset, repeat_header=True), "progress.pdf").extraction
    reference = extract_bytes(progress_text(subset).encode(), "progress.txt").extraction
    assert [_fields(t) for t in extraction.tasks] == [_fields(t) for t in reference.tasks]


def test_prose_pdf_takes_no_table_path(monkeypatch):
    report = text_pdf(blocks("hangzhou-2022-work-report.txt"))

    def no_tables(self, index):
        raise AssertionError(f"page {index + 1} of a prose PDF went to pdfplumber")

    monkeypatch.setattr(pdf_tables.TableReader, "_layout", no_tables)
    pdf = pdfium.PdfDocument(report)
    try:
        bare = []
        for page in pdf:
            textpage = page.get_textpage()
            bare.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            assert not has_ruling(page, thorough=True)
            textpage.close()
    finally:
        pdf.close()
    read = extract_bytes(report, "report.pdf")
    assert read.pages == len(bare)
    assert read.extraction.facts == analyse_pages(bare, source_name="report.pdf").facts


def test_every_table_page_shows_a_grid(subset_pdf):
    pdf = pdfium.PdfDocument(subset_pdf)
    try:
        assert all(has_ruling(pdf[i], thorough=True) for i in range(len(pdf)))
    finally:
        pdf.close()


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        ("深入落实全面从严治党主体\n责任，扎实推进", "深入落实全面从严治党主体责任，扎实推进"),
        ("1. 持续推动\n2. 专题研究", "1. 持续推动2. 专题研究"),
        ("eWTP 示范区\n建设", "eWTP 示范区建设"),
        ("the Digital Silk\nRoad", "the Digital Silk Road"),
        ("增长 9.33%和\n16.06%", "增长 9.33%和16.06%"),
        ("a\tb\n\n", "a b"),
        ("", ""),
    ],
)
def test_cell_lines_join(lines, joined):
    assert join_cell_lines(lines) == joined


def test_a_row_broken_over_three_pages_comes_back_whole():
    header = ["序号", "重点工作", "牵头单位", "进展情况"]
    pages = [
        PageLayout(["某某市长主抓重点工作", [header, ["1", "任务一", "市发改委", "第一部分"]]]),
        PageLayout([[["", "", "", "第二部分"]], "— 2 —"]),
        PageLayout([[header, ["", "", "", "第三部分"], ["2", "任务二", "市财政局", "完成"]], "— 3 —"]),
    ]
    join_continued_rows(pages)
    assert pages[0].items[1][1] == ["1", "任务一", "市发改委", "第一部分第二部分第三部分"]
    assert pages[1].items == ["— 2 —"]
    assert pages[2].items[0] == [["2", "任务二", "市财政局", "完成"]]


def test_a_new_table_after_a_text_page_continues_nothing():
    header = ["序号", "重点工作", "牵头单位"]
    pages: list = [
        PageLayout([[header, ["1", "任务一", "市发改委"]]]),
        "正文一页\n",
        PageLayout([[["", "备注", "无"]]]),
    ]
    join_continued_rows(pages)
    assert pages[0].items[0][-1] == ["1", "任务一", "市发改委"]
    assert pages[2].items[0] == [["", "备注", "无"]]
