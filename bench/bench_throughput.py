"""Throughput: N text reports dropped at once through the running pipeline (one extract
worker) against the same reports through zhibiao.extraction.extract_bytes in this process,
which is the limit the pipeline can approach. Target ratio >= 0.8."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    TEXT_SAMPLES,
    cpu_report,
    cpu_seconds,
    drop_all,
    load,
    pipeline,
    variant,
    wait_documents,
)

COPIES = 2  # each sample twice (other bytes, same text): 34 documents


def documents() -> list[tuple[str, bytes]]:
    return [(f"{i}-{p.name}", variant(p.read_bytes(), i)) for i in range(COPIES) for p in TEXT_SAMPLES]


def in_process(docs: list[tuple[str, bytes]]) -> float:
    from zhibiao.extraction import extract_bytes

    started = time.perf_counter()
    for name, data in docs:
        extract_bytes(data, name)
    return time.perf_counter() - started


def main() -> None:
    from zhibiao.extraction import extract_bytes

    docs = documents()
    print(f"throughput: {len(docs)} text reports ({sum(len(d) for _, d in docs) / 2**20:.1f} MiB); {load()}")
    extract_bytes(docs[0][1], docs[0][0])  # jieba's dictionary and the readers load once
    # in-process before and after the pipeline runs, so that a change of load hits both sides
    before = in_process(docs)
    runs = {workers: through_pipeline(docs, workers) for workers in (1, 2)}
    after = in_process(docs)
    limit = (before + after) / 2
    print(f"  in one process (extract_bytes):  {limit:6.2f}s  {len(docs) / limit:5.1f} docs/s "
          f"(runs {before:.2f}s, {after:.2f}s)")
    for workers, (seconds, done, cpu) in runs.items():
        print(f"  through the pipeline ({workers} extract): {seconds:6.2f}s  {len(docs) / seconds:5.1f} docs/s "
              f"({done} of {len(docs)} done); CPU: {cpu}")
    print(f"  ratio pipeline/in-process: {limit / runs[1][0]:.2f} with 1 extract worker (target >= 0.8), "
          f"{limit / runs[2][0]:.2f} with 2; {load()}")


def through_pipeline(docs: list[tuple[str, bytes]], workers: int) -> tuple[float, int, str]:
    with pipeline(extract_workers=workers) as stack:
        cpu_before = cpu_seconds(stack)
        started = drop_all(stack, docs)
        finished = wait_documents(stack, len(docs) + 1, timeout=120)  # + the warm-up document
        seconds = time.perf_counter() - started
        cpu = cpu_report(cpu_before, cpu_seconds(stack))
    return seconds, sum(1 for d in finished if d["status"] == "done") - 1, cpu


if __name__ == "__main__":
    main()
