"""Supervision tables (督查进展表) as published: ruled tables in a PDF, grouped under the
official who leads them, rows wrapping inside their cells and breaking across pages.

Built from the tab-separated rows of a progress-table sample, so the same subset can be
handed over as text too (`progress_text`) and the two extractions compared.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field

from tests.formats.pdf import _escape, cjk_font
from tests.formats.source import sample_bytes

PROGRESS_SAMPLE = "hangzhou-2020-h1-key-tasks-progress.md"

_TAG = re.compile(r"<[^<>]+>")
# Paragraph and list-item ends are where the cell's own line breaks were.
_BREAK = re.compile(r"</(?:p|li)>|<br\s*/?>", re.IGNORECASE)


@dataclass
class Group:
    heading: str  # e.g. 刘忻市长主抓重点工作
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ProgressTable:
    front: list[str]  # title, issuing office, date
    groups: list[Group]


def progress_table(
    name: str = PROGRESS_SAMPLE, *, leaders: tuple[str, ...] | None = None, rows_per_group: int | None = None
) -> ProgressTable:
    """The sample's title lines and groups; `leaders` keeps the groups whose heading starts
    with one of them, `rows_per_group` their first rows (enough to keep a test fast)."""
    front: list[str] = []
    groups: list[Group] = []
    in_contents = False
    for raw in sample_bytes(name).decode("utf-8-sig").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## "):
            groups.append(Group(heading=line[3:].strip(), header=[]))
        elif line.startswith("# "):
            in_contents = re.sub(r"\s", "", line[2:]) == "目录"
            if not in_contents:
                front.append(line[2:].strip())
        elif not groups:
            if not in_contents:
                front.append(line)
        elif "\t" in line:
            cells = [_cell_text(cell) for cell in line.split("\t")]
            if cells[0].isdigit():
                groups[-1].rows.append(cells)
            else:
                groups[-1].header = cells
    if leaders is not None:
        groups = [g for g in groups if g.heading.startswith(leaders)]
    if rows_per_group is not None:
        groups = [Group(g.heading, g.header, g.rows[:rows_per_group]) for g in groups]
    return ProgressTable(front=front, groups=groups)


def _cell_text(cell: str) -> str:
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", cell)))
    return "\n".join(part.strip() for part in text.splitlines() if part.strip())


def progress_text(table: ProgressTable) -> str:
    """The same table as a text export: one row a line, cells separated by tabs."""
    lines = list(table.front)
    for group in table.groups:
        lines.append(group.heading)
        lines.append("\t".join(group.header))
        lines.extend("\t".join(cell.replace("\n", "") for cell in row) for row in group.rows)
    return "\n".join(lines) + "\n"


def table_pdf(table: ProgressTable, *, repeat_header: bool = False) -> bytes:
    """Landscape A4, one ruled table per group under its heading, rows split across page
    breaks (the rest of a row goes on without its number), the header row repeated on every
    page when `repeat_header`."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=28, alignment=1)
    line = ParagraphStyle("line", fontName=font, fontSize=12, leading=20, alignment=1)
    head = ParagraphStyle("head", fontName=font, fontSize=14, leading=24, spaceBefore=10, spaceAfter=4)
    size = landscape(A4)
    widths = [30, 170, 80, 250, 200]

    def page_number(canvas, doc):
        canvas.setFont(font, 10)
        canvas.drawCentredString(size[0] / 2, 24, f"— {doc.page} —")

    def paragraph(text: str, style=cell) -> Paragraph:
        return Paragraph("<br/>".join(_escape(part) for part in text.split("\n")), style)

    story: list = [paragraph(table.front[0], title)] if table.front else []
    story += [paragraph(text, line) for text in table.front[1:]]
    story.append(Spacer(1, 12))
    for group in table.groups:
        story.append(paragraph(group.heading, head))
        data = [[paragraph(text) for text in group.header]] + [[paragraph(text) for text in row] for row in group.rows]
        grid = Table(data, colWidths=widths, repeatRows=int(repeat_header), splitInRow=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ]
            )
        )
        story.append(grid)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=36, rightMargin=36, topMargin=40, bottomMargin=40)
    doc.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()
