"""The indicator catalogue: gold codes kept, names resolve, the gateway listing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zhibiao.domain import indicators

GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "gold" / "indicators.tsv"
GOLD_CODES = [
    "gdp",
    "gdp_per_capita",
    "general_budget_revenue",
    "fiscal_revenue_total",
    "disposable_income",
    "urban_disposable_income",
    "rural_disposable_income",
    "urban_rural_income_ratio",
    "rd_intensity",
    "fixed_asset_investment",
    "manufacturing_investment",
    "industrial_investment",
    "high_tech_industry_investment",
    "retail_sales",
    "exports",
    "imports",
    "foreign_trade",
    "actual_foreign_investment",
    "industrial_value_added",
    "industrial_value_added_above_scale",
    "services_value_added",
    "agricultural_value_added",
    "secondary_industry_value_added",
    "digital_economy_core_value_added",
    "digital_economy_core_revenue",
    "cpi",
    "urban_surveyed_unemployment_rate",
    "urban_registered_unemployment_rate",
    "new_urban_jobs",
    "grain_output",
    "urbanization_rate",
    "energy_intensity",
]


def test_every_gold_code_is_in_the_catalogue():
    assert set(GOLD_CODES) <= set(indicators.catalogue())


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold not beside the repo")
def test_catalogue_keeps_the_shared_gold_codes():
    with GOLD.open(encoding="utf-8") as fh:
        codes = {row["code"] for row in csv.DictReader(fh, delimiter="\t")}
    assert codes <= set(indicators.catalogue())


@pytest.mark.parametrize(
    ("form", "code", "measure"),
    [
        ("地区生产总值", "gdp", None),
        ("国内生产总值", "gdp", None),
        ("GDP", "gdp", None),
        ("经济增长", "gdp", "growth"),
        ("人均GDP", "gdp_per_capita", None),
        ("一般公共预算支出", "general_budget_expenditure", None),
        ("赤字率", "deficit_ratio", None),
        ("专项债券", "special_bonds", None),
        ("民间投资", "private_investment", None),
        ("基础设施投资", "infrastructure_investment", None),
        ("网络零售额", "online_retail", None),
        ("制造业增加值", "manufacturing_value_added", None),
        ("战略性新兴产业增加值", "strategic_emerging_value_added", None),
        ("高技术产业增加值", "high_tech_value_added", None),
        ("规模以上工业增加值", "industrial_value_added_above_scale", None),
        ("研究与试验发展经费支出与地区生产总值之比", "rd_intensity", None),
        ("全社会研发投入经费支出与地区生产总值之比", "rd_intensity", None),
        ("城镇登记失业率", "urban_registered_unemployment_rate", None),
        ("收入倍差", "urban_rural_income_ratio", None),
        ("单位GDP能耗", "energy_intensity", None),
        ("常住人口城镇化率", "urbanization_rate", None),
        ("农民人均纯收入", "rural_net_income", None),
    ],
)
def test_lookup(form, code, measure):
    assert indicators.lookup(form) == (code, measure)


def test_catalogue_rows_are_well_formed():
    for ind in indicators.catalogue().values():
        assert ind.measure in indicators.MEASURES and ind.unit_kind in indicators.UNIT_KINDS
        assert ind.aliases and ind.name


def test_no_form_names_two_indicators():
    seen = {}
    for ind in indicators.catalogue().values():
        for alias in ind.aliases:
            form = alias.lstrip("~").split("[")[0]
            assert seen.setdefault(form, ind.code) == ind.code, form


def test_listing_for_the_gateway():
    listing = indicators.list_indicators()
    gdp = next(row for row in listing if row["code"] == "gdp")
    assert gdp["name"] == "地区生产总值"
    assert "国内生产总值" in gdp["aliases"] and "经济增长" in gdp["aliases"]
    assert all(set(row) == {"code", "name", "aliases"} for row in listing)


def test_longest_form_wins():
    found = indicators.find_mentions("人均地区生产总值和规上工业增加值")
    assert [(m.code, m.label) for m in found] == [
        ("gdp_per_capita", "人均地区生产总值"),
        ("industrial_value_added_above_scale", "规上工业增加值"),
    ]
