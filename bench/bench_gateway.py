"""Gateway under load: GET /v1/facts (and /v1/series where it exists) against /healthz in
the same run, with the reports of the samples loaded. A bounded number of requests from
client threads, each on its own keep-alive connection, loopback only; requests/s and p99.

    .venv/bin/python bench/bench_gateway.py               # the gateway's default: a worker a core
    .venv/bin/python bench/bench_gateway.py --workers 1   # ZHIBIAO_HTTP_WORKERS for the run

Two clients load the same paths, one after the other, with the same number of connections:
THREADS Python threads (http.client), always, and wrk when it is installed (`apt-get install
wrk`; without it that part is skipped). The target of issue 13 (/v1/facts?limit=100: at least
200 requests/s, p99 at most 50 ms) is judged on the threaded figures: they need nothing
installed and are what earlier runs measured. On this 2-core machine the client shares the
cores with the gateway, the broker and the other services; the threads spend about 0.2 ms
of CPU a request and hold the GIL among themselves, wrk (C) far less, so wrk's figures are
nearer what the gateway alone can serve, and the gap between the two is the client's cost.
Both move with whatever else the machine runs: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import TEXT_SAMPLES, drop_all, get_json, load, percentile, pipeline, wait_documents

THREADS = 4  # connections, for the threads and for wrk
REQUESTS = 250  # per thread and path
WARM = 20  # per thread and path, untimed: each worker process's first requests of a path are slower
TARGET_PATH, TARGET_RPS, TARGET_P99 = "/v1/facts?limit=100", 200.0, 0.050
PATHS = ("/healthz", "/v1/facts?limit=100", "/v1/facts?indicator=gdp&limit=100", "/v1/series?indicator=gdp")


def hammer(base: str, path: str) -> tuple[float, list[float], int]:
    """THREADS threads, REQUESTS each: wall time, every latency, and the non-200 count."""
    url = urlparse(base)
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    errors = [0] * THREADS
    start = threading.Barrier(THREADS + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        for _ in range(WARM):
            conn.request("GET", path)
            conn.getresponse().read()
        start.wait()
        for _ in range(REQUESTS):
            t = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - t)
            errors[i] += response.status != 200
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began, [x for per in latencies for x in per], sum(errors)


def exists(base: str, path: str) -> bool:
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status != 404


def with_wrk(base: str, path: str) -> str | None:
    if not shutil.which("wrk"):
        return None
    out = subprocess.run(
        ["wrk", "-t2", f"-c{THREADS}", "-d5s", "--latency", base + path],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return f"{float(rps.group(1)):7.0f} req/s, p99 {p99.group(1)}" if rps and p99 else out[-300:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=0, help="ZHIBIAO_HTTP_WORKERS (0: one per core)")
    args = parser.parse_args()
    workers = args.workers or os.cpu_count() or 1
    print(
        f"gateway: {workers} worker process(es), {THREADS} client threads x {REQUESTS} requests a path, "
        f"keep-alive, loopback; {load()}"
    )
    with pipeline(extra_env={"ZHIBIAO_HTTP_WORKERS": str(workers)}) as stack:
        drop_all(stack, [(p.name, p.read_bytes()) for p in TEXT_SAMPLES])
        wait_documents(stack, len(TEXT_SAMPLES) + 1, timeout=120, poll=0.5)
        facts = get_json(stack, "/v1/indicators")["items"]
        print(f"  loaded {len(TEXT_SAMPLES) + 1} documents, {sum(i['facts'] for i in facts)} facts")
        figures: dict[str, tuple[float, float]] = {}  # requests/s, p99 in seconds
        for path in PATHS:
            if not exists(stack.base, path):
                print(f"  {path:36s} skipped: the gateway has no such endpoint (404)")
                continue
            seconds, latencies, errors = hammer(stack.base, path)
            figures[path] = (len(latencies) / seconds, percentile(latencies, 99))
            print(
                f"  {path:36s} {figures[path][0]:7.0f} req/s, p50 {percentile(latencies, 50) * 1000:6.1f} ms, "
                f"p99 {figures[path][1] * 1000:6.1f} ms, {errors} not 200"
            )
        for path, (rps, _) in figures.items():
            if path != "/healthz":
                print(f"  ratio {path} / /healthz requests/s: {rps / figures['/healthz'][0]:.2f}")
        rps, p99 = figures[TARGET_PATH]
        met = rps >= TARGET_RPS and p99 <= TARGET_P99
        print(
            f"  target {TARGET_PATH} (threads): >= {TARGET_RPS:.0f} req/s and p99 <= {TARGET_P99 * 1000:.0f} ms: "
            f"{'met' if met else 'not met'} ({rps:.0f} req/s, p99 {p99 * 1000:.1f} ms)"
        )
        if not shutil.which("wrk"):
            print("  wrk: not installed, skipped (apt-get install wrk)")
        for path in figures:
            wrk = with_wrk(stack.base, path)
            if wrk:
                print(f"  wrk -c{THREADS} {path:32s} {wrk}")
    print(f"  {load()}")


if __name__ == "__main__":
    main()
