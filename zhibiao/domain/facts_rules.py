"""The ways the words between an indicator's name and a figure link the two, by name.

A figure belongs to the indicator named last only if every word between them is one of
these (or punctuation); any other word breaks the link. Each rule carries a sentence of
the corpus that needs it, and the report it is from: the unit tests check that the
sentence gives its fact with the rule and loses it without (tests/unit/test_facts_rules.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 占规上工业12.3%: the whole a share is of, written with no 比重 (the figure follows at once);
# not 占地 (land taken up), 占用, 占挖, but 占地方财政总支出的47.5%
SHARE = r"占[^,，。;；、\d]{0,15}?的?比重|在[^,，。;；、\d]{1,15}?中的?比重|占比|比重|占(?!地(?!方)|用|挖)[^,，。;；、\d]{1,15}?的?$"
CAME_FROM = r"(?:由|从)(?:[“\"]?十[一二三四五六]五[”\"]?末|上年|去年|年初|上半年|(?:19|20)\d{2}\s*年(?:底|末)?)?的?"
# punctuation, and an aside in brackets right after a name: 居民消费价格指数（CPI）上涨2.6%,
# or after a figure: 1.3万亿元(预计数,下同),比上年增长9.8%
PUNCTUATION = r"[\s,，:：、“”\"]|[（(][A-Za-z\u4e00-\u9fff]{1,8}[）)]|[（(]预计数?[,，、]?下同[）)]"


@dataclass(frozen=True)
class LinkRule:
    name: str
    pattern: str
    example: str  # a sentence of the corpus the rule is needed for
    source: str  # the report it is from
    expect: tuple  # (indicator, measure, value) of the fact the example gives


LINK_RULES: tuple[LinkRule, ...] = (
    LinkRule(
        "share",
        SHARE,
        "服务业增加值占地区生产总值比重达54%。",
        "breadth/jiangsu-2026",
        ("services_value_added", "share", 54),
    ),
    LinkRule(
        "came_from",
        CAME_FROM,
        "城乡居民收入倍差由1.87缩小至1.75。",
        "hangzhou-2022",
        ("urban_rural_income_ratio", "value", 1.75),
    ),
    LinkRule(
        "reached",
        r"完成了?|实现了?|达到了?|达|为|是|保持在|保持|稳定在|控制在|突破|超过|超|首破|首次突破",
        "全年生产总值完成119.7亿元。",
        "gaoyang-2018",
        ("gdp", "value", 119.7),
    ),
    LinkRule(
        "stepped_over",
        r"迈上|站上|跨上|跃上|登上|迈过|越过|跨过|跨越",
        "地区生产总值跨过3万亿元。",
        "breadth/shaanxi-2026",
        ("gdp", "value", 3),
    ),
    LinkRule(
        "changed_to",
        r"(?:跃升|提高|提升|增加|增长|上升|下降|降低|缩小|缩减|收窄|扩大|减少|回落)(?:到|至|为)|增至|降至|降到",
        "全省常住人口城镇化率提高到76.58%。",
        "breadth/guangdong-2026",
        ("urbanization_rate", "value", 76.58),
    ),
    LinkRule(
        "amount",
        r"总量|规模|总额|累计|共计|共",
        "过去五年，我们砥砺奋进。城镇新增就业累计106万人。",
        "breadth/neimenggu-2026",
        ("new_urban_jobs", "value", 106),
    ),
    LinkRule(
        "bound",
        r"约|近|接近|将近|大约|大概|不低于|不少于|不超过|不高于|低于|高于|至少|不到|逾|最多|少于|多于",
        "森林覆盖率不低于55%。",
        "breadth (shape of fuping-2021's 林地保有量不低于19万公顷)",
        ("forest_coverage", "value", 55),
    ),
    LinkRule(
        "compared",
        r"同比|比上年同期|比上年|较上年|比去年|较去年|年均|平均值为?|均值为?|平均|实际|名义|按?可比价格?计算|可比价"
        r"|(?:按)?(?:同|可比)口径(?:计算)?|可比|逆势",
        "城镇居民人均可支配收入实际增长7%。",
        "national-2016",
        ("urban_disposable_income", "growth", 7),
    ),
    LinkRule(
        "distributed",
        r"分别|均",
        "城镇、农村居民人均可支配收入分别增长4.3%、6.2%。",
        "breadth/jiangxi-2025",
        ("urban_disposable_income", "growth", 4.3),
    ),
    LinkRule("level_in", r"在", "居民消费价格指数涨幅在2%左右。", "jilin-2025", ("cpi", "growth", 2)),
    LinkRule(
        "budgeted",
        r"安排|按|今年|全年",
        "中央预算内投资安排5000亿元。",
        "national-2016",
        ("central_budget_investment", "value", 5000),
    ),
    LinkRule(
        "years_on_the_way",
        r"(?:19|20)\d{2}\s*年(?:底|末)?的?|(?:近|过去)?[一二三四五六七八九十两\d]{1,2}年(?:来|间)?",
        "过去五年，我们砥砺奋进。进出口总值五年累计超过3.8万亿元。",
        "breadth/chongqing-2026",
        ("foreign_trade", "value", 3.8),
    ),
    LinkRule(
        "threshold_passed",
        r"(?:首次|首破|突破|迈上|跨上|站上|跃上|跨越|再上|新|[一二两三四五六七八九十百千万亿元])+(?:大关|关口|台阶)",
        "粮食总产量再上新台阶，突破1600亿斤大关。",
        "breadth/heilongjiang-2025",
        ("grain_output", "value", 1600),
    ),
    LinkRule(
        "steps_climbed",
        r"(?:连续|接连|先后)?(?:连跨|迈上|跨上|跨过|跨越|站上|跃上|登上|突破|再上)(?:\d+|[一二两三四五六七八九十]{1,2})个"
        r"[千百万亿元级]{1,4}新?(?:大关|关口|台阶)",
        "经济总量跨过两个万亿元大关、超过6万亿元，实现历史性晋位。",
        "sichuan-2026 (and breadth/anhui-2026 连跨两个万亿元台阶, jiangsu-2026 连续迈上4个万亿元台阶)",
        ("gdp", "value", 6),
    ),
    LinkRule(
        "ranked",
        # a rank said in passing between two figures of one name (居全省第2位, 稳居全国前十强)
        r"(?:连续[一二三四五六七八九十\d]{1,2}年)?(?:(?:稳居|位居|位列|居|列|跻身|进入)[\u4e00-\u9fff]{0,8}?|全[国省市区州])"
        r"(?:第[一二三四五六七八九十\d]+位?|前[一二三四五六七八九十\d]+(?:位|强|名)?|首位|前列)",
        "全省地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%。",
        "breadth/hunan-2026",
        ("gdp", "growth", 4.8),
    ),
    LinkRule(
        "manner",
        # how a change went, said before its rate: 实现恢复性增长，增速达到3.8%
        r"恢复性|较快|快速|平稳|中高速|两位数",
        "外贸进出口实现恢复性增长，增速达到3.8%。",
        "a 2017 provincial report (web copy)",
        ("foreign_trade", "growth", 3.8),
    ),
    LinkRule(
        "doubled",
        r"(?:实现)?翻番",
        "进出口总值翻番达到2206亿元。",
        "breadth/neimenggu-2026",
        ("foreign_trade", "value", 2206),
    ),
    LinkRule(
        "changed",
        r"增长|增速|增幅|涨幅|上涨|下降|降低|减少|回落|提高|提升|增加|微降|微涨|比增|降幅|递增|上升",
        "地区生产总值增长6.8%。",
        "hangzhou-2020",
        ("gdp", "growth", 6.8),
    ),
    LinkRule(
        "aimed",
        r"预计|力争|确保|争取|努力|预期目标|目标|预期|定在|拟按|拟|要|将|进一步|继续|稳步|持续|再|首次|首度|再次|初步测算|初步预计|初步核算",
        "数字经济核心产业营业收入力争3000亿元。",
        "binjiang-2020",
        ("digital_economy_core_revenue", "value", 3000),
    ),
    LinkRule(
        "joined",
        r"和|及|与|或|以及",
        "城镇调查失业率和城镇登记失业率分别控制在5.5%和4.5%以内。",
        "zhumadian-2019",
        ("urban_registered_unemployment_rate", "value", 4.5),
    ),
)


def link_pattern(rules: tuple[LinkRule, ...] = LINK_RULES) -> re.Pattern:
    """Words that may stand between a name and its figure: any run of the rules' words."""
    return re.compile(r"(?:" + PUNCTUATION + "|" + "|".join(r.pattern for r in rules) + r")*")
