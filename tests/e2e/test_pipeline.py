"""Drop files into the bucket, let the four services run, read the results from the gateway."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, SHARED
from tests.e2e.stack import upload

pytestmark = pytest.mark.e2e
GOLD_DOCS = (
    "hangzhou-2020-work-report.md",
    "hangzhou-2022-work-report.txt",
    "hangzhou-2023-work-report.txt",
    "binjiang-2020-work-report.md",
    "hangzhou-2020-h1-key-tasks-progress.md",
)


def test_dropped_reports_come_out_with_their_facts(stack):
    for name in GOLD_DOCS:
        shutil.copy(SAMPLES / name, stack.bucket / name)
    # the same bytes under another name are the same document
    shutil.copy(SAMPLES / GOLD_DOCS[0], stack.bucket / "copy-of-the-same.md")
    (stack.bucket / "empty.pdf").write_bytes(b"")
    docs = stack.wait_processed(len(GOLD_DOCS) + 1)
    by_name = {d["source_name"]: d for d in docs}
    assert len(docs) == len(GOLD_DOCS) + 1, stack.logs()
    assert by_name["empty.pdf"]["status"] == "failed" and "empty" in by_name["empty.pdf"]["error"]
    for name in GOLD_DOCS:
        doc = by_name[name]
        assert doc["status"] == "done", (doc, stack.logs())
        assert doc["region"] in ("杭州市", "杭州市滨江区")
    report = by_name["hangzhou-2022-work-report.txt"]
    facts = stack.get(f"/v1/facts?document_id={report['id']}&limit=1000")["items"]
    assert any(f["indicator"] == "gdp" and f["value"] == 18109 for f in facts)
    text = stack.get(f"/v1/documents/{report['id']}/text")
    assert all(text[f["start"] : f["end"]] == f["quote"] for f in facts)

    if (SHARED / "tools" / "score_facts.py").exists():
        out = subprocess.run(
            [
                sys.executable,
                str(SHARED / "tools" / "score_facts.py"),
                "--gold",
                str(SHARED / "gold" / "facts.jsonl"),
                "--gateway",
                stack.base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        last = out.strip().splitlines()[-1]
        print("score through the gateway:", last)
        recall = float(last.split()[1])
        assert recall >= 0.95, out


def test_upload_through_the_gateway(stack):
    status, _ = upload(stack.base, "滨江.md", (SAMPLES / "binjiang-2020-work-report.md").read_bytes())
    assert status == 202
    [doc] = stack.wait_processed(1)
    assert doc["source_name"] == "滨江.md" and doc["status"] == "done" and doc["region"] == "杭州市滨江区"
