"""The outline of a report: 一、 （一） 1. （1） and paragraph lead-ins, as a tree.

Each section knows which part of the report it belongs to: `review` (what the past
year or years achieved), `plan` (this year's targets and work, and outlooks for
the years ahead), `appendix` (glossaries, notes: their figures are not the
report's). The part comes from the top-level heading and holds for every section
under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from zhibiao.domain import parts
from zhibiao.domain.model import DocumentMeta, Section

_CN = "一二三四五六七八九十"
# rank: the usual nesting order of Chinese outline numbering
_MARKERS = [
    (1, re.compile(rf"^(?P<number>[{_CN}]+)[、.．]\s*")),
    (2, re.compile(rf"^(?P<number>[（(][{_CN}]+[)）])\s*")),
    (3, re.compile(r"^(?P<number>\d{1,2}[.．、])(?!\d)\s*")),
    (4, re.compile(r"^(?P<number>[（(]\d{1,2}[)）])\s*")),
]
_LEAD_IN_RANK = 5
# `创新创业成效显著。着力推进…`, `——经济运行稳中向好。…`: a short sentence opening a paragraph.
_LEAD_IN = re.compile(r"^(?P<dash>[—―-]{2,})?(?P<heading>[^，,；;：:。！？!?%“”\n]{4,24})。(?=\S)")
_APPENDIX = re.compile(r"^(?:附件\s*\d*\s*)?(?:名词解释|名词注释|名词说明|注释|注解|附注|说明)\s*$")
_ATTACHMENT = re.compile(r"^附件\s*(?P<number>\d*)\s*(?P<heading>.*)$")
# Words a top-level heading ends with; one may follow another (`重点工作安排`).
_HEADING_END = re.compile(r"回顾|安排|任务|目标|要求|建设|思路|部署|建议|成绩|考虑|取向|重点工作|举措")
_CONNECTOR = "和及与、"


@dataclass
class _Open:
    rank: int
    number: str
    heading: str
    level: int
    start: int
    end: int | None = None
    part: str | None = None


def parse_sections(text: str, meta: DocumentMeta | None = None) -> list[Section]:
    """Every heading of the report with its span in `text` and its part."""
    if meta is not None and meta.doc_type == "progress_table":
        return []
    plan_year = meta.plan_year if meta else None
    found: list[_Open] = []
    stack: list[_Open] = []
    base = 0  # attachments and bare part headings push their numbered items one level down
    bare_top = False
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        start, offset = offset, offset + len(line) + 1
        heading = _attachment(line, lines[index + 1] if index + 1 < len(lines) else "")
        bare = parts.bare_part_heading(line) if heading is None else None
        if heading is not None or bare is not None:
            # an attachment, or a part heading without a number (2024年工作回顾): the numbered
            # items that follow are its children
            _close(stack, 0, start)
            if bare is not None:
                node = _Open(0, "", bare, 1, start)
            else:
                part = "appendix" if _APPENDIX.match(line) else (parts.heading_part(heading[1], plan_year) or "plan")
                node = _Open(0, heading[0], heading[1], 1, start, part=part)
            found.append(node)
            stack.append(node)
            base, bare_top = 1, bare is not None
            continue
        numbered = _numbered(line)
        if numbered is not None:
            rank, number, title = numbered
            if rank == 1 and bare_top and parts.heading_part(title, plan_year) is not None:
                base, bare_top = 0, False  # 二、2022年工作安排 after a bare 2021年工作回顾: a part of its own
                _close(stack, 0, start)
            _close(stack, rank, start)
            level = len(stack) + 1 if stack else 1 + base
            if rank == 1 and base == 0:
                level = 1
            node = _Open(rank, number, title, level, start)
            found.append(node)
            stack.append(node)
            continue
        lead = _LEAD_IN.match(line)
        if lead and stack:
            parent = stack[-1]
            found.append(
                _Open(
                    _LEAD_IN_RANK,
                    "",
                    lead.group("heading").strip(),
                    parent.level + 1,
                    start,
                    end=start + len(line),
                )
            )
    _close(stack, 0, len(text))
    _assign_parts(found, text, plan_year)
    return [
        Section(number=s.number, heading=s.heading, level=s.level, start=s.start, end=s.end or len(text), part=s.part)
        for s in found
    ]


def part_at(sections: list[Section], offset: int) -> str | None:
    """The part of the report an offset falls in (None before the first heading)."""
    part = None
    for section in sections:
        if section.start <= offset < section.end:
            part = section.part
    return part


def appendix_start(sections: list[Section]) -> int | None:
    """Where the glossary or notes begin, if the report has them."""
    return next((s.start for s in sections if s.part == "appendix" and s.level == 1), None)


def _close(stack: list[_Open], rank: int, at: int) -> None:
    while stack and (stack[-1].rank >= rank or rank == 0):
        stack.pop().end = at


def _numbered(line: str) -> tuple[int, str, str] | None:
    for rank, pattern in _MARKERS:
        m = pattern.match(line)
        if m:
            rest = line[m.end() :]
            if not rest or rest[0] in "%年月日":
                return None
            number = m.group("number").rstrip("、.．") if rank == 1 else m.group("number")
            return rank, number, _heading_text(rest, rank)
    return None


def _heading_text(rest: str, rank: int) -> str:
    """The heading alone, when the converter glued the first paragraph to it."""
    sentence = re.match(r"^[^。！？!?]*[。！？!?]?", rest).group(0)
    glued = rank == 1 and (sentence != rest or re.search(r"[，,：:]", rest))
    if len(rest) <= 60 and sentence == rest and not glued:
        return rest.rstrip("。")
    if glued:
        for m in _HEADING_END.finditer(re.split(r"[，,：:。]", rest, maxsplit=1)[0][:40]):
            after = rest[m.end() :]
            if after and after[0] not in _CONNECTOR and not _HEADING_END.match(after):
                return rest[: m.end()]
    if len(sentence) <= 50:
        return sentence.rstrip("。！？!?")
    return re.split(r"[，,；;：:]", rest, maxsplit=1)[0][:40]


def _attachment(line: str, following: str) -> tuple[str, str] | None:
    m = _ATTACHMENT.match(line)
    if _APPENDIX.match(line):
        return ("附件" + m.group("number") if m else ""), re.sub(r"\s+", "", line)
    if not m or len(line) > 40:
        return None
    heading = m.group("heading").strip()
    if not heading and len(following) <= 30 and "。" not in following:
        heading = following
    return "附件" + m.group("number"), heading


def _assign_parts(found: list[_Open], text: str, plan_year: int | None) -> None:
    """Each top-level section's part from its heading, else from its body, else the plan
    that came before it (政府自身建设 closes a plan); every section under it shares it.
    A first section that says neither is left without a part: no guess."""
    previous = None
    top: _Open | None = None
    for node in found:
        if node.level == 1 and node.rank <= 1:
            top = node
            if node.part is None:
                body = text[node.start : node.end or len(text)].split("\n", 1)[-1]
                node.part = parts.heading_part(node.heading, plan_year) or parts.body_part(body)
                if node.part is None and previous == "plan":
                    node.part = "plan"
            previous = node.part if node.part != "appendix" else previous
        elif top is not None and node.start < (top.end or len(text)):
            node.part = top.part
