"""Exports people open in Excel (issue 15, point 4): named after what they hold, the
document's region, years and title beside each fact, Chinese headers and words, the header
row frozen, an autofilter and column widths; the document list exports too."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.integration.test_corrections import stack  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration


def _filename(r) -> str:
    return unquote(r.headers["content-disposition"].split("filename*=UTF-8''")[1])


def test_a_facts_workbook_is_named_after_what_it_holds_and_ready_to_filter(stack):  # noqa: F811
    client, _, _, _doc = stack
    r = client.get("/v1/facts", params={"region": "杭州", "indicator": "gdp", "format": "xlsx"})
    assert r.status_code == 200
    assert _filename(r) == "杭州市-gdp-2019-2020.xlsx"
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert {"地区", "时期", "指标", "类型", "度量", "数值", "单位", "原文", "标题", "文件名", "计划年度"} <= set(header)
    assert "document_id" not in header and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}{sheet.max_row}"
    rows = [dict(zip(header, (c.value for c in line), strict=True)) for line in sheet.iter_rows(min_row=2)]
    assert (
        rows and {r["类型"] for r in rows} <= {"实际", "目标"} and {r["度量"] for r in rows} <= {"数值", "增速", "比重"}
    )
    assert all(
        r["地区"] == "杭州市" and r["计划年度"] == 2020 and r["标题"] and r["指标"] == "地区生产总值" for r in rows
    )
    assert all(isinstance(r["数值"], float | int) for r in rows)
    widths = {
        sheet.cell(1, i + 1).column_letter: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
        for i in range(len(header))
    }
    quote = widths[sheet.cell(1, header.index("原文") + 1).column_letter]
    unit = widths[sheet.cell(1, header.index("单位") + 1).column_letter]
    assert quote == 60 and unit < quote


def test_csv_keeps_its_codes_and_gains_the_documents_columns(stack):  # noqa: F811
    client, _, _, doc = stack
    r = client.get("/v1/facts", params={"document_id": doc, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {"id", "indicator", "kind", "quote", "title", "source_name", "plan_year"} <= set(rows[0])
    assert {row["kind"] for row in rows} <= {"actual", "target"} and rows[0]["plan_year"] == "2020"
    assert _filename(r).startswith("杭州市-") and _filename(r).endswith(".csv")


def test_the_document_list_exports(stack):  # noqa: F811
    client, _, _, doc = stack
    r = client.get("/v1/documents", params={"format": "xlsx", "region": "杭州", "year": 2020})
    assert r.status_code == 200 and _filename(r) == "documents-杭州-2020.xlsx"
    sheet = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in sheet[1]]
    assert {"文件名", "标题", "地区", "计划年度", "状态"} <= set(header) and sheet.max_row == 2
    row = dict(zip(header, (c.value for c in sheet[2]), strict=True))
    assert (
        row["编号"] == doc and row["地区"] == "杭州市" and row["状态"] == "已完成" and row["文档类型"] == "政府工作报告"
    )
    r = client.get("/v1/documents", params={"format": "csv"})
    [line] = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert line["id"] == doc and line["status"] == "done"
    assert client.get("/v1/documents", params={"format": "pdf"}).status_code == 422


def test_series_and_attainment_files_are_named_after_what_they_hold(stack):  # noqa: F811
    client = stack[0]
    r = client.get("/v1/series", params={"indicator": "gdp", "region": "杭州", "format": "xlsx"})
    assert r.status_code == 200 and _filename(r) == "杭州市-gdp-2019-2020.xlsx"
    r = client.get("/v1/attainment", params={"region": "杭州", "indicator": "gdp", "format": "csv"})
    assert r.status_code == 200 and _filename(r).startswith("attainment-杭州市-gdp")
