"""Key tasks (重点工作) from supervision tables: one row per task, grouped by leader.

Cleanup keeps a table row on one line with its cells separated by tabs; the header
row (序号 重点工作 牵头单位 进展情况 存在问题及下一步工作安排) says which cell is
which, and a heading such as `戴建平常务副市长牵头重点工作` names the official
leading the rows under it.
"""

from __future__ import annotations

import re

from zhibiao.domain.model import Task

_ROLE = r"(?:常务)?(?:副)?(?:省长|市长|区长|县长|州长|旗长|主席|秘书长)|(?:副)?书记"
_GROUP = re.compile(
    rf"^(?P<name>[\u4e00-\u9fff·\s]{{2,6}}?)\s*(?:{_ROLE})(?:主抓|牵头|负责|分管|联系)?(?:的)?重点(?:工作|任务)$"
)
_COLUMNS = {
    "text": re.compile(r"重点工作|工作任务|任务|工作内容|事项"),
    "lead_units": re.compile(r"牵头单位|责任单位|牵头部门|责任部门|承办单位"),
    "progress": re.compile(r"进展|完成情况|推进情况|落实情况"),
    "next_steps": re.compile(r"存在问题|下一步"),
}
_DEFAULT_COLUMNS = {"number": 0, "text": 1, "lead_units": 2, "progress": 3, "next_steps": 4}
_UNIT_SEPARATORS = "、，,；;/／"
# A bare organ after a separator shares the name before it: 滨江区管委会、政府.
_ORGAN = re.compile(r"(?:管委会|人民政府|政府|党工委|管理委员会|委员会|办公室|管理局|局|委|办)$")


def extract_tasks(text: str) -> list[Task]:
    tasks: list[Task] = []
    columns = dict(_DEFAULT_COLUMNS)
    leader = None
    for line in text.splitlines():
        group = _GROUP.match(line.strip())
        if group:
            leader = re.sub(r"\s+", "", group.group("name"))
            continue
        if line.count("\t") < 2:
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not cells[0].isdigit():
            if _COLUMNS["lead_units"].search(line):
                columns = _header_columns(cells)
            continue
        tasks.append(
            Task(
                number=int(cells[0]),
                text=_cell(cells, columns, "text") or "",
                lead_units=split_units(_cell(cells, columns, "lead_units") or ""),
                leader=leader,
                progress=_cell(cells, columns, "progress"),
                next_steps=_cell(cells, columns, "next_steps"),
            )
        )
    return tasks


def split_units(cell: str) -> list[str]:
    """`市发改委、市经信局` -> two units; separators inside brackets do not split."""
    units, current, depth = [], "", 0
    for char in cell:
        if char in "（([【":
            depth += 1
        elif char in "）)]】":
            depth = max(0, depth - 1)
        if char in _UNIT_SEPARATORS and depth == 0:
            units.append(current)
            current = ""
        else:
            current += char
    units.append(current)
    out: list[str] = []
    for unit in (u.strip() for u in units):
        if not unit:
            continue
        if out and len(unit) <= 3 and _ORGAN.fullmatch(unit):
            stem = _ORGAN.sub("", out[-1])
            unit = stem + unit if stem else unit
        out.append(unit)
    return out


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns = {"number": 0}
    for index, cell in enumerate(cells):
        for field, pattern in _COLUMNS.items():
            # 存在问题及下一步工作安排 also says 工作: the more specific columns win.
            if (
                field not in columns
                and pattern.search(cell)
                and not (
                    field == "text" and (_COLUMNS["next_steps"].search(cell) or _COLUMNS["lead_units"].search(cell))
                )
            ):
                columns[field] = index
                break
    return {**_DEFAULT_COLUMNS, **columns}


def _cell(cells: list[str], columns: dict[str, int], field: str) -> str | None:
    index = columns.get(field)
    if index is None or index >= len(cells):
        return None
    return cells[index] or None
