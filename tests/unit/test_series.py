"""Series across documents: a document whose region is unknown (region None) sorts beside the
others instead of failing the comparison (the API fuzz found the 500)."""

from __future__ import annotations

from zhibiao.domain.series import build_series


def fact(region, value, fact_id):
    return {
        "id": fact_id,
        "document_id": fact_id,
        "indicator": "gdp",
        "region": region,
        "measure": "growth",
        "period": "2024",
        "kind": "actual",
        "value": value,
        "value_max": None,
        "unit": "%",
        "qualifier": None,
        "estimated": False,
        "strive": False,
        "quote": "",
        "source_name": "x.txt",
        "doc_year": 2025,
    }


def test_an_unknown_region_sorts_first():
    items = build_series([fact("杭州市", 6.0, "a"), fact(None, 5.0, "b")])
    assert [i["region"] for i in items] == [None, "杭州市"]
