"""Which half of a work report a top-level section is: `review` (what the past year or
years achieved) or `plan` (this year's targets and work, outlooks for the years ahead).

One classifier for the whole engine. A heading usually says it (2024年工作回顾,
2025年工作安排); where it does not (牢记殷殷嘱托，在接续奋斗中…取得新成效), the body
does: a review tells results in the past (一年来, 过去五年, 增长了, 比上年), a plan sets
this year's goals (今年, 预期目标, 要, 着力).
"""

from __future__ import annotations

import re

_REVIEW_HEAD = re.compile(r"回顾|过去|去年|一年来|五年来|工作总结|主要成绩|成绩|成就")
_PLAN_HEAD = re.compile(
    r"今年|明年|目标|任务|安排|总体要求|部署|建议|思路|重点工作|主要考虑|今后|未来|展望|十[二三四五六]五"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")

# A part heading on its own line without 一、: 2024年工作回顾, “十四五”时期工作回顾,
# “十五五”时期主要目标和2026年重点工作, 2025年工作安排建议, 对今年政府工作的建议, 工作回顾;
# or glued to the paragraph after it, as converters leave them: 2018年工作回顾2018年，面对…
PART_END = (
    r"(?:工作回顾|回顾|工作安排建议|工作安排|安排建议|工作建议|的建议|主要目标任务|目标任务|工作任务|重点任务|主要任务|重点工作"
    r"|总体要求|政策取向|总体部署|工作部署|主要考虑|发展目标|主要目标|主要成绩|主要成就)"
)
_BARE_HEAD = (
    r"(?P<head>(?:(?:对|关于)?[“\"]?(?:(?:19|20)\d{2}\s*年|十[一二三四五六]五|过去一年|过去五年|今年)[”\"]?"
    r"[^，,。；;：:！？!?%\n]{0,20}?)?" + PART_END + r")"
)
_BARE_PART = re.compile(r"^(?:#+\s*|\*\*)?" + _BARE_HEAD + r"(?:\*\*)?\s*$")
_GLUED_PART = re.compile(
    r"^(?:#+\s*|\*\*)?"
    + _BARE_HEAD
    + r"(?=(?:19|20)\d{2}\s*年[，,是]|今年[，,是]|过去的?一年|一年来|各位代表|面对|围绕)"
)

_PAST = re.compile(
    r"过去一年|过去的一年|一年来|过去五年|过去的五年|五年来|去年|比上年|较上年|同比|取得了|实现了|完成了|增长了|提高了|"
    r"我们(?:坚持|深入|全面|着力|扎实|大力|积极|认真)"
)
# 着力, 争取 and 主要目标 are left out: a review says 我们着力…, 争取中央资金, 主要目标任务圆满完成.
_AHEAD = re.compile(r"今年|预期目标|要(?:坚持|把|加快|推动|抓|强化|突出|全面|深入)|必须|力争|确保|将")
_BODY_WINDOW = 3000


def bare_part_heading(line: str) -> str | None:
    """The heading, when a line is (or opens with) a part heading written without a number."""
    m = _BARE_PART.match(line.strip()) or _GLUED_PART.match(line.strip())
    if not m:
        return None
    head = m.group("head")
    if not (_YEAR.search(head) or re.search(r"十[一二三四五六]五|过去|今年", head) or head in ("工作回顾",)):
        return None
    return head


def heading_part(heading: str, plan_year: int | None) -> str | None:
    """The part a heading names, or None when it names neither."""
    flat = heading.replace(" ", "")
    if _REVIEW_HEAD.search(flat):
        return "review"
    years = [int(y) for y in _YEAR.findall(flat)]
    if plan_year and years:
        return "review" if max(years) < plan_year else "plan"
    if _PLAN_HEAD.search(flat):
        return "plan"
    return None


def body_part(body: str) -> str | None:
    """The part a section's body reads as: results told in the past, or goals ahead."""
    window = body[:_BODY_WINDOW]
    past, ahead = len(_PAST.findall(window)), len(_AHEAD.findall(window))
    if past >= 2 and past > ahead:
        return "review"
    if ahead >= 3 and ahead >= 2 * past:
        return "plan"
    return None
