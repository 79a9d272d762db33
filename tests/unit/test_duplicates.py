"""Copies of one report: near-identical text whatever the line breaks; fragments belong to the whole."""

from __future__ import annotations

from datetime import UTC, datetime

from zhibiao.domain.duplicates import Copy, containment, groups, shingles

REPORT = "".join(
    f"第{i}项工作：全市地区生产总值增长{i % 9}.5%，新增就业{i}万人，城乡居民收入稳步提高。" for i in range(60)
)


def test_line_breaks_and_spaces_do_not_count():
    assert containment(shingles(REPORT), shingles(REPORT.replace("。", "。\n\n  "))) == 1.0


def test_another_report_is_not_a_copy():
    other = "".join(f"第{i}条：推进乡村振兴，建设高标准农田{i}万亩，粮食产量保持稳定。" for i in range(60))
    assert containment(shingles(REPORT), shingles(other)) < 0.2
    assert containment(shingles(""), shingles(REPORT)) == 0.0


def test_the_most_complete_copy_is_served_then_the_first_received():
    early, late = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    fragment = Copy("frag", REPORT[: len(REPORT) // 3], early)
    full_txt = Copy("txt", REPORT, late)
    full_pdf = Copy("pdf", REPORT.replace("。", "。\n"), early)
    unrelated = Copy("other", "全然不同的一份报告。" * 40, early)
    found = sorted(([c.id for c in g] for g in groups([fragment, full_txt, full_pdf, unrelated])), key=len)
    assert found == [["other"], ["pdf", "txt", "frag"]]
