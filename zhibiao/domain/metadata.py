"""Document metadata from the report's own head: title, delivery line, speaker line.

The head of a work report is a title, a delivery line (`——2020年4月26日在杭州市第
十三届人民代表大会第五次会议上`) and a speaker line (`杭州市人民政府代市长 刘忻`),
in any layout: on one line, on three, glued together, or missing. Every field is
read from the text; the file name is never needed.

When the head names no place (a scrape that starts at 一、, a title of 政府工作报告
alone), the region is read from the body as a person would: the government and the
party committee that speak (中共X县委, 在县委领导下, 关心支持X发展, X第N届人民代表大会),
each name checked against the level the report says itself with (我代表县人民政府,
在县委…领导下, 全县), so that a county's report never resolves to its city. Then the
user's hint (the folders it was dropped in), then the place the report names most.
A wrong region is worse than none: anything unsettled leaves it None.
"""

from __future__ import annotations

import re

from zhibiao.domain import parts, region_reading, regions
from zhibiao.domain.model import DocumentMeta

_HEAD_CHARS = 1500
_CN_DIGITS = str.maketrans("〇零○Oo一二三四五六七八九", "00000123456789")

_DELIVERY = re.compile(
    r"(?P<year>\d{4}|[〇零○Oo0一二三四五六七八九]{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*"
    # the meeting may be broken over two lines (在广东省第十四届\n人民代表大会第五次会议上)
    r"在\s*(?P<meeting>[^\n，,。]{2,50}?(?:\n[^\n，,。]{2,30}?)?(?:会议|大会))\s*上"
)
_MEETING_PLACE = re.compile(r"^(?P<place>.*?)(?:第[一二三四五六七八九十]+届|[一二三四五六七八九十]+届)")
_ROLES = r"(?:代理|代)?(?:总理|省长|市长|区长|县长|主席|旗长|州长|盟长)"
_SPEAKER = re.compile(rf"^(?P<title>[^\s]*?{_ROLES})\s*(?P<name>[\u4e00-\u9fff·]{{2,4}})?$")
_NAME_ONLY = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_REPRESENTS = re.compile(r"我代表(?P<place>[\u4e00-\u9fff]{0,20}?)(?:人民政府|政府|国务院)")
_TITLE = re.compile(r"政府工作报告|工作报告|汇总表|完成情况|进展情况")
_TITLE_PLACE = re.compile(r"^(?:\d{4}年)?(?P<place>[\u4e00-\u9fff]{2,20}?)(?:人民)?政府(?:工作报告|.*汇总表)")
_ISSUER = re.compile(r"^(?P<issuer>[\u4e00-\u9fff]{2,30}(?:督查室|办公厅|办公室|督查处|政府))$")
_ISSUED = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$")
_YEAR = r"(?:\d{4}|[〇零○0一二][〇零○0一二三四五六七八九]{3})"  # 2010, 二0一0, 二〇一〇
_TABLE_HEADER = re.compile(r"牵头单位|责任单位")


def extract_metadata(text: str, source_name: str = "", region_hint: str | None = None) -> DocumentMeta:
    """`region_hint`: where the user put the file (its bucket folders, `reports/保定市容城县`),
    taken when the text names no region of its own."""
    head = text[:_HEAD_CHARS]
    meta = DocumentMeta(doc_type=_doc_type(text))
    meta.title = _title(head)
    delivery = _DELIVERY.search(head)
    if delivery:
        year = int(delivery.group("year").translate(_CN_DIGITS))
        meta.delivered_on = f"{year:04d}-{int(delivery.group('month')):02d}-{int(delivery.group('day')):02d}"
        meta.meeting = re.sub(r"\s+", "", delivery.group("meeting"))
        # a congress that sits in November or December (some districts' do) hears the
        # report on the year about to end, and the plan is for the next
        meta.plan_year = year + 1 if int(delivery.group("month")) >= 11 else year
        meta.speaker, role_title = _speaker(head[delivery.end() :])
    else:
        meta.speaker, role_title = None, None
    region = (
        _region(meta, head, text)
        or region_reading.from_body(text)
        or regions.from_folders(region_hint or "")
        or region_reading.most_named(text)
    )
    if region:
        meta.region, meta.admin_level = region.name, region.level
    if role_title:
        meta.speaker_title = _speaker_title(role_title, region)
    if meta.doc_type == "progress_table":
        _table_fields(meta, head)
    else:
        _years(meta, text)
    return meta


def _doc_type(text: str) -> str:
    head = text[:3000]
    rows = sum(1 for line in text.splitlines()[:400] if line.count("\t") >= 2)
    if (
        rows >= 3
        and _TABLE_HEADER.search(head)
        or ("重点工作" in head[:300] and re.search("完成情况|进展情况", head[:300]))
    ):
        return "progress_table"
    if "工作报告" in head or "报告工作" in head or "各位代表" in head:
        return "work_report"
    return "other"


def _title(head: str) -> str | None:
    # The title may carry the delivery and speaker lines glued to it.
    lines = [re.split(r"[（(]\s*\d{4}|——|－－|--", line)[0].strip() for line in head.splitlines()[:8]]
    lines = [line for line in lines if _TITLE.search(line) and len(line) <= 40 and not re.search("[，,。]", line)]
    if not lines:
        return None
    return next((line for line in lines if "政府工作报告" in line), lines[0])


def _speaker(after: str) -> tuple[str | None, str | None]:
    """Name and title from the line(s) after the delivery line, before 各位代表."""
    after = after.split("各位代表")[0]
    lines = [re.sub(r"^[)）\s]+|\s+", "", line) for line in after.splitlines()]
    lines = [line for line in lines if line][:3]
    for i, line in enumerate(lines):
        m = _SPEAKER.match(line)
        if m:
            name = m.group("name")
            if not name and i + 1 < len(lines) and _NAME_ONLY.match(lines[i + 1]):
                name = lines[i + 1]
            return name, m.group("title")
        if _NAME_ONLY.match(line):
            return line, None
    return None, None


def _speaker_title(title: str, region: regions.Region | None) -> str:
    """The title as the speaker line writes it (广东省省长, 高阳县人民政府县长, 省长): a reader
    quotes it, and the region is a field of its own."""
    return title


def _region(meta: DocumentMeta, head: str, text: str) -> regions.Region | None:
    places = []
    if meta.meeting:
        m = _MEETING_PLACE.match(meta.meeting)
        if m:
            places.append(m.group("place") or meta.meeting)
    represents = _REPRESENTS.search(text[:4000])
    if represents and "国务院" in represents.group(0):
        places.append(regions.NATIONAL)
    elif represents and represents.group("place"):
        places.append(represents.group("place"))
    for line in head.splitlines()[:8]:
        m = _TITLE_PLACE.match(line)
        if m:
            places.append(m.group("place"))
        m = _ISSUER.match(line)
        if m:
            places.append(re.sub(r"人民政府.*$|政府.*$", "", m.group("issuer")))
        m = _SPEAKER.match(re.sub(r"\s+", "", line))  # 广东省省长 孟凡利
        if m and len(m.group("title")) <= 20:
            places.append(re.sub(r"(?:人民)?政府$", "", re.sub(rf"{_ROLES}$", "", m.group("title"))))
    for place in places:
        if "全国" in place:
            return regions.Region(regions.NATIONAL, "national")
        region = regions.resolve(place, text)
        if region:
            return region
    return None


def _years(meta: DocumentMeta, text: str) -> None:
    if meta.plan_year is None:
        meta.plan_year = _year_from_part_headings(text[:20000])
    if meta.plan_year is None and meta.title:
        m = re.search(rf"({_YEAR})年", meta.title)
        if m:
            meta.plan_year = int(m.group(1).translate(_CN_DIGITS))
    if meta.plan_year is None:
        meta.plan_year = _bare_review_year(text[:20000])
    if meta.plan_year is None:
        meta.plan_year = _dated_head_year(text[:300])
    if meta.plan_year is None:
        meta.plan_year = _review_opening_year(text[:20000])
    if meta.plan_year is not None:
        meta.review_year = meta.plan_year - 1


_TOP_HEADING = re.compile(r"^[一二三]、\s*(?P<head>[^\n]{2,40})$", re.MULTILINE)


def _year_from_part_headings(text: str) -> int | None:
    """一、2019年工作回顾 says the review year; 二、2012年政府工作总体要求和目标任务 the plan year
    (the one classifier decides which part a heading names)."""
    for m in _TOP_HEADING.finditer(text):
        head = m.group("head")
        years = [int(y.translate(_CN_DIGITS)) for y in re.findall(rf"({_YEAR})\s*年", head)]
        part = parts.heading_part(head, None)
        if years and part == "review":
            return max(years) + 1
        if years and part == "plan" and len(set(years)) == 1:
            return years[0]
    return None


_HEAD_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日")


def _dated_head_year(head: str) -> int | None:
    """绵阳市政府工作报告(2023年1月3日 李云): a date in the first lines is the day it was
    delivered, when nothing else says the year (a November or December congress plans the next)."""
    m = _HEAD_DATE.search(head)
    if not m:
        return None
    return int(m.group(1)) + (1 if int(m.group(2)) >= 11 else 0)


def _review_opening_year(text: str) -> int | None:
    """一、过去一年和五年工作回顾 names no year; the paragraph under it opens on one (2022年是…)."""
    for m in _TOP_HEADING.finditer(text):
        if parts.heading_part(m.group("head"), None) != "review":
            continue
        opening = text[m.end() : m.end() + 200].lstrip()
        year = re.match(r"((?:19|20)\d{2})\s*年[是，,]", opening)
        return int(year.group(1)) + 1 if year else None
    return None


def _bare_review_year(text: str) -> int | None:
    """2019年工作回顾 on a line of its own (a scrape that lost the title and the numbering):
    the plan year is the one after."""
    for line in text.splitlines():
        head = parts.bare_part_heading(line)
        if head and parts.heading_part(head, None) == "review":
            years = re.findall(r"((?:19|20)\d{2})\s*年", head)
            if years:
                return max(int(y) for y in years) + 1
    return None


def _table_fields(meta: DocumentMeta, head: str) -> None:
    for line in head.splitlines()[:12]:
        issuer = _ISSUER.match(line)
        if issuer and not meta.issuer:
            meta.issuer = issuer.group("issuer")
        issued = _ISSUED.match(line)
        if issued and not meta.delivered_on:
            meta.delivered_on = f"{int(issued.group(1)):04d}-{int(issued.group(2)):02d}"
    if meta.title:
        m = re.search(r"(\d{4})年", meta.title)
        if m:
            meta.plan_year = int(m.group(1))
