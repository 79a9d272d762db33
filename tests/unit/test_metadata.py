"""Metadata of every corpus file, as the corpus README and the gold file give it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from structure_corpus import cleaned

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
            ("吉林省", "吉林省人民政府省长", "胡玉亭", "吉林省第十四届人民代表大会第四次会议"),
        ),
        (
            "——2024年1月10日在北京市第十六届人民代表大会第二次会议上\n北京市代市长殷勇\n各位代表：\n",
            ("北京市", "北京市人民政府代市长", "殷勇", "北京市第十六届人民代表大会第二次会议"),
        ),
        (
            "2024年1月8日在海淀区第十七届人民代表大会第四次会议上\n海淀区人民政府区长 李俊杰\n各位代表：\n",
            ("北京市海淀区", "北京市海淀区人民政府区长", "李俊杰", "海淀区第十七届人民代表大会第四次会议"),
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
    ],
)
def test_resolve_region(place: str, context: str, want: tuple) -> None:
    region = resolve(place, context)
    assert (region.name, region.level) == want
