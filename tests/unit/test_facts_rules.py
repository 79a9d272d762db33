"""Every named link rule earns its place: its corpus sentence gives the fact with the rule
and loses it without."""

from __future__ import annotations

import pytest

from zhibiao.domain import facts, facts_rules
from zhibiao.domain.model import DocumentMeta
from zhibiao.domain.sections import parse_sections

META = DocumentMeta(doc_type="work_report", region="杭州市", review_year=2019, plan_year=2020)


def figures(sentence: str) -> set[tuple]:
    text = f"一、2019年工作回顾\n{sentence}\n二、2020年目标任务和重点工作\n"
    return {(f.indicator, f.measure, f.value) for f in facts.extract_facts(text, parse_sections(text, META), META)}


@pytest.mark.parametrize("rule", facts_rules.LINK_RULES, ids=lambda r: r.name)
def test_each_link_rule_is_needed_by_its_sentence(rule, monkeypatch):
    assert rule.expect in figures(rule.example), rule.source
    others = tuple(r for r in facts_rules.LINK_RULES if r is not rule)
    monkeypatch.setattr(facts, "_LINK", facts_rules.link_pattern(others))
    assert rule.expect not in figures(rule.example), f"{rule.name} is not what links {rule.example}"


def test_rule_names_are_unique():
    names = [r.name for r in facts_rules.LINK_RULES]
    assert len(names) == len(set(names))
