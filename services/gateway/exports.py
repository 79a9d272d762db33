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


def to_xlsx(rows: Iterable[dict], columns: Sequence[str], sheet: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name(sheet))

    def cell(v):
        v = _cell(v)
        if not isinstance(v, str):
            return v
        # openpyxl stores any string starting with = as a live formula; a string cell is text.
        # Control characters XML cannot hold would make openpyxl raise, so they go.
        out = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
        out.data_type = "s"
        return out

    ws.append(list(columns))
    for row in rows:
        ws.append([cell(row.get(c)) for c in columns])
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


# --- the nested answers as tables --------------------------------------------------------

SERIES_COLUMNS = ("indicator", "indicator_name", "region", "measure", "period", "kind", "value", "value_max",
                  "unit", "qualifier", "estimated", "strive", "disagree", "source_name", "document_id", "fact_id",
                  "quote")
ATTAINMENT_COLUMNS = ("region", "indicator", "indicator_name", "measure", "period", "status", "unreported", "rule",
                      "direction", "target_value", "target_value_max", "target_unit", "qualifier", "strive", "actual_value",
                      "actual_unit", "gap", "target_source", "target_quote", "actual_source", "actual_quote",
                      "target_fact_id", "actual_fact_id")


def series_rows(items: list[SeriesItem]) -> list[dict]:
    """One row per statement: the series item's keys beside the observation's."""
    rows = []
    for item in items:
        for kind in ("actual", "target"):
            for o in item[kind]:
                rows.append({**o, "indicator": item["indicator"], "indicator_name": indicator_name(item["indicator"]),
                             "region": item["region"], "measure": item["measure"], "period": item["period"],
                             "kind": kind, "disagree": item["disagree"]})
    return rows


def attainment_row(i: AttainmentItem) -> dict:
    """One row per target, its actual's columns empty when none is reported yet."""
    t, a = i["target"], i["actual"] or {}
    return {**{k: i[k] for k in ("region", "indicator", "indicator_name", "measure", "period", "status",
                                 "unreported", "rule", "direction", "gap")},
            "target_value": t["value"], "target_value_max": t["value_max"], "target_unit": t["unit"],
            "qualifier": t["qualifier"], "strive": t["strive"], "actual_value": a.get("value"),
            "actual_unit": a.get("unit"), "target_source": t["source_name"], "target_quote": t["quote"],
            "actual_source": a.get("source_name"), "actual_quote": a.get("quote"),
            "target_fact_id": t["fact_id"], "actual_fact_id": a.get("fact_id")}
