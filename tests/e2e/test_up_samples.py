"""`zhibiao up --samples` says what each sample yielded (a key-task table its tasks, not "0
facts"), and a restart with the same samples does not extract them again (issue 15, point 10)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.e2e.stack import free_port
from tests.e2e.test_local_stack import BOUND, _env

pytestmark = pytest.mark.e2e
PICKED = ("hangzhou-2020-work-report.md", "hangzhou-2020-h1-key-tasks-progress.md")


def _run_until_served(tmp_path: Path, env: dict[str, str], samples: Path, log: Path) -> str:
    """`zhibiao up --samples`, until it says where the gateway is; then SIGTERM. Its output."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "zhibiao.tooling.cli", "up", "--samples", str(samples)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 3 * BOUND
        while "gateway: http" not in log.read_text(errors="replace"):
            assert proc.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=BOUND)
    return log.read_text(errors="replace")


def test_up_counts_tasks_and_does_not_extract_a_sample_twice(tmp_path, namespace):
    samples = tmp_path / "samples"
    samples.mkdir()
    for name in PICKED:
        (samples / name).write_bytes((SAMPLES / name).read_bytes())
    env = _env(tmp_path, namespace, free_port())
    first = _run_until_served(tmp_path, env, samples, tmp_path / "up-1.log")
    table = next(line for line in first.splitlines() if line.startswith("hangzhou-2020-h1-key-tasks-progress.md"))
    assert "143 tasks" in table and "fact" not in table
    report = next(line for line in first.splitlines() if line.startswith("hangzhou-2020-work-report.md"))
    assert " facts" in report and " 0 facts" not in report
    dropped = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "bucket").iterdir() if p.is_file()}
    assert set(dropped) == set(PICKED)

    second = _run_until_served(tmp_path, env, samples, tmp_path / "up-2.log")
    assert "2 of 2 samples are stored already: not dropped again" in second
    assert "(0 extracted now)" in second and "143 tasks" in second
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "bucket").iterdir() if p.is_file()} == dropped
    assert "extracted:" not in "".join(
        line for line in second.splitlines(keepends=True) if line.lstrip().startswith("extract")
    )
