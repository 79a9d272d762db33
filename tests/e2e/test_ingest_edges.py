"""Ingest as a process beside the other services: a file written in slow appends is one
document with its final content; a FIFO is failed alone and shows in the API while the other
files go through; temporary names are never taken."""

from __future__ import annotations

import hashlib
import os
import shutil
import time

import pytest

from tests.conftest import SAMPLES
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e
SETTLE_S = 6.0  # far above the pauses between appends, so a loaded machine cannot fake "quiet"


def test_slow_appends_a_fifo_and_temp_names(tmp_path, namespace, pg_url):
    stack = Stack(
        tmp_path, namespace=namespace, database_url=pg_url, extra_env={"ZHIBIAO_SETTLE_SECONDS": str(SETTLE_S)}
    ).start_all()
    try:
        os.mkfifo(stack.bucket / "pipe.pdf")
        (stack.bucket / "draft.txt.part").write_bytes((SAMPLES / "national-2023.txt").read_bytes())
        shutil.copy(SAMPLES / "gaoyang-2019.txt", stack.bucket / "good.txt")
        # every close is a file event; each part alone is a readable report
        content = (SAMPLES / "hangzhou-2022-work-report.txt").read_bytes()
        step = len(content) // 4 + 1
        for start in range(0, len(content), step):
            with open(stack.bucket / "slow.txt", "ab") as f:
                f.write(content[start : start + step])
            time.sleep(0.3)
        docs = stack.wait_processed(3)
        time.sleep(SETTLE_S + 2)  # a late, partial registration would show up by now
        docs = stack.documents()
        ingest_alive = all(p.poll() is None for p in stack.procs["ingest"])
    finally:
        stack.stop()
    by_name = {}
    for d in docs:
        by_name.setdefault(d["source_name"], []).append(d)
    assert sorted(by_name) == ["good.txt", "pipe.pdf", "slow.txt"], (docs, stack.logs())
    (slow,) = by_name["slow.txt"]
    assert slow["id"] == hashlib.sha256(content).hexdigest() and slow["status"] == "done", slow
    assert by_name["good.txt"][0]["status"] == "done"
    (pipe,) = by_name["pipe.pdf"]
    assert pipe["status"] == "failed" and pipe["error"].startswith("文件无法读取"), pipe
    assert "not a regular file" in pipe["error"]
    assert ingest_alive, stack.logs()
