"""Scaling: OCR-heavy input (scanned pages, no text layer) through the pipeline with 1 and
with 2 extract workers, on fresh stacks. Target: 2 workers >= 1.7x as fast as 1.

The runs go 1, 2, 2, 1 workers and the figures are sums over both runs of a kind, so that
a load drifting on this shared machine weighs on both sides alike."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import cpu_report, cpu_seconds, drop_all, load, pipeline, wait_documents

SCANS = 4  # one page each: with 2 workers, 2 each
SOURCE = "hangzhou-2022-work-report.txt"


def scanned_pages() -> list[tuple[str, bytes]]:
    from tests.formats.pdf import scanned_pdf, text_pdf
    from tests.formats.source import blocks

    source = text_pdf(blocks(SOURCE), title=SOURCE)
    return [(f"scan-{i}.pdf", scanned_pdf(source, [i], seed=i)) for i in range(SCANS)]


def run(scans: list[tuple[str, bytes]], workers: int) -> tuple[float, int, str]:
    with pipeline(extract_workers=workers) as stack:
        before = cpu_seconds(stack)
        started = drop_all(stack, scans)
        finished = wait_documents(stack, len(scans) + 1, timeout=150, poll=0.5)
        seconds = time.perf_counter() - started
        after = cpu_seconds(stack)
    # how many of the cores the extract workers got: on a shared machine, the ceiling of any speed-up
    cores = (after["extract"] - before["extract"]) / seconds
    cpu = f"{cpu_report(before, after)}; extract kept {cores:.2f} cores busy"
    return seconds, sum(1 for d in finished if d["status"] == "done") - 1, cpu


def main() -> None:
    scans = scanned_pages()
    print(
        f"scaling: {len(scans)} scanned single-page PDFs ({sum(len(d) for _, d in scans) // 1024} KiB, "
        f"OCR on every page); {load()}"
    )
    runs = [(workers, run(scans, workers)) for workers in (1, 2, 2, 1)]
    totals = {}
    for workers, (seconds, done, cpu) in runs:
        totals[workers] = totals.get(workers, 0.0) + seconds
        print(
            f"  {workers} extract worker{'s' if workers > 1 else ' '}: {seconds:6.1f}s, "
            f"{seconds / len(scans):5.1f}s a page ({done} of {len(scans)} done); CPU: {cpu}"
        )
    print(f"  speed-up 2 vs 1 workers: {totals[1] / totals[2]:.2f}x (target >= 1.7x); {load()}")


if __name__ == "__main__":
    main()
