"""A report that names no region takes the one its user gave: the bucket folder it is
dropped in, or the upload's region= field; with neither, its region is null, on the
document and on every fact (never "")."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e.stack import upload

pytestmark = pytest.mark.e2e


def _report(tag: str) -> bytes:
    # the body of a county report whose head a scrape lost: it says 全县, never which county
    return (
        f"政府工作报告\n各位代表：\n一、2019年工作回顾\n过去一年，全县地区生产总值增长6.5%，"
        f"一般公共预算收入达到12.3亿元。\n二、2020年工作安排\n今年经济社会发展的主要预期目标是："
        f"地区生产总值增长6%左右。\n（{tag}）\n"
    ).encode()


def test_the_region_comes_from_the_folder_or_the_upload_or_stays_null(stack):
    folder = stack.bucket / "reports" / "保定市" / "容城县"
    folder.mkdir(parents=True)
    (folder / "2020.txt").write_bytes(_report("dropped"))
    (stack.bucket / "no-region.txt").write_bytes(_report("nowhere"))
    status, _ = upload(stack.base, "uploaded.txt", _report("uploaded"), fields={"region": "高阳县"})
    assert status == 202
    docs = {d["source_name"]: d for d in stack.wait_processed(3)}
    assert {n: (d["status"], d["region"], d["admin_level"]) for n, d in docs.items()} == {
        "2020.txt": ("done", "保定市容城县", "county"),
        "uploaded.txt": ("done", "保定市高阳县", "county"),
        "no-region.txt": ("done", None, None),
    }, stack.logs()
    for name, region in (("2020.txt", "保定市容城县"), ("uploaded.txt", "保定市高阳县"), ("no-region.txt", None)):
        facts = stack.get(f"/v1/facts?document_id={docs[name]['id']}")["items"]
        assert facts and {f["region"] for f in facts} == {region}, (name, facts)
    assert [d["source_name"] for d in stack.get("/v1/documents?region=" + quote("保定市容城县"))["items"]] == [
        "2020.txt"
    ]
    assert {f["document_id"] for f in stack.get("/v1/facts?region=" + quote("保定市高阳县"))["items"]} == {
        docs["uploaded.txt"]["id"]
    }
