"""Tables as CSV (UTF-8 with a BOM, so Excel reads Chinese right) or XLSX downloads, and the
flat rows of the nested answers (series, attainment) that are downloaded as tables."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from fastapi.responses import Response

from zhibiao.domain.attainment import AttainmentItem
from zhibiao.domain.series import SeriesItem, indicator_name

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection");
# file names and quotes come from whoever uploaded the report.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(v):
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v)
    return v


def _csv_cell(v):
    v = _cell(v)
    if isinstance(v, str) and v.startswith(_FORMULA_START):
        return "'" + v  # OWASP's advice: the quote makes it text; numbers stay numbers
    return v


def to_csv(rows: Iterable[dict], columns: Sequence[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else _csv_cell(row.get(c)) for c in columns])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


# Excel refuses these in a sheet's name, and control characters anywhere in the file.
_NOT_IN_SHEET_NAME = re.compile(r"[\\/?*\[\]:\x00-\x1f]")


def sheet_name(name: str) -> str:
    """A name Excel takes: no \\ / ? * [ ] : or control characters, at most 31 characters."""
    return _NOT_IN_SHEET_NAME.sub("_", name)[:31].strip("'") or "sheet"


# What a person reads in a spreadsheet: Chinese headers and words for the codes. CSV keeps the
# codes (its columns are what scripts read, and they must not move); XLSX is the file for people.
HEADERS = {
    "id": "编号",
    "fact_id": "数字编号",
    "document_id": "文档编号",
    "indicator": "指标代码",
    "indicator_name": "指标",
    "indicator_label": "原文指标",
    "subject": "主题",
    "subject_unclear": "主题不明",
    "region": "地区",
    "period": "时期",
    "kind": "类型",
    "measure": "度量",
    "value": "数值",
    "value_max": "上限值",
    "unit": "单位",
    "qualifier": "限定",
    "estimated": "预计",
    "strive": "力争",
    "quote": "原文",
    "section": "章节",
    "start": "原文起",
    "end": "原文止",
    "figure_start": "数字起",
    "figure_end": "数字止",
    "source_name": "文件名",
    "title": "标题",
    "plan_year": "计划年度",
    "review_year": "回顾年度",
    "doc_region": "文档地区",
    "disagree": "数字不一致",
    "status": "状态",
    "unreported": "未报告原因",
    "rule": "判定规则",
    "direction": "方向",
    "gap": "差距",
    "target_value": "目标值",
    "target_value_max": "目标上限",
    "target_unit": "目标单位",
    "actual_value": "实际值",
    "actual_unit": "实际单位",
    "target_source": "目标来源",
    "target_quote": "目标原文",
    "actual_source": "实际来源",
    "actual_quote": "实际原文",
    "target_fact_id": "目标编号",
    "actual_fact_id": "实际编号",
    "media_type": "文件类型",
    "size_bytes": "字节数",
    "error": "失败原因",
    "doc_type": "文档类型",
    "admin_level": "行政级别",
    "delivered_on": "报告日期",
    "speaker": "报告人",
    "speaker_title": "报告人职务",
    "meeting": "会议",
    "pages": "页数",
    "ocr_pages": "识别页数",
    "received_at": "接收时间",
    "processed_at": "处理时间",
    "extractor_version": "提取版本",
    "duplicate_of": "重复于",
    "number": "序号",
    "text": "任务",
    "lead_units": "牵头单位",
    "leader": "分管领导",
    "progress_status": "进展状态",
    "progress": "进展",
    "next_steps": "下步打算",
    "report_source": "报告来源",
    "report_paragraph": "报告段落",
    "paragraph": "段落",
    "score": "相关度",
    "snippet": "摘录",
    "year": "年度",
    "paragraph_text": "段落原文",
}
LABELS = {
    "kind": {"actual": "实际", "target": "目标"},
    "measure": {"value": "数值", "growth": "增速", "share": "比重"},
    "qualifier": {"about": "左右", "at_least": "以上", "at_most": "以内"},
    "status": {
        "met": "完成",
        "missed": "未完成",
        "not_yet_reported": "尚未公布",
        "received": "已接收",
        "processing": "处理中",
        "done": "已完成",
        "failed": "失败",
    },
    "unreported": {"no_later_report": "无后续报告", "not_stated": "后续报告未提及"},
    "doc_type": {"work_report": "政府工作报告", "progress_table": "重点工作完成情况", "other": "其他"},
    "admin_level": {"national": "全国", "province": "省级", "city": "市级", "district": "区级", "county": "县级"},
    "direction": {"at_least": "不低于", "at_most": "不高于"},
}
_WIDEST = 60  # characters; a quote wraps past it in the cell rather than widening the sheet


def _label(column: str, v):
    """The cell's value as a person reads it: lists joined, codes in words."""
    v = _cell(v)
    return LABELS.get(column, {}).get(v, v) if isinstance(v, str) else v


def _width(v) -> int:
    """Columns a value takes in Excel: a CJK character is about two."""
    text = "" if v is None else str(_cell(v))
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text[:200])


def _column_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i)


def to_xlsx(rows: Iterable[dict], columns: Sequence[str], sheet: str) -> bytes:
    """A sheet to work in: Chinese headers, the header row frozen, an autofilter over the
    table, columns as wide as what they hold (up to a limit); numbers and booleans keep their types."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    rows = list(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name(sheet))

    def cell(column, v):
        v = _label(column, v)
        if not isinstance(v, str):
            return v
        # openpyxl stores any string starting with = as a live formula; a string cell is text.
        # Control characters XML cannot hold would make openpyxl raise, so they go.
        out = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
        out.data_type = "s"
        return out

    headers = [HEADERS.get(c, c) for c in columns]
    # widths are set before the first row: a write-only sheet writes its columns out first
    sample = rows[:500]
    for i, (column, header) in enumerate(zip(columns, headers, strict=True), start=1):
        widest = max([_width(header), *(_width(_label(column, r.get(column))) for r in sample)])
        ws.column_dimensions[_column_letter(i)].width = min(widest + 2, _WIDEST)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def head(text):
        out = WriteOnlyCell(ws, value=text)
        out.font = bold
        return out

    ws.append([head(h) for h in headers])
    for row in rows:
        ws.append([cell(c, row.get(c)) for c in columns])
    if columns:
        ws.auto_filter.ref = f"A1:{_column_letter(len(columns))}{len(rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def download(rows: list[dict], columns: Sequence[str], *, fmt: str, name: str) -> Response:
    """The rows as an attachment named `name`.csv or `name`.xlsx."""
    if fmt == "csv":
        body, media = to_csv(rows, columns), "text/csv; charset=utf-8"
    else:
        body, media = to_xlsx(rows, columns, name), XLSX_TYPE
    return Response(body, media_type=media, headers=attachment(f"{name}.{fmt}"))


def attachment(filename: str) -> dict[str, str]:
    """Headers that make `filename` a download, whatever it holds (a name from an upload)."""
    filename = _CONTROL.sub("", filename)  # CR LF would end the header (and h11 refuses it: a 500)
    # Header values are latin-1: the plain name keeps ASCII only, filename* carries the rest (RFC 5987).
    plain = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_").replace("\\", "_")
    return {"Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"}


_YEAR = re.compile(r"(?:19|20|21)\d\d")


def name_for(
    rows: Sequence[dict],
    fallback: str,
    *,
    region: str = "region",
    indicator: str | None = "indicator",
    period: str = "period",
) -> str:
    """What a file holds, as its name: 杭州市-gdp-2019-2023 (the one region, the one indicator
    and the years the rows span, each left out when the rows have several or none); `fallback`
    when nothing is common to them."""

    def one(column):
        values = {r.get(column) for r in rows}
        return values.pop() if len(values) == 1 else None

    years = sorted({int(y) for r in rows for y in _YEAR.findall(str(r.get(period) or ""))})
    parts = [one(region), one(indicator) if indicator else None]
    if years:
        parts.append(str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}")
    parts = [str(p).replace("/", "_") for p in parts if p]
    return "-".join(parts) if parts else fallback


_UNSAFE_IN_NAME = re.compile(r"[\\/:*?\"<>|\s“”「」『』]+")


def file_name(kind: str, *parts: str | None) -> str:
    """A download named after what was asked: search-亚运会-杭州市 (the parts given, quotes,
    slashes and spaces left out of each)."""
    words = [_UNSAFE_IN_NAME.sub("_", p).strip("_") for p in parts if p]
    return "-".join([kind, *(w for w in words if w)])


FACT_COLUMNS = (
    "id",
    "region",
    "period",
    "indicator",
    "indicator_name",
    "subject",
    "kind",
    "measure",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "estimated",
    "strive",
    "quote",
    "section",
    "title",
    "source_name",
    "plan_year",
    "review_year",
    "doc_region",
    "document_id",
    "indicator_label",
    "subject_unclear",
    "start",
    "end",
    "figure_start",
    "figure_end",
)
DOCUMENT_COLUMNS = (
    "id",
    "source_name",
    "title",
    "region",
    "admin_level",
    "doc_type",
    "review_year",
    "plan_year",
    "delivered_on",
    "speaker",
    "meeting",
    "status",
    "error",
    "pages",
    "ocr_pages",
    "media_type",
    "size_bytes",
    "received_at",
    "processed_at",
    "duplicate_of",
)


def fact_rows(facts: list[dict], documents: dict) -> list[dict]:
    """Facts beside their document's title, file name, years and region: a bare sha says nothing."""
    out = []
    for f in facts:
        d = documents.get(f["document_id"])
        out.append(
            {
                **f,
                "indicator_name": indicator_name(f["indicator"]) if f["indicator"] else None,
                "title": d and d.title,
                "source_name": d and d.source_name,
                "plan_year": d and d.plan_year,
                "review_year": d and d.review_year,
                "doc_region": d and d.region,
            }
        )
    return out


# --- the nested answers as tables --------------------------------------------------------

SEARCH_COLUMNS = (
    "region",
    "year",
    "doc_type",
    "source_name",
    "title",
    "paragraph",
    "score",
    "paragraph_text",
    "document_id",
    "start",
    "end",
)
SERIES_COLUMNS = (
    "indicator",
    "indicator_name",
    "region",
    "measure",
    "period",
    "kind",
    "value",
    "value_max",
    "unit",
    "qualifier",
    "estimated",
    "strive",
    "disagree",
    "source_name",
    "document_id",
    "fact_id",
    "quote",
)
ATTAINMENT_COLUMNS = (
    "region",
    "indicator",
    "indicator_name",
    "measure",
    "period",
    "status",
    "unreported",
    "rule",
    "direction",
    "target_value",
    "target_value_max",
    "target_unit",
    "qualifier",
    "strive",
    "actual_value",
    "actual_unit",
    "gap",
    "target_source",
    "target_quote",
    "actual_source",
    "actual_quote",
    "target_fact_id",
    "actual_fact_id",
)


def series_rows(items: list[SeriesItem]) -> list[dict]:
    """One row per statement: the series item's keys beside the observation's."""
    rows = []
    for item in items:
        for kind in ("actual", "target"):
            for o in item[kind]:
                rows.append(
                    {
                        **o,
                        "indicator": item["indicator"],
                        "indicator_name": indicator_name(item["indicator"]),
                        "region": item["region"],
                        "measure": item["measure"],
                        "period": item["period"],
                        "kind": kind,
                        "disagree": item["disagree"],
                    }
                )
    return rows


def attainment_row(i: AttainmentItem) -> dict:
    """One row per target, its actual's columns empty when none is reported yet."""
    t, a = i["target"], i["actual"] or {}
    return {
        # the item's own columns, in the order ATTAINMENT_COLUMNS already lists them
        **{k: i[k] for k in ATTAINMENT_COLUMNS if k in AttainmentItem.__annotations__},
        "target_value": t["value"],
        "target_value_max": t["value_max"],
        "target_unit": t["unit"],
        "qualifier": t["qualifier"],
        "strive": t["strive"],
        "actual_value": a.get("value"),
        "actual_unit": a.get("unit"),
        "target_source": t["source_name"],
        "target_quote": t["quote"],
        "actual_source": a.get("source_name"),
        "actual_quote": a.get("quote"),
        "target_fact_id": t["fact_id"],
        "actual_fact_id": a.get("fact_id"),
    }
