"""Metadata of every corpus file, as the corpus README and the gold file give it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from structure_corpus import cleaned

from zhibiao.domain import regions
from zhibiao.domain.metadata import extract_metadata
from zhibiao.domain.regions import resolve

# file, region, level, delivered (the corpus README's table), plan year, speaker
CORPUS = [
    ("hangzhou-2020-work-report.md", "杭州市", "city", "2020-04-26", 2020, "刘忻"),
    ("hangzhou-2022-work-report.txt", "杭州市", "city", "2022-03-26", 2022, "刘忻"),
    ("hangzhou-2023-work-report.txt", "杭州市", "city", "2023-02-19", 2023, "姚高员"),
    ("binjiang-2020-work-report.md", "杭州市滨江区", "district", "2020-01-19", 2020, "李志龙"),
    ("hangzhou-2020-h1-key-tasks-progress.md", "杭州市", "city", "2020-07", 2020, None),
    # The two national files start at 各位代表: no delivery line, no speaker in the text.
    ("national-2014.html.txt", "全国", "national", None, 2014, None),
    ("national-2016.txt", "全国", "national", None, 2016, None),
    ("national-2023.txt", "全国", "national", "2023-03-05", 2023, "李克强"),
    ("national-2024.txt", "全国", "national", "2024-03-05", 2024, "李强"),
    ("guangdong-2025.docx", "广东省", "province", "2025-01-15", 2025, "王伟中"),
    ("jilin-2025.docx", "吉林省", "province", "2025-01-14", 2025, "胡玉亭"),
    ("sichuan-2026.txt", "四川省", "province", "2026-02-03", 2026, "施小琳"),
    ("zhumadian-2019.txt", "驻马店市", "city", "2019-02-22", 2019, "朱是西"),
    ("zhumadian-2024.txt", "驻马店市", "city", "2024-02-21", 2024, "李跃勇"),
    ("baoding-2025.txt", "保定市", "city", "2025-01-21", 2025, "闫继红"),
    ("hailar-2012.txt", "呼伦贝尔市海拉尔区", "district", "2012-02-29", 2012, "张天喜"),
    ("gaoyang-2018.txt", "保定市高阳县", "county", "2018-01-31", 2018, "闫向阳"),
    ("gaoyang-2019.txt", "保定市高阳县", "county", "2019-01-17", 2019, "闫向阳"),
    ("fuping-2021.txt", "保定市阜平县", "county", "2021-02-05", 2021, "贾瑞生"),
]


@pytest.mark.parametrize(("name", "region", "level", "delivered", "plan_year", "speaker"), CORPUS)
def test_corpus_metadata(name, region, level, delivered, plan_year, speaker) -> None:
    meta = extract_metadata(cleaned(name), source_name="upload.bin")
    assert (meta.region, meta.admin_level, meta.delivered_on, meta.plan_year, meta.speaker) == (
        region,
        level,
        delivered,
        plan_year,
        speaker,
    )
    if meta.doc_type == "work_report":
        assert meta.review_year == plan_year - 1


GOLD = Path(__file__).resolve().parents[2].parent / "shared" / "gold" / "documents.jsonl"
_GOLD = (
    [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    if GOLD.exists()
    else []
)


@pytest.mark.skipif(not _GOLD, reason="shared gold not beside the repository")
@pytest.mark.parametrize("gold", _GOLD, ids=lambda g: g["doc"])
def test_gold_documents(gold: dict) -> None:
    meta = extract_metadata(cleaned(gold["doc"])).to_dict()
    meta["issued_on"] = meta["delivered_on"] if meta["doc_type"] == "progress_table" else None
    for field, want in gold.items():
        if field in ("doc", "task_count"):
            continue
        assert meta[field] == want, field


@pytest.mark.parametrize(
    ("head", "want"),
    [
        (
            "政府工作报告\n——2023年3月5日在第十四届全国人民代表大会第一次会议上\n国务院总理\n李克强\n各位代表：\n",
            ("全国", "国务院总理", "李克强", "第十四届全国人民代表大会第一次会议"),
        ),
        (
            "政府工作报告(2022年3月26日在杭州市第十四届人民代表大会第一次会议上)杭州市人民政府市长刘忻\n各位代表:\n",
            ("杭州市", "杭州市人民政府市长", "刘忻", "杭州市第十四届人民代表大会第一次会议"),
        ),
        (
            "——2019年2月22日在驻马店市第四届人民代表大会第四次会议上驻马店市人民政府市长朱是西\n各位代表：\n",
            ("驻马店市", "驻马店市人民政府市长", "朱是西", "驻马店市第四届人民代表大会第四次会议"),
        ),
        (
            "——2025年1月14日在吉林省第十四届人民代表大会第四次会议上\n省长胡玉亭\n各位代表：\n",
            ("吉林省", "省长", "胡玉亭", "吉林省第十四届人民代表大会第四次会议"),
        ),
        (
            "——2024年1月10日在北京市第十六届人民代表大会第二次会议上\n北京市代市长殷勇\n各位代表：\n",
            ("北京市", "北京市代市长", "殷勇", "北京市第十六届人民代表大会第二次会议"),
        ),
        (
            "2024年1月8日在海淀区第十七届人民代表大会第四次会议上\n海淀区人民政府区长 李俊杰\n各位代表：\n",
            ("北京市海淀区", "海淀区人民政府区长", "李俊杰", "海淀区第十七届人民代表大会第四次会议"),
        ),
    ],
)
def test_head_layouts(head: str, want: tuple) -> None:
    meta = extract_metadata(head)
    assert (meta.region, meta.speaker_title, meta.speaker, meta.meeting) == want


@pytest.mark.parametrize(
    ("place", "context", "want"),
    [
        ("杭州市滨江区", "", ("杭州市滨江区", "district")),
        ("海拉尔区", "", ("呼伦贝尔市海拉尔区", "district")),
        ("高阳县", "", ("保定市高阳县", "county")),
        ("浙江省", "", ("浙江省", "province")),
        ("全国", "", ("全国", "national")),
        ("朝阳区", "长春市委、市政府", ("长春市朝阳区", "district")),
        ("朝阳区", "北京市委、市政府", ("北京市朝阳区", "district")),
        # divisions made since 2015: 龙华区 (2016) is also Haikou's; 湟中县 became 湟中区 in 2019
        ("深圳市龙华区", "", ("深圳市龙华区", "district")),
        ("海口市龙华区", "", ("海口市龙华区", "district")),
        ("湟中区", "", ("西宁市湟中区", "district")),
        ("湟中县", "", ("西宁市湟中县", "county")),
    ],
)
def test_resolve_region(place: str, context: str, want: tuple) -> None:
    region = resolve(place, context)
    assert (region.name, region.level) == want


# The region without the head ------------------------------------------------------------

GOLD_REGION = {name: region for name, region, *_ in CORPUS}


def _from_first_heading(text: str, heading: str = "一、") -> str:
    """What a scrape keeps when it starts at the first part's heading (一、2019年工作回顾)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return "\n".join(lines[start:])


# file, what its body alone gives (None: it names its level but not itself)
CUT = [
    ("fuping-2021.txt", "保定市阜平县"),  # 全县 + 关心支持阜平发展, past 中共保定市委
    ("gaoyang-2018.txt", "保定市高阳县"),
    ("gaoyang-2019.txt", "保定市高阳县"),
    ("hailar-2012.txt", "呼伦贝尔市海拉尔区"),  # 我区 + 关心、支持海拉尔发展
    ("zhumadian-2019.txt", "驻马店市"),
    ("zhumadian-2024.txt", "驻马店市"),  # 在省委省政府和市委坚强领导下, though 全省 outnumbers 全市
    ("baoding-2025.txt", "保定市"),  # 居全省第N位 twenty times: ranks are not the report's voice
    ("hangzhou-2020-work-report.md", "杭州市"),
    ("hangzhou-2022-work-report.txt", "杭州市"),
    ("hangzhou-2023-work-report.txt", "杭州市"),
    ("binjiang-2020-work-report.md", None),  # 在市委市政府和区委的正确领导下: a district, but which?
    ("sichuan-2026.txt", "四川省"),
    ("guangdong-2025.docx", "广东省"),
    ("jilin-2025.docx", "吉林省"),
    ("national-2014.html.txt", "全国"),
    ("national-2016.txt", "全国"),
    ("national-2023.txt", "全国"),
    ("national-2024.txt", "全国"),
]


@pytest.mark.parametrize(("name", "want"), CUT)
def test_region_from_the_body_when_the_head_is_cut_off(name: str, want: str | None) -> None:
    assert extract_metadata(_from_first_heading(cleaned(name))).region == want


@pytest.mark.parametrize("name", [name for name, *_ in CORPUS if "key-tasks" not in name])
@pytest.mark.parametrize("cut", ["title", "three lines", "各位代表", "二、"])
def test_a_cut_report_gives_its_region_or_none_never_another(name: str, cut: str) -> None:
    text = cleaned(name)
    lines = text.splitlines()
    variant = {
        "title": "\n".join(lines[1:]),
        "three lines": "\n".join(lines[3:]),
        "各位代表": text[text.find("各位代表") :],
        "二、": _from_first_heading(text, "二、"),
    }[cut]
    assert extract_metadata(variant).region in (GOLD_REGION[name], None)


@pytest.mark.parametrize(
    ("source", "body", "want"),
    [
        # the delivery line broken over two lines, the speaker line with the place
        (
            "breadth/guangdong-2026.txt",
            "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表：\n",
            ("广东省", "广东省第十四届人民代表大会第五次会议", "孟凡利"),
        ),
        (
            "breadth/chongqing-2025.docx",
            (
                "在以习近平同志为核心的党中央坚强领导下，在中共重庆市委直接领导下，在市人大、市政协监督支持下，"
                "全市经济运行稳中有进。全市上下团结奋斗。"
            ),
            ("重庆市", None, None),
        ),
        (
            "fuping-2021.txt",
            (
                "全县上下团结一心，我县脱贫攻坚取得决定性胜利，全县人民共同努力，我县面貌焕然一新。\n"
                "〔49〕“五个保定”：中共保定市委十一届九次全会提出，打造京津冀世界级城市群中的品质生活之城，\n"
                "向所有关心支持阜平发展的各界朋友，致以崇高的敬意和衷心的感谢!"
            ),
            ("保定市阜平县", None, None),
        ),
        (
            "hailar-2012.txt",
            "我区经济持续较快增长。我区城市建设加快。全区人民共同努力。我区面貌焕然一新。\n向所有关心、支持海拉尔发展的社会各界人士，致以崇高的敬意和衷心的感谢！",
            ("呼伦贝尔市海拉尔区", None, None),
        ),
        (
            "national-2016.txt",
            "向关心和支持中国现代化建设事业的各国政府、国际组织和各国朋友，表示衷心感谢！",
            ("全国", None, None),
        ),
        # a county report thanking its city names the city only past its own level: none
        (
            "fuping-2021.txt",
            "全县上下团结一心，我县脱贫攻坚取得决定性胜利。在中共保定市委的坚强领导下，全县人民共同努力。",
            (None, None, None),
        ),
        # 在市委市政府和区委的正确领导下: the last committee is the speaker's, but no district is named
        (
            "binjiang-2020-work-report.md",
            "在市委市政府和区委的正确领导下，围绕建设世界一流高科技园区目标，全力推进。我区经济平稳。",
            (None, None, None),
        ),
    ],
)
def test_region_read_from_the_body(source: str, body: str, want: tuple) -> None:
    meta = extract_metadata(body)
    assert (meta.region, meta.meeting, meta.speaker) == want


@pytest.mark.parametrize(
    ("title", "plan_year"),
    [("二0一0年政府工作报告", 2010), ("二〇一一年政府工作报告", 2011), ("2012年政府工作报告", 2012)],
)
def test_plan_year_of_a_title_in_chinese_digits(title: str, plan_year: int) -> None:
    meta = extract_metadata(f"{title}\n各位代表：\n现在，我向大会报告工作。\n")
    assert (meta.plan_year, meta.review_year) == (plan_year, plan_year - 1)


@pytest.mark.parametrize(
    ("folders", "want"),
    [
        ("reports/保定市容城县", "保定市容城县"),
        ("保定市/容城县", "保定市容城县"),
        ("河北省/保定市/容城县", "保定市容城县"),
        ("reports/2020/浙江省/杭州市", "杭州市"),
        ("uploads/北京市朝阳区", "北京市朝阳区"),
        ("长春市/朝阳区", "长春市朝阳区"),
        ("全国", "全国"),
        ("朝阳区", None),  # two cities have one
        ("杭州市/容城县", None),  # contradicting folders
        ("reports/2020", None),
        ("", None),
    ],
)
def test_region_from_folders(folders: str, want: str | None) -> None:
    region = regions.from_folders(folders)
    assert (region.name if region else None) == want


def test_the_users_hint_counts_only_where_the_text_names_no_region() -> None:
    unnamed = "政府工作报告\n各位代表：\n一、2019年工作回顾\n地区生产总值增长6%。\n"
    assert extract_metadata(unnamed).region is None
    meta = extract_metadata(unnamed, region_hint="reports/保定市/容城县")
    assert (meta.region, meta.admin_level) == ("保定市容城县", "county")
    named = cleaned("gaoyang-2019.txt")
    assert extract_metadata(named, region_hint="reports/保定市容城县").region == "保定市高阳县"
    # the body's own voice outranks the hint too
    body = _from_first_heading(named)
    assert extract_metadata(body, region_hint="reports/保定市容城县").region == "保定市高阳县"


def test_a_bare_review_heading_gives_the_years():
    # a scrape of breadth/sichuan-2025 that lost its title and delivery line
    meta = extract_metadata("各位代表：\n2024年工作回顾\n过去一年，我们…\n2025年工作安排建议\n今年…\n")
    assert (meta.review_year, meta.plan_year) == (2024, 2025)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # hailar-2012 without its head: the plan heading names the plan year, not the review's
        ("一、过去一年工作回顾\n一年来，我们…\n二、2012年政府工作总体要求和目标任务\n今年…\n", (2011, 2012)),
        # national-2023 without its head: the review heading names no year, its paragraph does
        (
            "一、过去一年和五年工作回顾\n2022年是党和国家历史上极为重要的一年。\n二、对今年政府工作的建议\n",
            (2022, 2023),
        ),
        ("一、2019年工作回顾\n…\n二、2020年目标任务和重点工作\n", (2019, 2020)),
    ],
)
def test_years_from_the_body_when_the_head_is_gone(text, years):
    meta = extract_metadata(text)
    assert (meta.review_year, meta.plan_year) == years


def test_a_congress_in_december_hears_the_year_about_to_end() -> None:
    # district congresses may sit in December: the report reviews that year
    head = "武汉市蔡甸区政府工作报告\n——2017年12月27日在蔡甸区第六届人民代表大会第二次会议上\n各位代表：\n"
    meta = extract_metadata(head + "一、2017年工作回顾\n全区完成地区生产总值395亿元。\n")
    assert (meta.plan_year, meta.review_year) == (2018, 2017)


def test_a_date_in_the_title_line_gives_the_year() -> None:
    # 绵阳市政府工作报告(2023年1月3日 李云), and a page with no heading or delivery line
    meta = extract_metadata("绵阳市政府工作报告(2023年1月3日 李云)\n今年全市的主要预期目标是：地区生产总值增长7.5%。\n")
    assert (meta.plan_year, meta.review_year) == (2023, 2022)
