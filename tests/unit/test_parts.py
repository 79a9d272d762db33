"""The one review/plan classifier: headings from the corpus, bare part headings, and bodies
whose heading says neither. Each row is tagged with the report it is taken from."""

from __future__ import annotations

import pytest

from zhibiao.domain import parts
from zhibiao.domain.facts import extract_facts
from zhibiao.domain.model import DocumentMeta
from zhibiao.domain.sections import parse_sections


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("2024年工作回顾", "2024年工作回顾"),  # breadth/sichuan-2025
        ("2025年工作安排建议", "2025年工作安排建议"),  # breadth/sichuan-2025
        ("“十四五”时期发展成就和2025年工作回顾", "“十四五”时期发展成就和2025年工作回顾"),  # breadth/neimenggu-2026
        ("“十五五”时期主要目标和2026年重点工作", "“十五五”时期主要目标和2026年重点工作"),  # breadth/neimenggu-2026
        ("2021年及过去五年工作回顾", "2021年及过去五年工作回顾"),  # hangzhou-2022 (number lost)
        ("“十四五”时期工作回顾", "“十四五”时期工作回顾"),
        ("工作回顾", "工作回顾"),
        ("2024年经济社会发展总体要求和政策取向", "2024年经济社会发展总体要求和政策取向"),  # national-2024 unnumbered
        ("对今年政府工作的建议", "对今年政府工作的建议"),  # national-2023 unnumbered
        ("2014年工作总体部署", "2014年工作总体部署"),  # national-2014 unnumbered
        ("2018年工作回顾2018年，面对严峻复杂的经济形势", "2018年工作回顾"),  # zhumadian-2019: glued to its paragraph
        ("主要目标", None),  # breadth/guangdong-2026: a sub-heading inside the plan
        ("加强政府自身建设", None),
        ("2024年，全省地区生产总值增长5.4%。", None),
        ("序号\t2020年重点工作\t牵头单位\t进展情况", None),  # hangzhou-2020-h1 table header
    ],
)
def test_bare_part_headings(line, heading):
    assert parts.bare_part_heading(line) == heading


@pytest.mark.parametrize(
    ("heading", "plan_year", "part"),
    [
        ("2024年工作回顾", 2025, "review"),
        ("2025年和“十四五”时期工作回顾", 2026, "review"),  # breadth/chongqing-2026
        ("“十五五”时期目标任务和2026年工作安排", 2026, "plan"),  # breadth/liaoning-2026
        ("2019年和今年以来工作回顾", 2020, "review"),  # 回顾 wins over 今年
        ("对今年政府工作的建议", 2023, "plan"),  # national-2023
        ("关于2025年工作", 2025, "plan"),  # breadth/hunan-2025
        ("2025年10件惠民实事", 2025, "plan"),  # breadth/yunnan-2025
        ("牢记殷殷嘱托，在接续奋斗中取得新成效", 2025, None),  # neither: the body decides
        ("全面加强政府自身建设", 2021, None),
    ],
)
def test_heading_part(heading, plan_year, part):
    assert parts.heading_part(heading, plan_year) == part


REVIEW_BODY = (  # gaoyang-2019, 2018年工作回顾
    "过去的一年，是高阳发展进程中极不平凡的一年。一年来，我们坚持稳中求进工作总基调，"
    "全县生产总值完成了95.6亿元，比上年增长6.5%；一般公共预算收入完成了6.1亿元，同比增长12.3%。"
)
PLAN_BODY = (  # breadth/jilin-2025, 2025年工作安排
    "今年经济社会发展的主要预期目标是：地区生产总值增长5.5%左右。要坚持稳中求进，必须把握好以下原则，"
    "确保粮食产量稳定在850亿斤以上，力争城镇新增就业20万人。"
)


def test_body_part_reads_past_results_and_goals_ahead():
    assert parts.body_part(REVIEW_BODY) == "review"
    assert parts.body_part(PLAN_BODY) == "plan"
    assert parts.body_part("深化改革开放。") is None


META = DocumentMeta(doc_type="work_report", region="内蒙古自治区", review_year=2025, plan_year=2026)


def test_a_report_of_bare_part_headings_has_both_parts():
    # breadth/neimenggu-2026: no 一、 before the parts, numbered items only inside the plan
    text = (
        "各位代表：\n“十四五”时期发展成就和2025年工作回顾\n经济总量达到2.67万亿元。\n"
        "“十五五”时期主要目标和2026年重点工作\n今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n"
        "一、把铸牢中华民族共同体意识作为民族地区各项工作的主线\n城镇新增就业18万人以上。\n"
    )
    outline = parse_sections(text, META)
    assert [(s.heading, s.part, s.level) for s in outline] == [
        ("“十四五”时期发展成就和2025年工作回顾", "review", 1),
        ("“十五五”时期主要目标和2026年重点工作", "plan", 1),
        ("把铸牢中华民族共同体意识作为民族地区各项工作的主线", "plan", 2),
    ]
    found = {(f.indicator, f.period, f.kind, f.value) for f in extract_facts(text, outline, META)}
    assert found == {
        ("gdp", "2025", "actual", 2.67),
        ("gdp", "2026", "target", 5.0),
        ("new_urban_jobs", "2026", "target", 18.0),
    }


def test_a_review_whose_heading_says_neither_is_read_from_its_body():
    meta = DocumentMeta(doc_type="work_report", region="保定市高阳县", review_year=2018, plan_year=2019)
    text = f"各位代表：\n一、牢记殷殷嘱托，在接续奋斗中取得新成效\n{REVIEW_BODY}\n二、2019年工作安排\n{PLAN_BODY}\n"
    outline = parse_sections(text, meta)
    assert [s.part for s in outline if s.level == 1] == ["review", "plan"]
    found = {(f.indicator, f.period, f.kind, f.measure) for f in extract_facts(text, outline, meta)}
    assert ("gdp", "2018", "actual", "value") in found
    assert ("gdp", "2019", "target", "growth") in found


def test_a_first_section_that_says_nothing_gets_no_part_and_no_facts():
    meta = DocumentMeta(doc_type="work_report", region="杭州市", review_year=2019, plan_year=2020)
    text = "各位代表：\n一、深化改革开放\n地区生产总值增长6.8%。\n"
    assert extract_facts(text, parse_sections(text, meta), meta) == []
