"""Tables as CSV (UTF-8 with a BOM, so Excel reads Chinese right) or XLSX downloads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from fastapi.responses import Response

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
    filename = f"{_CONTROL.sub('', name)}.{fmt}"  # CR LF would end the header (and h11 refuses it: a 500)
    # Header values are latin-1: the plain name keeps ASCII only, filename* carries the rest (RFC 5987).
    plain = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_").replace("\\", "_")
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"})
