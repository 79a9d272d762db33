"""Cleanup on real snippets of the corpus, and its idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhibiao.domain.cleanup import clean_pages, clean_text


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        # hangzhou-2023: a blank line after every PDF line, spaced decimals, words cut.
        (
            "现在,我代表市人民政府向大会报告工作,请予审议,并请市\n\n政协委员和其他列席人员提出意见。\n\n"
            + "一、2022 年工作回顾\n\n",
            "现在,我代表市人民政府向大会报告工作,请予审议,并请市政协委员和其他列席人员提出意见。\n"
            + "一、2022年工作回顾\n",
        ),
        ("全市生产总值 18753 亿元、增长 1. 5%;", "全市生产总值18753亿元、增长1.5%;\n"),
        # hangzhou-2020 Markdown: headings and spaced numbers.
        (
            "# 2020 年杭州市人民政府工作报告\n\n#### （三）强化效能政府建设\n",
            "2020年杭州市人民政府工作报告\n（三）强化效能政府建设\n",
        ),
        ("全市地区生产总值完成 15373 亿元、增长 6.8%", "全市地区生产总值完成15373亿元、增长6.8%\n"),
        # binjiang: bold lead-ins, a paragraph cut in a word by the converter.
        ("**健全重大行政决策机制。**不断加强法治政府建设", "健全重大行政决策机制。不断加强法治政府建设\n"),
        (
            "较好地完成了区五届人大三次会议确定的目标任务。" * 4 + "预\n\n计全区实现生产总值 1560 亿元",
            "较好地完成了区五届人大三次会议确定的目标任务。" * 4 + "预计全区实现生产总值1560亿元\n",
        ),
        (
            "（2020年1月19日在杭州市滨江区\n\n第五届人民代表大会第四次会议上）",
            "（2020年1月19日在杭州市滨江区第五届人民代表大会第四次会议上）\n",
        ),
        # spaced titles, U+3000 indents, full-width digits and percent (jilin, hailar).
        ("政 府 工 作 报 告\n\n　　各位代表：", "政府工作报告\n各位代表：\n"),
        ("产业投资增长１０.１％。", "产业投资增长10.1%。\n"),
        ("增长１０．１％，", "增长10.1%，\n"),
        # Chinese punctuation is kept as written.
        ("现在，我代表国务院，向大会报告政府工作（草案）；", "现在，我代表国务院，向大会报告政府工作（草案）；\n"),
        # national-2014: an HTML fragment stored as text.
        (
            '[<div class="conlun2_box_text">\n<h4>各位代表：</h4>\n<p>现在，我代表国务院。</p>\n'
            + "<h5>一、2013年工作回顾</h5>\n</div>]",
            "各位代表：\n现在，我代表国务院。\n一、2013年工作回顾\n",
        ),
        ("<p>增长&nbsp;8&#65285;，&lt;注&gt;</p>", "增长8%，<注>\n"),
        # page numbers
        ("增长8%。\n— 3 —\n第二段。\n-4-\n第5页\n第三段。", "增长8%。\n第二段。\n第三段。\n"),
        # literal \r\n sequences of a one-line file
        ("各位代表：\\r\\n现在，我代表。\\r\\n一、回顾", "各位代表：\n现在，我代表。\n一、回顾\n"),
        # endnote references in the body (fuping)
        ("深入践行“两山”理论〔75〕，推动", "深入践行“两山”理论，推动\n"),
        # a table cell item number is not a decimal
        (
            "1\t任务\t单位\t<p>1. 印发方案；</p> <p>2. 5月27日印发</p>\t无",
            "1\t任务\t单位\t1.印发方案；2.5月27日印发\t无\n",
        ),
    ],
)
def test_clean_text(raw: str, want: str) -> None:
    assert clean_text(raw) == want


def test_scraper_header_is_dropped_and_title_kept() -> None:
    raw = (
        "标题：高阳县2018年政府工作报告\n发文单位：高阳县人民政府\n发文时间：2018-01-31\n"
        "报告人：高阳县人民政府县长 闫向阳\n来源URL：https://gaoyang.gov.cn/info_show.asp?infoid=5665\n\n正文：\n\n"
        "政 府 工 作 报 告\n\n2018年1月31日在高阳县第十七届人民代表大会第二次会议上\n\n高阳县人民政府县长 闫向阳\n"
    )
    assert clean_text(raw) == (
        "高阳县2018年政府工作报告\n政府工作报告\n2018年1月31日在高阳县第十七届人民代表大会第二次会议上\n"
        "高阳县人民政府县长闫向阳\n"
    )


def test_site_chrome_at_both_ends_is_dropped() -> None:
    body = "各位代表：\n" + "现在，我代表省人民政府，向大会报告工作。\n" * 6
    raw = (
        "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n【字体：\n大\n中\n小\n】\n分享：\n"
        + body
        + "责任编辑：\n李莎莎\n扫一扫在手机打开当前页\n打印本页\n关闭窗口\n2026年四川省人民政府工作报告\n"
    )
    assert clean_text(raw) == "2026年四川省人民政府工作报告\n" + body


def test_links_glued_to_the_last_sentence_are_dropped() -> None:
    raw = (
        "各位代表：\n" + "现在，我代表市人民政府。\n" * 4 + "奋力书写绚丽篇章！相关图解：（图解）二0二四年政府工作报告"
    )
    assert clean_text(raw).endswith("奋力书写绚丽篇章！\n")


def test_licence_block_is_dropped() -> None:
    raw = "各位代表：\n" + "奋斗才能赢得未来。\n" * 4 + "本作品是中华人民共和国的\n法律\n、\nPublic domain\nfalse\n"
    assert clean_text(raw) == "各位代表：\n" + "奋斗才能赢得未来。\n" * 4


def test_running_headers_and_page_numbers_across_pages() -> None:
    pages = [f"杭州市政府工作报告 第{i}页\n第{i}段正文。\n— {i} —" for i in range(1, 6)]
    assert clean_pages(pages) == "".join(f"第{i}段正文。\n" for i in range(1, 6))


def test_table_rows_keep_their_tabs() -> None:
    raw = "## 刘 忻市长主抓重点工作\n\n序号\t2020 年重点工作\t牵头单位\t进展情况\t存在问题\n1\t<p>深化改革。</p>\t<p>市政府办公厅</p>\t<p>完成 84 件</p>\t无\n"
    assert (
        clean_text(raw)
        == "刘忻市长主抓重点工作\n序号\t2020年重点工作\t牵头单位\t进展情况\t存在问题\n1\t深化改革。\t市政府办公厅\t完成84件\t无\n"
    )


_TOKENS = list("各位代表现在我市政府工作报告增长亿元一二三、，。；：（）()“”0123456789. %\n\t#*　１％") + [
    "\n\n",
    "<p>",
    "</p>",
    "— 3 —",
    "责任编辑：",
    "标题：",
    "预计",
    "**",
    "〔7〕",
    "1. 5",
    "各位代表：\n",
]
_REPORTISH = st.lists(st.sampled_from(_TOKENS), max_size=200).map("".join)


@settings(max_examples=300, deadline=None)
@given(_REPORTISH)
def test_cleanup_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@settings(max_examples=200, deadline=None)
@given(_REPORTISH)
def test_cleaned_text_is_one_paragraph_a_line(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == "" or cleaned.endswith("\n")
    for line in cleaned.splitlines():
        assert line and line == line.strip(" ")
        assert "\u3000" not in line and "\r" not in line and "**" not in line and "<p>" not in line


def test_a_mirrors_pinyin_and_odd_percent_and_semicolon_forms() -> None:
    # big5 mirrors gloss characters in pinyin; county pages type ℅ for %; editors use small forms
    assert clean_text("預計實現(xiàn)生產(chǎn)總值20.37億元") == "预计实现生产总值20.37亿元\n"
    assert clean_text("增长15℅﹔粮食产量(万吨)") == "增长15%；粮食产量(万吨)\n"
    assert clean_text("全省生产总值増长8%") == "全省生产总值增长8%\n"  # the Japanese form of 增


def test_a_figure_cut_from_its_list_at_a_line_end_is_joined() -> None:
    # a district's page broke 增长8.5%和9% after the first figure
    text = "城乡居民人均可支配收入分别达28336元和13632元,增长8.5%\n和9%。在年度名单中,我区位列第79位。\n"
    assert (
        clean_text(text) == "城乡居民人均可支配收入分别达28336元和13632元,增长8.5%和9%。在年度名单中,我区位列第79位。\n"
    )


def test_a_decimal_point_spaced_on_both_sides() -> None:
    # a 2025 city page: 经济增长6 . 5%左右 (as 1. 5% is, a PDF's spacing)
    assert clean_text("经济增长6 . 5%左右，增长1. 5%") == "经济增长6.5%左右，增长1.5%\n"
