"""Facts from real report sentences, one table per shape. The sentences are from the
corpus (../shared/corpus); each row was checked by hand against its report."""

from __future__ import annotations

import pytest

from zhibiao.domain.facts import extract_facts
from zhibiao.domain.model import DocumentMeta, Section
from zhibiao.domain.sections import parse_sections

META = DocumentMeta(doc_type="work_report", region="杭州市", review_year=2019, plan_year=2020)


def report(review: str = "", plan: str = "") -> str:
    return f"一、2019年工作回顾\n{review}\n二、2020年目标任务和重点工作\n{plan}\n"


def facts_of(text: str, meta: DocumentMeta = META, sections: list[Section] | None = None) -> set[tuple]:
    # the outline production builds, so the facts tests exercise the one part classifier
    found = extract_facts(text, parse_sections(text, meta) if sections is None else sections, meta)
    for f in found:
        assert text[f.start : f.end] == f.quote
    return {(f.indicator, f.period, f.kind, f.measure, f.value, f.value_max, f.unit, f.qualifier) for f in found}


def review(sentence: str) -> set[tuple]:
    return facts_of(report(review=sentence))


def plan(sentence: str) -> set[tuple]:
    return facts_of(report(plan=sentence))


A, T = "actual", "target"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "全市地区生产总值完成 15373 亿元、增长 6.8%,总量排名全国城市第 9、较上年前进 1 位。",
            {
                ("gdp", "2019", A, "value", 15373, None, "亿元", None),
                ("gdp", "2019", A, "growth", 6.8, None, "%", None),
            },
        ),
        (
            "规上工业增加值 4198 亿 元、增长 0. 3%。",  # PDF spaces left in
            {
                ("industrial_value_added_above_scale", "2019", A, "value", 4198, None, "亿元", None),
                ("industrial_value_added_above_scale", "2019", A, "growth", 0.3, None, "%", None),
            },
        ),
        (
            "国内生产总值达到67.7万亿元，增长6.9%，在世界主要经济体中位居前列。",  # national-2016
            {
                ("gdp", "2019", A, "value", 67.7, None, "万亿元", None),
                ("gdp", "2019", A, "growth", 6.9, None, "%", None),
            },
        ),
        (
            "社会消费品零售总额预计完成84亿元，预计同比增长19.2%。",  # hailar-2012
            {
                ("retail_sales", "2019", A, "value", 84, None, "亿元", None),
                ("retail_sales", "2019", A, "growth", 19.2, None, "%", None),
            },
        ),
    ],
)
def test_level_and_growth(sentence, expected):
    assert review(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "数字经济核心产业增加值4905亿元、增长11.5%,占GDP比重27.1%。",
            {
                ("digital_economy_core_value_added", "2019", A, "value", 4905, None, "亿元", None),
                ("digital_economy_core_value_added", "2019", A, "growth", 11.5, None, "%", None),
                ("digital_economy_core_value_added", "2019", A, "share", 27.1, None, "%", None),
            },
        ),
        (
            "出口首破5000亿元大关、达5141亿元,占全国比重2.15%。",  # a threshold is not the figure
            {
                ("exports", "2019", A, "value", 5141, None, "亿元", None),
                ("exports", "2019", A, "share", 2.15, None, "%", None),
            },
        ),
        (
            "服务业增加值比重达到46.1%，首次超过第二产业。",  # national-2014
            {("services_value_added", "2019", A, "share", 46.1, None, "%", None)},
        ),
    ],
)
def test_share(sentence, expected):
    assert review(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "一般公共预算收入增长 7.7%,城乡居民人均可支配收入分别增长 8%和 9.2%。",
            {
                ("general_budget_revenue", "2019", A, "growth", 7.7, None, "%", None),
                ("urban_disposable_income", "2019", A, "growth", 8, None, "%", None),
                ("rural_disposable_income", "2019", A, "growth", 9.2, None, "%", None),
            },
        ),
        (
            "城乡居民人均可支配收入分别为77043元和45183元,分别增长3.1%和5.8%。",
            {
                ("urban_disposable_income", "2019", A, "value", 77043, None, "元", None),
                ("rural_disposable_income", "2019", A, "value", 45183, None, "元", None),
                ("urban_disposable_income", "2019", A, "growth", 3.1, None, "%", None),
                ("rural_disposable_income", "2019", A, "growth", 5.8, None, "%", None),
            },
        ),
        (
            "全年基础设施、制造业投资分别增长9.4%、9.1%，带动固定资产投资增长5.1%。",  # national-2023
            {
                ("infrastructure_investment", "2019", A, "growth", 9.4, None, "%", None),
                ("manufacturing_investment", "2019", A, "growth", 9.1, None, "%", None),
                ("fixed_asset_investment", "2019", A, "growth", 5.1, None, "%", None),
            },
        ),
        (
            "城乡居民人均可支配收入完成2.57万元和1.68万元，分别增长9%和9.8%。",  # gaoyang-2018
            {
                ("urban_disposable_income", "2019", A, "value", 2.57, None, "万元", None),
                ("rural_disposable_income", "2019", A, "value", 1.68, None, "万元", None),
                ("urban_disposable_income", "2019", A, "growth", 9, None, "%", None),
                ("rural_disposable_income", "2019", A, "growth", 9.8, None, "%", None),
            },
        ),
        # a coordination we cannot read is left alone, not pinned on its last member
        ("先进制造业、高技术制造业增加值占规模以上工业比重分别提高到56.7%、31.6%。", set()),
    ],
)
def test_distribution_in_review(sentence, expected):
    assert review(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "城镇、农村居民人均可支配收入分别增长 7.5%和 8.5%。",
            {
                ("urban_disposable_income", "2020", T, "growth", 7.5, None, "%", None),
                ("rural_disposable_income", "2020", T, "growth", 8.5, None, "%", None),
            },
        ),
        (
            "高新产业投资、工业投资分别增长 10%。",
            {
                ("high_tech_industry_investment", "2020", T, "growth", 10, None, "%", None),
                ("industrial_investment", "2020", T, "growth", 10, None, "%", None),
            },
        ),
        (
            "城镇调查失业率和城镇登记失业率分别控制在5.5%和4.5%以内。",  # zhumadian-2019
            {
                ("urban_surveyed_unemployment_rate", "2020", T, "value", 5.5, None, "%", "at_most"),
                ("urban_registered_unemployment_rate", "2020", T, "value", 4.5, None, "%", "at_most"),
            },
        ),
        (
            # unit and qualifier written on the last item hold for all (fuping-2021: 分别增长9%和10%以上)
            "城乡居民人均可支配收入分别增长7.5、8.5%左右。",
            {
                ("urban_disposable_income", "2020", T, "growth", 7.5, None, "%", "about"),
                ("rural_disposable_income", "2020", T, "growth", 8.5, None, "%", "about"),
            },
        ),
    ],
)
def test_distribution_in_plan(sentence, expected):
    assert plan(sentence) == expected


def test_lost_separators():
    got = review("城乡居民人均可支配收入分别增长8.8%10.3%,高质量完成十件民生实事。")
    assert got == {
        ("urban_disposable_income", "2019", A, "growth", 8.8, None, "%", None),
        ("rural_disposable_income", "2019", A, "growth", 10.3, None, "%", None),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "主要预期目标是:地区生产总值增长 6.5%左右,一般公共预算收入增长 7%左右,全社会研发投入经费支出与地区生产总值之比 3.5%左右。",
            {
                ("gdp", "2020", T, "growth", 6.5, None, "%", "about"),
                ("general_budget_revenue", "2020", T, "growth", 7, None, "%", "about"),
                ("rd_intensity", "2020", T, "value", 3.5, None, "%", "about"),
            },
        ),
        (
            "居民消费价格指数涨幅控制在 3%以内, 城镇调查失业率控制在 5%以内。",
            {
                ("cpi", "2020", T, "growth", 3, None, "%", "at_most"),
                ("urban_surveyed_unemployment_rate", "2020", T, "value", 5, None, "%", "at_most"),
            },
        ),
        (
            "研究与试验发展经费支出与地区生产总值之比保持在10%左右。",  # 左右 wins over 保持在
            {("rd_intensity", "2020", T, "value", 10, None, "%", "about")},
        ),
        (
            "城镇登记失业率控制在5.5%左右。",
            {("urban_registered_unemployment_rate", "2020", T, "value", 5.5, None, "%", "about")},
        ),
        (
            "国内生产总值增长6.5%－7%，居民消费价格涨幅3%左右，城镇新增就业1000万人以上。",  # national-2016
            {
                ("gdp", "2020", T, "growth", 6.5, 7.0, "%", None),
                ("cpi", "2020", T, "growth", 3, None, "%", "about"),
                ("new_urban_jobs", "2020", T, "value", 1000, None, "万人", "at_least"),
            },
        ),
        (
            "经济增长6.5%左右，规上工业增加值增长6.5%。",  # zhumadian-2024: 经济增长 as the subject
            {
                ("gdp", "2020", T, "growth", 6.5, None, "%", "about"),
                ("industrial_value_added_above_scale", "2020", T, "growth", 6.5, None, "%", None),
            },
        ),
        ("单位国内生产总值能耗降低2.5%左右。", {("energy_intensity", "2020", T, "growth", -2.5, None, "%", "about")}),
        (
            "常住人口城镇化率提高1.5个百分点以上。",
            {("urbanization_rate", "2020", T, "growth", 1.5, None, "个百分点", "at_least")},
        ),
        (
            "数字经济核心产业营业收入力争超过 3000 亿元,增速保持在 15%以上。",
            {
                ("digital_economy_core_revenue", "2020", T, "value", 3000, None, "亿元", "at_least"),
                ("digital_economy_core_revenue", "2020", T, "growth", 15, None, "%", "at_least"),
            },
        ),
        (
            "地区生产总值达到240亿元,同比增长21%。",  # hailar-2012: growth plus level in one target
            {("gdp", "2020", T, "value", 240, None, "亿元", None), ("gdp", "2020", T, "growth", 21, None, "%", None)},
        ),
        (
            "地区生产总值增长7%以上、力争达到8%。",  # two bounds
            {("gdp", "2020", T, "growth", 7, None, "%", "at_least"), ("gdp", "2020", T, "growth", 8, None, "%", None)},
        ),
        (
            "城乡居民收入倍差缩小至1.74以内。",
            {("urban_rural_income_ratio", "2020", T, "value", 1.74, None, "", "at_most")},
        ),
        ("居民收入增长和经济增长基本同步。", set()),  # qualitative targets are not figures
        (
            "把居民消费价格涨幅控制在3.5%左右。",  # national-2014: 把 X 控制在
            {("cpi", "2020", T, "growth", 3.5, None, "%", "about")},
        ),
        (
            "今年能源消耗强度要降低3.9%以上，进出口总额预期增长7.5%左右。",  # national-2014: 要, 预期
            {
                ("energy_intensity", "2020", T, "growth", -3.9, None, "%", "at_least"),
                ("foreign_trade", "2020", T, "growth", 7.5, None, "%", "about"),
            },
        ),
        (  # zhumadian-2024: a short name opening one more clause of a list of targets
            "一般公共预算收入增长5.5%，进出口增长3%以上，出口增长6%。",
            {
                ("general_budget_revenue", "2020", T, "growth", 5.5, None, "%", None),
                ("foreign_trade", "2020", T, "growth", 3, None, "%", "at_least"),
                ("exports", "2020", T, "growth", 6, None, "%", None),
            },
        ),
        ("积极开拓国际市场，出口增长6%。", set()),  # a short name with no list before it: not sure whose
        (
            "赤字率拟按3%安排。拟安排地方政府专项债券3.9万亿元、比上年增加1000亿元。",  # national-2024
            {
                ("deficit_ratio", "2020", T, "value", 3, None, "%", None),
                ("special_bonds", "2020", T, "value", 3.9, None, "万亿元", None),
            },
        ),
    ],
)
def test_targets(sentence, expected):
    assert plan(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # gaoyang-2018: 规模以上工业企业 is a class of firms, not a body of its own
            "新增规模以上工业企业30家，规模以上工业增加值增长9.2%；固定资产投资增长13.5%。",
            {
                ("industrial_value_added_above_scale", "2019", A, "growth", 9.2, None, "%", None),
                ("fixed_asset_investment", "2019", A, "growth", 13.5, None, "%", None),
            },
        ),
        (  # sichuan-2026: the region acts on its towns; the rate is its own
            "完成乡镇行政区划和村级建制调整改革，常住人口城镇化率突破60%，城乡居民收入比降至2.2。",
            {
                ("urbanization_rate", "2019", A, "value", 60, None, "%", "at_least"),
                ("urban_rural_income_ratio", "2019", A, "value", 2.2, None, "", None),
            },
        ),
        (  # hailar-2012: 地方财政总收入 is the local level's share, not 财政总收入 (given apart)
            "财政总收入完成29亿元；地方财政总收入完成16亿元，同比增长23.2%；工业固定资产投资完成93.1亿元。",
            {
                ("fiscal_revenue_total", "2019", A, "value", 29, None, "亿元", None),
                ("industrial_investment", "2019", A, "value", 93.1, None, "亿元", None),
            },
        ),
        (
            "进出口总额突破4万亿美元，再上新台阶。",  # national-2014
            {("foreign_trade", "2019", A, "value", 4, None, "万亿美元", "at_least")},
        ),
        (  # levels listed one by one, then 分别 for their growth
            "城镇居民人均可支配收入35000元、农村居民人均可支配收入16000元，分别增长8.1%和9.2%。",
            {
                ("urban_disposable_income", "2019", A, "value", 35000, None, "元", None),
                ("rural_disposable_income", "2019", A, "value", 16000, None, "元", None),
                ("urban_disposable_income", "2019", A, "growth", 8.1, None, "%", None),
                ("rural_disposable_income", "2019", A, "growth", 9.2, None, "%", None),
            },
        ),
        (  # a growth before the level is not one of the listed levels: no pairing guessed
            "固定资产投资增长10%，城镇居民人均可支配收入35000元，分别增长8.1%和9.2%。",
            {
                ("fixed_asset_investment", "2019", A, "growth", 10, None, "%", None),
                ("urban_disposable_income", "2019", A, "value", 35000, None, "元", None),
            },
        ),
        (
            "一般公共预算收入完成182.3亿元，同口径增长9.1%；地区生产总值首次突破千亿元大关，达到1020亿元。",
            {
                ("general_budget_revenue", "2019", A, "value", 182.3, None, "亿元", None),
                ("general_budget_revenue", "2019", A, "growth", 9.1, None, "%", None),
                ("gdp", "2019", A, "value", 1020, None, "亿元", None),
            },
        ),
        ("一般公共预算收入剔除减税降费因素同口径增长9%。", set()),  # an adjusted rate, not the headline
        (
            "财政一般公共预算收入完成210亿元；研发经费支出占GDP比重达到2.5%；万元生产总值能耗下降3%。",
            {
                ("general_budget_revenue", "2019", A, "value", 210, None, "亿元", None),
                ("rd_intensity", "2019", A, "value", 2.5, None, "%", None),
                ("energy_intensity", "2019", A, "growth", -3, None, "%", None),
            },
        ),
    ],
)
def test_results(sentence, expected):
    assert review(sentence) == expected


def test_local_revenue_in_the_national_report_is_the_provinces_together():
    national = DocumentMeta(doc_type="work_report", region="全国", review_year=2019, plan_year=2020)
    assert facts_of(report(review="地方财政总收入完成16亿元。"), national) == set()
    assert facts_of(report(review="地方财政总收入完成16亿元。")) == set()


def test_flags_estimated_and_strive():
    found = extract_facts(
        report(
            review="全社会研发投入强度预计 3. 75%。",
            plan="固定资产投资增长 6%,制造业投资增长 15%,力争工业投资 1100 亿元。",
        ),
        parse_sections(
            report(
                review="全社会研发投入强度预计 3. 75%。",
                plan="固定资产投资增长 6%,制造业投资增长 15%,力争工业投资 1100 亿元。",
            ),
            META,
        ),
        META,
    )
    flags = {(f.indicator, f.estimated, f.strive) for f in found}
    assert flags == {
        ("rd_intensity", True, False),
        ("fixed_asset_investment", False, False),
        ("manufacturing_investment", False, False),
        ("industrial_investment", False, True),
    }


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("深化国家服务贸易创新发展试点,服贸出口 124.9 亿美元、增长 19%。", "服贸出口 is not exports"),
        ("电动汽车、锂电池、光伏产品“新三样”出口增长近30%。", "exports of three products"),
        ("新引进 20 亿元以上产业项目 69 个。", "a threshold of projects"),
        ("接待中外游客 2 亿多人次、增长 15.1%。", "no catalogue subject"),
        ("规上工业增加值中高新技术产业增加值占比提高到 60%,增速高于全省 2 个百分点。", "a comparison"),
        ("成渝地区双城经济圈建设走深走实，经济总量超9万亿元，占全国比重升至6.5%左右。", "another body's economy"),
        ("力争到2025年，综合排名跻身省级开发区前50，工业总产值达到150亿元，工业增加值达到30亿元。", "a park's figures"),
        ("海洋生产总值突破2万亿元。", "marine GDP is not GDP"),
        ("泌阳、确山、西平、遂平、新蔡县等5个县一般公共预算收入超10亿元。", "counties inside the city"),
    ],
)
def test_precision_guards(sentence, why):
    assert {f[0] for f in review(sentence)} <= {"high_tech_value_added"}, why


def test_explicit_year_and_five_year_span():
    text = report(
        review="各位代表,2019年目标任务顺利完成。过去五年,极不平凡。\n"
        "——这是共同富裕的五年。城乡居民人均可支配收入年均分别增长7.4%8.9%、倍差由1.87缩小至1.75。",
        plan="今后五年发展主要目标是:到2024年,全市生产总值达到2.5万亿元,人均生产总值达到19万元。",
    )
    got = facts_of(text)
    assert got == {
        ("urban_disposable_income", "2015-2019", A, "growth", 7.4, None, "%", None),
        ("rural_disposable_income", "2015-2019", A, "growth", 8.9, None, "%", None),
        ("urban_rural_income_ratio", "2019", A, "value", 1.75, None, "", None),
        (
            "urban_rural_income_ratio",
            "2014",
            A,
            "value",
            1.87,
            None,
            "",
            None,
        ),  # where it came from: before the five years
        ("gdp", "2024", T, "value", 2.5, None, "万亿元", None),
        ("gdp_per_capita", "2024", T, "value", 19, None, "万元", None),
    }


def test_a_paragraph_opening_the_last_year_ends_a_five_year_passage():
    text = report(
        review="“十三五”时期，是极不平凡的五年。全县上下攻坚克难。\n"
        "刚刚过去的2019年，我们夺取了双胜利。二是经济发展稳中有进。地区生产总值实现增速6.3%，全市排第一。"
    )
    assert facts_of(text) == {("gdp", "2019", A, "growth", 6.3, None, "%", None)}  # fuping-2021


def test_plan_period_named_by_its_five_year_plan():
    text = (
        "一、2020年工作回顾\n地区生产总值由“十二五”末的29.1亿元增长到50.1亿元，年均增长11.5%。\n"
        "二、“十四五”时期主要目标任务\n到2025年，常住人口城镇化率达到57%左右。\n三、2021年重点工作\n地区生产总值增长10%以上。\n"
    )
    meta = DocumentMeta(doc_type="work_report", region="保定市阜平县", review_year=2020, plan_year=2021)
    assert facts_of(text, meta) == {
        ("gdp", "2020", A, "value", 50.1, None, "亿元", None),
        ("gdp", "2015", A, "value", 29.1, None, "亿元", None),  # “十二五”末 names its year
        ("urbanization_rate", "2025", T, "value", 57, None, "%", "about"),
        ("gdp", "2021", T, "growth", 10, None, "%", "at_least"),
    }


def test_a_level_a_five_year_plan_aims_at_is_its_last_year():
    # breadth/guizhou-2026, hunan-2026, qinghai-2026: the 十五五 goals name no year of their own
    meta = DocumentMeta(doc_type="work_report", region="贵州省", review_year=2025, plan_year=2026)
    text = (
        "一、2025年工作回顾\n地区生产总值增长5.2%。\n"
        "二、“十五五”时期主要目标任务\n“十五五”时期要努力实现以下主要目标。\n"
        "——高质量发展取得显著成效。全省地区生产总值年均增长5%左右，常住人口城镇化率达63%左右，"
        "每年城镇新增就业60万人以上，提出22项主要指标。\n"
        "三、2026年工作安排\n地区生产总值增长5%左右。\n"
    )
    assert facts_of(text, meta) == {
        ("gdp", "2025", A, "growth", 5.2, None, "%", None),
        ("gdp", "2026-2030", T, "growth", 5, None, "%", "about"),
        ("urbanization_rate", "2030", T, "value", 63, None, "%", "about"),
        # 每年…就业60万人 is each year's; 22项主要指标 counts the plan's own lines
        ("gdp", "2026", T, "growth", 5, None, "%", "about"),
    }


def test_uses_section_parts_when_the_outline_has_them():
    text = "各位代表:\n回顾\n地区生产总值增长 6.8%。\n安排\n地区生产总值增长 6.5%左右。\n"
    review_start, plan_start = text.index("回顾"), text.index("安排")
    sections = [
        Section("一", "回顾", 1, review_start, plan_start, part="review"),
        Section("二", "安排", 1, plan_start, len(text), part="plan"),
    ]
    assert facts_of(text, META, sections) == {
        ("gdp", "2019", A, "growth", 6.8, None, "%", None),
        ("gdp", "2020", T, "growth", 6.5, None, "%", "about"),
    }
    assert {f.section for f in extract_facts(text, sections, META)} == {"回顾", "安排"}


def test_glossary_and_endnotes_are_not_facts():
    text = report(
        plan="地区生产总值增长 6.5%左右。\n各位代表!让我们团结一心,为建设新杭州而努力奋斗!\n名词解释\n"
        "数字经济(见第 3 页):到2025年数字经济核心产业增加值达到 7000 亿元。\n"
    )
    assert {f[0] for f in facts_of(text)} == {"gdp"}


def test_no_facts_outside_work_reports():
    meta = DocumentMeta(doc_type="progress_table", review_year=2019, plan_year=2020)
    assert extract_facts(report(review="地区生产总值增长 6.8%。"), [], meta) == []


# Every qualifier word of the contract, each way round: 不 turns a bound (不少于 is at least,
# 少于 at most). Plan sentences of the shape the corpus writes them.
@pytest.mark.parametrize(
    ("sentence", "qualifier"),
    [
        ("城镇新增就业不少于26万人。", "at_least"),
        ("城镇新增就业少于26万人。", "at_most"),
        ("城镇新增就业不低于26万人。", "at_least"),
        ("城镇新增就业低于26万人。", "at_most"),
        ("城镇新增就业不高于26万人。", "at_most"),
        ("城镇新增就业高于26万人。", "at_least"),
        ("城镇新增就业不超过26万人。", "at_most"),
        ("城镇新增就业超过26万人。", "at_least"),
        ("城镇新增就业至少26万人。", "at_least"),
        ("城镇新增就业突破26万人。", "at_least"),
        ("城镇新增就业26万人以上。", "at_least"),
        ("城镇新增就业26万人以内。", "at_most"),
        ("城镇新增就业26万人以下。", "at_most"),
        ("城镇新增就业26万人左右。", "about"),
        ("城镇新增就业约26万人。", "about"),
        ("城镇新增就业接近26万人。", "about"),
        ("城镇调查失业率控制在5.5%左右。", "about"),  # 左右 wins over 控制在
        ("城镇调查失业率控制在5.5%。", "at_most"),
        ("城镇新增就业26万人。", None),
    ],
)
def test_qualifier_words_both_ways(sentence, qualifier):
    found = plan(sentence)
    assert len(found) == 1 and next(iter(found))[7] == qualifier, found


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # breadth/guangxi-2026
            "全区一、二、三产业增加值分别增长4.2%、5%、5.4%。",
            {
                ("agricultural_value_added", "2019", A, "growth", 4.2, None, "%", None),
                ("secondary_industry_value_added", "2019", A, "growth", 5, None, "%", None),
                ("services_value_added", "2019", A, "growth", 5.4, None, "%", None),
            },
        ),
        (  # zhumadian-2019
            "三次产业结构为17.4︰39.1︰43.5。",
            {
                ("agricultural_value_added", "2019", A, "share", 17.4, None, "%", None),
                ("secondary_industry_value_added", "2019", A, "share", 39.1, None, "%", None),
                ("services_value_added", "2019", A, "share", 43.5, None, "%", None),
            },
        ),
        (  # breadth/jiangxi-2026: the result, not where it came from
            "三次产业结构由8.7∶41.2∶50.1调整为7.4∶39.6∶53。",
            {
                ("agricultural_value_added", "2019", A, "share", 7.4, None, "%", None),
                ("secondary_industry_value_added", "2019", A, "share", 39.6, None, "%", None),
                ("services_value_added", "2019", A, "share", 53, None, "%", None),
            },
        ),
        (  # breadth/guangdong-2026, hangzhou-2022: 比重 for 结构
            "三次产业比重为4.0∶37.7∶58.3。",
            {
                ("agricultural_value_added", "2019", A, "share", 4.0, None, "%", None),
                ("secondary_industry_value_added", "2019", A, "share", 37.7, None, "%", None),
                ("services_value_added", "2019", A, "share", 58.3, None, "%", None),
            },
        ),
        ("三次产业结构为1:2:3。", set()),  # not shares of one whole
        (  # zhumadian-2019: one growth for the urban and the rural series
            "城乡居民人均可支配收入增长9.5%。",
            {
                ("urban_disposable_income", "2019", A, "growth", 9.5, None, "%", None),
                ("rural_disposable_income", "2019", A, "growth", 9.5, None, "%", None),
            },
        ),
        ("城乡居民人均可支配收入35000元。", set()),  # one level for both is not either's
        (  # baoding-2025: 总量 goes back to the subject named last
            "地区生产总值增长6.0%、全省第二，高于全国、全省平均水平，总量达到4773.3亿元（含定州）。",
            {
                ("gdp", "2019", A, "growth", 6.0, None, "%", None),
                ("gdp", "2019", A, "value", 4773.3, None, "亿元", None),
            },
        ),
        (  # guangdong-2025: a threshold with nothing after it is the figure
            "全省地区生产总值迈上14万亿元新台阶、连续36年居全国首位。",
            {("gdp", "2019", A, "value", 14, None, "万亿元", "at_least")},
        ),
        (  # hangzhou-2023: a threshold passed on the way to the figure is not
            "出口首破5000亿元大关、达5141亿元。",
            {("exports", "2019", A, "value", 5141, None, "亿元", None)},
        ),
        (  # jilin-2025
            "居民消费价格指数涨幅在2%左右。",
            {("cpi", "2019", A, "growth", 2, None, "%", "about")},
        ),
    ],
)
def test_lists_structures_and_thresholds(sentence, expected):
    assert review(sentence) == expected


def test_coordinated_names_keep_their_own_measure():
    # a rate and a price rise in one 分别 list (national reports write the targets so)
    assert plan("城镇调查失业率、居民消费价格涨幅分别为5.5%左右和3%左右。") == {
        ("urban_surveyed_unemployment_rate", "2020", T, "value", 5.5, None, "%", "about"),
        ("cpi", "2020", T, "growth", 3, None, "%", "about"),
    }


def test_national_fiscal_revenue_is_the_general_budget_revenue_only_nationally():
    national = DocumentMeta(doc_type="work_report", region="全国", review_year=2019, plan_year=2020)
    text = report(review="全国财政收入增长10.1%。财政收入增长5%。")
    assert {(f[0], f[4]) for f in facts_of(text, national)} == {
        ("general_budget_revenue", 10.1),
        ("general_budget_revenue", 5),
    }
    assert facts_of(report(review="财政收入增长5%。")) == set()  # a city's 财政收入 may be the total


def test_a_paragraph_opening_on_the_review_year_overrides_the_five_year_heading():
    # breadth/yunnan-2026 and hebei-2026: a 十四五 review part, then the last year's paragraph
    meta = DocumentMeta(doc_type="work_report", region="云南省", review_year=2025, plan_year=2026)
    text = (
        "一、“十四五”时期和2025年工作回顾\n过去五年，我们砥砺奋进。地区生产总值年均增长4.9%。\n"
        "各位代表！刚刚过去的2025年，是具有重要里程碑意义的一年。社会消费品零售总额增长2.4%。\n"
        "二、2026年工作安排\n"
    )
    assert facts_of(text, meta) == {
        ("gdp", "2021-2025", A, "growth", 4.9, None, "%", None),
        ("retail_sales", "2025", A, "growth", 2.4, None, "%", None),
    }


def test_a_targets_list_ending_on_a_five_year_goal_keeps_the_plan_year():
    # breadth/qinghai-2025: the first sentence of the targets paragraph ends on 全面完成“十四五”…
    text = report(
        plan="全省经济社会发展的主要预期目标是：地区生产总值增长4.5%左右，力争更好结果；"
        "粮食总产量保持在110万吨以上；全面完成“十四五”期间能耗强度下降目标。"
    )
    assert facts_of(text) == {
        ("gdp", "2020", T, "growth", 4.5, None, "%", "about"),
        ("grain_output", "2020", T, "value", 110, None, "万吨", "at_least"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # breadth/guizhou-2026: years on the way are no figures
            "常住人口城镇化率从2016年的53.2%提升到2019年的57.7%。",
            {
                ("urbanization_rate", "2016", A, "value", 53.2, None, "%", None),
                ("urbanization_rate", "2019", A, "value", 57.7, None, "%", None),
            },
        ),
        (  # national-2023: 多 between the number and its unit
            "城镇新增就业1270多万人。",
            {("new_urban_jobs", "2019", A, "value", 1270, None, "万人", "at_least")},
        ),
        (  # breadth/heilongjiang-2026: one growth written once for every series named
            "社会消费品零售总额、固定资产投资增长4%左右。",
            {
                ("retail_sales", "2019", A, "growth", 4, None, "%", "about"),
                ("fixed_asset_investment", "2019", A, "growth", 4, None, "%", "about"),
            },
        ),
    ],
)
def test_years_durations_and_shared_growth(sentence, expected):
    assert review(sentence) == expected


def test_a_figure_over_years_of_its_own_is_not_the_stretchs():
    # national-2023: the ten-year average is not the five-year one
    text = report(review="过去五年，极不平凡。国内生产总值五年年均增长5.2%，十年增加近70万亿元、年均增长6.2%。")
    assert facts_of(text) == {("gdp", "2015-2019", A, "growth", 5.2, None, "%", None)}


def test_an_exact_actual_makes_a_bound_that_holds_for_it_redundant():
    # breadth/jiangxi-2026 and liaoning-2026: 突破3万亿元、达3.6万亿元; 跃上500亿斤台阶 beside 515.6亿斤
    assert review("地区生产总值突破3万亿元、达3.6万亿元。粮食产量跃上500亿斤台阶。粮食产量515.6亿斤。") == {
        ("gdp", "2019", A, "value", 3.6, None, "万亿元", None),
        ("grain_output", "2019", A, "value", 515.6, None, "亿斤", None),
    }
    # targets keep both bounds
    assert plan("地区生产总值增长7%以上、力争达到8%。") == {
        ("gdp", "2020", T, "growth", 7, None, "%", "at_least"),
        ("gdp", "2020", T, "growth", 8, None, "%", None),
    }


def test_figures_joined_by_and_after_listed_levels_pair_with_them():
    # the shape of the older national reports (2010-2013)
    national = DocumentMeta(doc_type="work_report", region="全国", review_year=2019, plan_year=2020)
    text = report(review="城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%。")
    assert facts_of(text, national) == {
        ("urban_disposable_income", "2019", A, "value", 17175, None, "元", None),
        ("rural_net_income", "2019", A, "value", 5153, None, "元", None),
        ("urban_disposable_income", "2019", A, "growth", 9.8, None, "%", None),
        ("rural_net_income", "2019", A, "growth", 8.5, None, "%", None),
    }
    # a lone name with two joined figures is a list we cannot pair: nothing, not two values
    assert review("规上工业增加值增长7.5%和8.5%。") == set()


def test_the_same_name_again_in_brackets():
    assert review("居民消费价格指数（CPI）上涨2.6%。") == {("cpi", "2019", A, "growth", 2.6, None, "%", None)}


def test_a_part_of_a_year_is_not_the_years_figure():
    # the shape of the 2020 national report's 今年以来 and quarterly figures
    assert review("一季度国内生产总值下降6.8%。") == set()
    assert review("地区生产总值上半年增长5%。") == set()
    # the year's own figure after a clause about a quarter (breadth/guizhou-2026)
    assert review("针对三季度经济增速回落的情况，全年地区生产总值增长4.9%。") == {
        ("gdp", "2019", A, "growth", 4.9, None, "%", None)
    }
    # year-end from the half-year's level (breadth/guangxi-2026)
    assert review("年末城镇调查失业率从上半年5.5%降到5.3%。") == {
        ("urban_surveyed_unemployment_rate", "2019", A, "value", 5.3, None, "%", None)
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # national-2016: the sector alone names its share of GDP
        ("服务业在国内生产总值中的比重上升到50.5%。", {("services_value_added", "share", 50.5)}),
        ("全市第三产业比重提高到52%。", {("services_value_added", "share", 52)}),
        # a kind of service, or another figure of the sector, is not its value added
        ("生产性服务业占服务业比重达50%。", set()),
        ("高技术服务业增长15%。", set()),
        ("规模以上服务业营业收入增长10%。", set()),
        ("服务业实际使用外资增长6.9%。", set()),
        ("服务业对经济增长的贡献率达60%。", set()),
    ],
)
def test_the_services_sector_alone_names_its_share(sentence, expected):
    assert {(f[0], f[3], f[4]) for f in review(sentence)} == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # breadth/ reports; each shape is written so in several of them
        # hunan-2025 (and hebei, jiangxi, shandong)
        ("粮食总产达615.6亿斤、创近5年新高。", {("grain_output", "value", 615.6)}),
        ("粮食总产值增长5%。", set()),  # output value, not output
        (
            "其中一、二、三产增加值分别增长3.5%以上、7%左右、5%以上。",  # guizhou-2025 (guizhou-2026: 一二三产)
            {
                ("agricultural_value_added", "growth", 3.5),
                ("secondary_industry_value_added", "growth", 7),
                ("services_value_added", "growth", 5),
            },
        ),
        (
            "其中农村居民收入增长6.3%，城镇居民收入增长4.4%。",  # guangxi-2026, hunan-2026
            {("rural_disposable_income", "growth", 6.3), ("urban_disposable_income", "growth", 4.4)},
        ),
        ("人均可支配收入增长6%。", {("disposable_income", "growth", 6)}),  # jiangsu-2026, at a sentence's start
        ("脱贫地区人均可支配收入增长7.6%。", set()),  # guangxi-2025: the poor areas' own
        ("货物贸易增长20%，服务贸易增长23.9%。", {("foreign_trade", "growth", 20)}),  # hainan-2025
        ("外商直接投资实际到位资金26.1亿美元。", {("actual_foreign_investment", "value", 26.1)}),  # sichuan-2025
        # a share with no 比重 (jilin-2025; zhumadian-2019 占规模以上工业的20%以上)
        ("高技术制造业增加值占规上工业12.3%。", {("high_tech_manufacturing_value_added", "share", 12.3)}),
        ("工业增加值跨过万亿元大关，全国排名有望上升3位。", {("industrial_value_added", "value", 1)}),  # neimenggu-2025
        ("经济总量超千亿元的县域达12个。", set()),  # sichuan-2026: the counties', counted
        (
            "规上工业增加值、规上服务业营收分别增长6.5%和7%。",  # jiangsu-2026: a name outside the catalogue beside one in it
            {("industrial_value_added_above_scale", "growth", 6.5)},
        ),
        (
            "川渝一体化发展格局加速形成，地区生产总值五年跨过3个万亿级关口、突破10万亿元。",  # chongqing-2026: the two's
            set(),
        ),
    ],
)
def test_shapes_seen_across_the_provinces(sentence, expected):
    assert {(f[0], f[3], f[4]) for f in review(sentence)} == expected


def test_a_ratio_written_to_one_keeps_where_it_came_from_apart():
    # breadth/yunnan-2026: 由2.9∶1缩小至2.52∶1, the 1 of the first is no figure of its own
    assert review("城乡居民收入比由2.9∶1缩小至2.52∶1。") == {
        ("urban_rural_income_ratio", "2019", A, "value", 2.52, None, "", None)
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # county and city reports' shapes (web copies of 2009-2024 reports), numbers changed
        (
            "全县地区生产总值增长8.1%达72.5亿元，第一产业增长4.2%达15.3亿元，第二产业增长9.6%达30亿元。",
            {
                ("gdp", "growth", 8.1),
                ("gdp", "value", 72.5),
                ("agricultural_value_added", "growth", 4.2),
                ("agricultural_value_added", "value", 15.3),
                ("secondary_industry_value_added", "growth", 9.6),
                ("secondary_industry_value_added", "value", 30),
            },
        ),
        (
            "完成财政总收入40.2亿元，其中一般预算收入15.6亿元，分别增长12.5%和10.1%。",
            {
                ("fiscal_revenue_total", "value", 40.2),
                ("general_budget_revenue", "value", 15.6),
                ("fiscal_revenue_total", "growth", 12.5),
                ("general_budget_revenue", "growth", 10.1),
            },
        ),
        (
            "实际利用外资1.1亿美元，完成自营出口3.6亿美元。",
            {("actual_foreign_investment", "value", 1.1), ("exports", "value", 3.6)},
        ),
        ("第三产业比重提高到45%。", {("services_value_added", "share", 45)}),
        ("地区生产总值180亿元，比增13%。", {("gdp", "value", 180), ("gdp", "growth", 13)}),  # Fujian's 比增
        (
            "完成固定资产投资238亿元，比上年同期增长15.8%。",
            {("fixed_asset_investment", "value", 238), ("fixed_asset_investment", "growth", 15.8)},
        ),
        ("单位国内生产总值能耗降幅超过3%。", {("energy_intensity", "growth", -3)}),
        ("粮食产量首次跃上1.4万亿斤新台阶。", {("grain_output", "value", 1.4)}),
        (
            "三次产业比调整为12.5:47.3:40.2。",
            {
                ("agricultural_value_added", "share", 12.5),
                ("secondary_industry_value_added", "share", 47.3),
                ("services_value_added", "share", 40.2),
            },
        ),
        (
            "地方一般预算收入1.4亿元，进出口额38.7亿元。",
            {("general_budget_revenue", "value", 1.4), ("foreign_trade", "value", 38.7)},
        ),
        (
            "城镇、牧区常住居民人均可支配收入分别达到24683元和19649元。",  # Inner Mongolia's pastoral areas
            {("urban_disposable_income", "value", 24683), ("rural_disposable_income", "value", 19649)},
        ),
        (
            "地方公共财政收入73.2亿元，增长20.1%。",
            {("general_budget_revenue", "value", 73.2), ("general_budget_revenue", "growth", 20.1)},
        ),
        ("全体居民人均可支配收入初步测算达33234.9元。", {("disposable_income", "value", 33234.9)}),
        ("单位地区生产总值能耗和二氧化碳排放量均下降3.5%。", {("energy_intensity", "growth", -3.5)}),
        ("“十二五”时期地区生产总值年均增长8%。", {("gdp", "growth", 8)}),  # 时期 may stand before a name
        # city and provincial reports of 2015-2025 (web copies), numbers changed
        (
            "粮食播种面积4741.4万亩，总产量295.6亿斤。",
            {("grain_sown_area", "value", 4741.4), ("grain_output", "value", 295.6)},
        ),
        ("地区生产总值达到4163亿元、全省第三，增长7%、全省第二。", {("gdp", "value", 4163), ("gdp", "growth", 7)}),
        ("扎实推进高质量发展建设共同富裕示范区，预计地区生产总值增长3%左右。", {("gdp", "growth", 3)}),
        ("出口创汇4400万美元，同比增长27.3%。", {("exports", "value", 4400), ("exports", "growth", 27.3)}),
        ("居民消费价格总水平上升4.8%。", {("cpi", "growth", 4.8)}),
        ("地区生产总值完成75亿元，是2012年的2.3倍，年均递增19.1%。", {("gdp", "value", 75), ("gdp", "growth", 19.1)}),
        ("城市化率提高到45%。", {("urbanization_rate", "value", 45)}),
        (
            "地区生产总值再上一个百亿台阶，达到1519.9亿元、增长8.2%。",
            {("gdp", "value", 1519.9), ("gdp", "growth", 8.2)},
        ),
        (
            "城镇和乡村居民人均可支配收入分别增长6.5%、8%。",
            {("urban_disposable_income", "growth", 6.5), ("rural_disposable_income", "growth", 8)},
        ),
        # city reviews of 2012-2017 (web copies), numbers changed
        (
            "全市完成生产总值4406.3亿元，比上年增长8%，人均64331元。",
            {("gdp", "value", 4406.3), ("gdp", "growth", 8), ("gdp_per_capita", "value", 64331)},
        ),
        ("居民消费价格指数101.7%。", {("cpi", "growth", 1.7)}),  # an index on last year's 100
        ("居民消费价格累计同比上涨1.3%。", {("cpi", "growth", 1.3)}),  # the year to date, not a sum
        ("地区生产总值1.3万亿元(预计数,下同),比上年增长9.8%。", {("gdp", "value", 1.3), ("gdp", "growth", 9.8)}),
        ("实际吸收外资增长10%。", {("actual_foreign_investment", "growth", 10)}),
        (
            "城、乡居民人均可支配收入分别增长8%、9%。",
            {("urban_disposable_income", "growth", 8), ("rural_disposable_income", "growth", 9)},
        ),
        # Shanghai's targets, 2019 and 2024, numbers changed
        ("全社会研发经费支出相当于全市生产总值的比例达到4.2%左右。", {("rd_intensity", "value", 4.2)}),
        (
            "城镇调查失业率和登记失业率稳定在4.5%左右。",
            {("urban_surveyed_unemployment_rate", "value", 4.5), ("urban_registered_unemployment_rate", "value", 4.5)},
        ),
        ("第一产业从业人员减少2万人。", set()),
    ],
)
def test_shapes_of_reports_found_on_the_web(sentence, expected):
    assert {(f[0], f[3], f[4]) for f in review(sentence)} == expected


def test_a_change_since_a_named_base_year():
    # county and provincial reviews of 2006-2013 (web copies), numbers changed: the change since
    # the base year is no year's figure; the 年均 after it is the stretch's since that year
    assert review("全县国内生产总值达到17.7亿元，比2012年增长46.3%，年均增长13.6%。") == {
        ("gdp", "2019", A, "value", 17.7, None, "亿元", None),
        ("gdp", "2013-2019", A, "growth", 13.6, None, "%", None),
    }
    assert review("地区生产总值达到1.2万亿元，是2014年的2.5倍，年均增长16.1%。") == {
        ("gdp", "2019", A, "value", 1.2, None, "万亿元", None),
        ("gdp", "2015-2019", A, "growth", 16.1, None, "%", None),
    }
    # from a named year's level (a 2021 city report, numbers changed)
    assert review("地区生产总值从2014年的4670亿元提高到6871亿元，年均增长7.2%。") == {
        ("gdp", "2014", A, "value", 4670, None, "亿元", None),
        ("gdp", "2019", A, "value", 6871, None, "亿元", None),
        ("gdp", "2015-2019", A, "growth", 7.2, None, "%", None),
    }
    # the year before the review year named: last year's, the year's own growth
    assert review("全市生产总值1000亿元，比2018年增长7%。") == {
        ("gdp", "2019", A, "value", 1000, None, "亿元", None),
        ("gdp", "2019", A, "growth", 7, None, "%", None),
    }
    # chongqing-2026: 较2020年提高1.16岁、达到79.72岁
    assert {f[:5] for f in review("全市人均预期寿命较2012年提高1.16岁、达到79.72岁。")} == {
        ("life_expectancy", "2019", A, "value", 79.72)
    }


def test_a_figure_restated_in_another_currency_is_passed_over():
    # a city's 2013 review (web copy), numbers changed; the gold's convention: 折合 is no second fact
    assert {f[:5] for f in review("人均生产总值9.5万元，约合1.5万美元，增长6.1%。")} == {
        ("gdp_per_capita", "2019", A, "value", 9.5),
        ("gdp_per_capita", "2019", A, "growth", 6.1),
    }


def test_targets_with_no_colon_after_the_words_that_open_them():
    # a 2024 city's page: 主要预期目标是地区生产总值增长5%以上
    assert plan("今年经济社会发展的主要预期目标是地区生产总值增长5%以上。") == {
        ("gdp", "2020", T, "growth", 5, None, "%", "at_least")
    }


def test_the_years_targets_after_a_five_year_plans():
    # a 2017 city report (web copy, numbers changed): 今后五年的重点目标, then the year's own
    text = (
        "一、2016年工作回顾\n全市地区生产总值增长8%。\n二、2017年工作安排\n今后五年的重点目标\n"
        "地区生产总值突破3000亿元；\n2017年主要工作\n全市经济社会发展主要预期目标：\n地区生产总值增长7.5%以上；\n"
    )
    meta = DocumentMeta(doc_type="work_report", region="杭州市", review_year=2016, plan_year=2017)
    assert facts_of(text, meta) == {
        ("gdp", "2016", A, "growth", 8, None, "%", None),
        ("gdp", "2021", T, "value", 3000, None, "亿元", "at_least"),
        ("gdp", "2017", T, "growth", 7.5, None, "%", "at_least"),
    }


def test_growth_since_a_base_year_said_once_for_all_below():
    # a county's 2016 review (web copy, numbers changed): 比2012年(下同) holds for every growth after it
    text = "一、2019年工作回顾\n全县生产总值340亿元，比2015年(下同)增长47.7%；固定资产投资353.7亿元，增长125.1%。\n"
    assert facts_of(text) == {
        ("gdp", "2019", A, "value", 340, None, "亿元", None),
        ("fixed_asset_investment", "2019", A, "value", 353.7, None, "亿元", None),
    }


def test_a_page_with_only_the_targets_paragraph():
    # a 2023 city report's targets as a page carries them: no heading at all
    text = "今年全市经济社会发展的主要预期目标是：地区生产总值增长7.5%，城镇登记失业率控制在4%以内，居民消费价格指数为102.7。\n"
    meta = DocumentMeta(doc_type="work_report", region="杭州市", review_year=2022, plan_year=2023)
    assert facts_of(text, meta, sections=[]) == {
        ("gdp", "2023", T, "growth", 7.5, None, "%", None),
        ("urban_registered_unemployment_rate", "2023", T, "value", 4, None, "%", "at_most"),
        ("cpi", "2023", T, "growth", 2.7, None, "%", None),
    }


def test_a_name_outside_the_catalogue_inside_a_list_keeps_its_place():
    # city reviews of 2011-2012 (web copies), numbers changed
    assert {
        f[:5]
        for f in review(
            "规模以上工业增加值、高新技术产品产值、地方财政一般预算收入分别为4050亿元、10176亿元、1106.8亿元。"
        )
    } == {
        ("industrial_value_added_above_scale", "2019", A, "value", 4050),
        ("general_budget_revenue", "2019", A, "value", 1106.8),
    }
    five_years = "过去五年，财政总收入、规模以上工业产值、全社会固定资产投资年均分别增长22.1%、22.4%和26.8%。"
    assert {f[:5] for f in review(five_years)} == {
        ("fiscal_revenue_total", "2015-2019", A, "growth", 22.1),
        ("fixed_asset_investment", "2015-2019", A, "growth", 26.8),
    }
