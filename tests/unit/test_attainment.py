"""Target against actual: qualifiers, ranges, ceilings, declines, units, which actual counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhibiao.domain.attainment import (
    ABOUT_TOLERANCE_POINTS,
    MET,
    MISSED,
    NOT_COMPARABLE,
    NOT_YET,
    attainment_items,
    judge,
    order_key,
    pick_actual,
    position,
)
from zhibiao.domain.units import convert, split_scale


def target(value, qualifier=None, *, value_max=None, unit="%", indicator="gdp", measure="growth", **kw):
    return {
        "indicator": indicator,
        "measure": measure,
        "value": value,
        "value_max": value_max,
        "unit": unit,
        "qualifier": qualifier,
        "period": "2022",
        "document_id": "t",
        "doc_year": 2022,
        **kw,
    }


def actual(value, unit="%", **kw):
    return {
        "value": value,
        "unit": unit,
        "document_id": "a",
        "doc_year": 2023,
        "review_year": 2022,
        "estimated": False,
        "id": 1,
        **kw,
    }


@pytest.mark.parametrize(
    ("tgt", "act", "status"),
    [
        (target(6.5, "at_least"), actual(1.5), MISSED),  # Hangzhou 2022: 6.5%以上 vs 1.5%
        (target(5, "at_least"), actual(5.2), MET),  # 5%以上 met by 5.2
        (target(5, "at_least"), actual(5.0), MET),
        (target(3, "at_most", indicator="cpi"), actual(2.0), MET),  # 3%以内 met by 2.0
        (target(3, "at_most", indicator="cpi"), actual(3.1), MISSED),
        (target(6.5, "about"), actual(6.1), MET),  # 6.5%左右: within half a point
        (target(6.5, "about"), actual(7.4), MET),  # beyond it on the good side
        (target(6.5, "about"), actual(5.9), MISSED),
        (target(3, "about", indicator="cpi"), actual(0.2), MET),  # a price ceiling: below is fine
        (target(3, "about", indicator="cpi"), actual(3.6), MISSED),
        (target(6, None, value_max=6.5), actual(6.2), MET),  # 6%-6.5%
        (target(6, None, value_max=6.5), actual(5.8), MISSED),
        (target(6.5), actual(6.5), MET),  # no qualifier: a floor
        (target(6.5), actual(6.4), MISSED),
        (target(5.5, None, indicator="urban_surveyed_unemployment_rate", measure="value"), actual(5.6), MISSED),
        (target(-3.4, "at_least", indicator="energy_intensity"), actual(-3.7), MET),  # 下降3.4%以上
        (target(-3.4, "at_least", indicator="energy_intensity"), actual(-2.0), MISSED),
        (target(2.5, None, unit="万亿元", measure="value"), actual(25300, unit="亿元"), MET),
        (target(2.5, None, unit="万亿元", measure="value"), actual(24000, unit="亿元"), MISSED),
        (target(100, "about", unit="亿元", measure="value"), actual(98.5, unit="亿元"), MET),  # 2 % of an amount
        (target(100, "about", unit="亿元", measure="value"), actual(97, unit="亿元"), MISSED),
        (target(6.5, "at_least"), None, NOT_YET),
        (target(2.5, None, unit="万亿元", measure="value"), actual(3.0, unit="%"), NOT_COMPARABLE),
    ],
)
def test_verdicts(tgt, act, status):
    assert judge(tgt, act).status == status


def test_gap_and_rule_are_in_the_targets_terms():
    v = judge(target(6.5, "at_least"), actual(1.5))
    assert (v.gap, v.rule) == (-5.0, "≥ 6.5%")
    v = judge(target(2.5, None, unit="万亿元", measure="value"), actual(18753, unit="亿元"))
    assert v.actual_value == pytest.approx(1.8753) and v.gap == pytest.approx(-0.6247)
    assert judge(target(6.5, "about"), None).rule == f"≥ {6.5 - ABOUT_TOLERANCE_POINTS:g}%（6.5%左右）"


@pytest.mark.parametrize(
    ("tgt", "rule", "direction", "met_by", "missed_by"),
    [
        # the national CPI 2023: 3%左右 is a ceiling, so 0.2 meets it and the rule says so
        (target(3, "about", indicator="cpi"), "≤ 3.5%（3%左右，上限）", "ceiling", 0.2, 3.6),
        (target(6, "about"), "≥ 5.5%（6%左右）", "floor", 5.5, 5.4),
        (
            target(5.5, "about", indicator="urban_surveyed_unemployment_rate", measure="value"),
            "≤ 6%（5.5%左右，上限）",
            "ceiling",
            5.2,
            6.1,
        ),
        (target(6, None, value_max=6.5), "≥ 6%（6–6.5%）", "floor", 6.0, 5.9),
        (target(2, None, value_max=3, indicator="cpi"), "≤ 3%（2–3%，上限）", "ceiling", 3.0, 3.1),
        (target(3, "at_most", indicator="cpi"), "≤ 3%", "ceiling", 3.0, 3.01),
        (target(-3.4, "at_least", indicator="energy_intensity"), "≤ -3.4%", "ceiling", -3.4, -3.3),
    ],
)
def test_the_rule_shown_is_the_comparison_made(tgt, rule, direction, met_by, missed_by):
    """What the rule says decides the verdict: a number on its good side meets it, one past it misses."""
    assert (judge(tgt, None).rule, judge(tgt, None).direction) == (rule, direction)
    assert judge(tgt, actual(met_by)).status == MET and judge(tgt, actual(missed_by)).status == MISSED


def stored_target(value, qualifier=None, **kw):
    """A target as attainment_items reads it: a fact row with its document's fields."""
    return {
        **target(value, qualifier, kind="target", region="杭州市", **kw),
        "estimated": False,
        "strive": False,
        "quote": "",
        "start": 0,
        "end": 1,
        "indicator_label": "地区生产总值",
    }


def test_a_target_without_an_actual_says_whether_a_later_report_is_loaded():
    fact = stored_target(6.5, "at_least", id=1, source_name="h2022", review_year=2021)
    h2023 = {"region": "杭州市", "review_year": 2022, "source_name": "h2023", "document_id": "a"}
    [alone] = attainment_items([fact])
    assert (alone["status"], alone["unreported"], alone["later_reports"]) == (NOT_YET, "no_later_report", [])
    [stated_nowhere] = attainment_items([fact], [h2023, {**h2023, "region": "宁波市", "source_name": "nb"}])
    assert (stated_nowhere["unreported"], stated_nowhere["later_reports"]) == ("not_stated", ["h2023"])
    too_early = {**h2023, "review_year": 2021, "source_name": "h2022b"}
    assert attainment_items([fact], [too_early])[0]["unreported"] == "no_later_report"


def test_items_stand_in_one_strict_order_a_page_cursor_can_hold():
    def fact(fact_id, period, document_id):
        return stored_target(6, id=fact_id, period=period, document_id=document_id, source_name=document_id)

    facts = [fact("f3", "2021-2025", "p"), fact("f2", "2025", "c"), fact("f9", "2022", "b"), fact("f1", "2022", "a")]
    items = attainment_items(facts)
    assert [(i["period"], i["target"]["fact_id"]) for i in items] == [
        ("2022", "f1"),
        ("2022", "f9"),
        ("2025", "f2"),
        ("2021-2025", "f3"),  # a span after the year it ends in
    ]
    keys = [order_key(position(i)) for i in items]
    assert keys == sorted(set(keys))  # no two items share a position


@given(st.floats(0, 50), st.floats(-50, 50))
def test_a_floor_and_a_ceiling_never_agree_on_a_strict_miss(t, a):
    floor = judge(target(t, "at_least"), actual(a)).status
    ceiling = judge(target(t, "at_most"), actual(a)).status
    assert (floor == MET) or (ceiling == MET)


def test_units_convert_by_their_scale_words():
    assert convert(18109, "亿元", "万亿元") == pytest.approx(1.8109)
    assert convert(3, "万人", "人") == 30000
    assert convert(1, "亿元", "%") is None and convert(1, "个百分点", "%") is None
    assert split_scale("万亿元") == (1e12, "元") and split_scale("万人") == (1e4, "人") and split_scale("%") == (1, "%")


def test_the_final_figure_of_the_reviewing_report_is_preferred():
    t = target(6.5, "at_least")
    same_doc = actual(9.9, document_id="t", id=5)
    estimate = actual(2.0, estimated=True, id=2, doc_year=2023)
    final = actual(1.5, id=3, doc_year=2023)
    later = actual(1.6, id=4, doc_year=2024, review_year=2023)
    assert pick_actual(t, [same_doc, estimate, later, final])["id"] == 3
    assert pick_actual(t, [same_doc]) is None
    assert pick_actual(t, [actual(1.0, doc_year=2021, id=9)]) is not None  # falls back rather than report nothing
