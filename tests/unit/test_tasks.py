"""Key tasks of the Hangzhou 2020 supervision table, against the gold rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from structure_corpus import cleaned

from zhibiao.domain.tasks import extract_tasks, split_units

GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "gold" / "tasks.jsonl"
TABLE = "hangzhou-2020-h1-key-tasks-progress.md"


@pytest.fixture(scope="module")
def tasks():
    return {task.number: task for task in extract_tasks(cleaned(TABLE))}


def test_every_row_is_a_task(tasks) -> None:
    assert sorted(tasks) == list(range(1, 144))
    assert all(t.text and t.lead_units and t.leader and t.progress and t.next_steps for t in tasks.values())
    assert {t.leader for t in tasks.values()} == {
        "刘忻",
        "戴建平",
        "柯吉欣",
        "缪承潮",
        "王宏",
        "胡伟",
        "陈国妹",
        "陈卫强",
    }


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold not beside the repository")
def test_gold_rows(tasks) -> None:
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        task = tasks[gold["number"]]
        assert task.lead_units == gold["lead_units"]
        assert task.leader == gold["leader"]
        assert task.text.startswith(gold["task_starts"])


def test_a_row_in_full(tasks) -> None:
    task = tasks[142]
    assert task.text == "加快建设国际医院。"
    assert task.lead_units == ["市卫健委"]
    assert task.progress == "制定了国际化医院评审操作指南，完成对申报的20家医院的初评工作。"
    assert task.next_steps == "拟遴选并组建国际化医院审核专家组。"


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("市发改委、市经信局", ["市发改委", "市经信局"]),
        ("市发改委，市经信局;市商务局", ["市发改委", "市经信局", "市商务局"]),
        ("市钱江新城管委会(市钱江新城指挥部)", ["市钱江新城管委会(市钱江新城指挥部)"]),
        ("市园文局（市运河综保委、市西湖办）", ["市园文局（市运河综保委、市西湖办）"]),
        ("杭州高新开发区(滨江)管委会、政府", ["杭州高新开发区(滨江)管委会", "杭州高新开发区(滨江)政府"]),
    ],
)
def test_split_units(cell: str, want: list[str]) -> None:
    assert split_units(cell) == want


def test_columns_follow_the_header_row() -> None:
    text = "张三副市长牵头重点工作\n序号\t牵头单位\t重点工作\t进展情况\n3\t市财政局\t压减三公经费。\t已完成\n"
    (task,) = extract_tasks(text)
    assert (task.number, task.text, task.lead_units, task.leader, task.progress, task.next_steps) == (
        3,
        "压减三公经费。",
        ["市财政局"],
        "张三",
        "已完成",
        None,
    )
