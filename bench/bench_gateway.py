"""Gateway under load: GET /v1/facts (and /v1/series where it exists) against /healthz in
the same run, with the reports of the samples loaded. A bounded number of requests from
client threads, each on its own keep-alive connection, loopback only; requests/s and p99.
wrk would load the server harder than Python threads sharing its two cores; it is used
when installed, for the same paths, after the threaded figures."""

from __future__ import annotations

import http.client
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

THREADS = 4
REQUESTS = 250  # per thread and path
PATHS = ("/healthz", "/v1/facts?limit=100", "/v1/facts?indicator=gdp&limit=100", "/v1/series?indicator=gdp")


def hammer(base: str, path: str) -> tuple[float, list[float], int]:
    """THREADS threads, REQUESTS each: wall time, every latency, and the non-200 count."""
    url = urlparse(base)
    latencies: list[list[float]] = [[] for _ in range(THREADS)]
    errors = [0] * THREADS
    start = threading.Barrier(THREADS + 1)

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
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
        ["wrk", "-t2", "-c8", "-d5s", "--latency", base + path], capture_output=True, text=True, timeout=30, check=False
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    return f"{float(rps.group(1)):7.0f} req/s, p99 {p99.group(1)}" if rps and p99 else out[-300:]


def main() -> None:
    print(f"gateway: {THREADS} client threads x {REQUESTS} requests a path, keep-alive, loopback; {load()}")
    with pipeline() as stack:
        drop_all(stack, [(p.name, p.read_bytes()) for p in TEXT_SAMPLES])
        wait_documents(stack, len(TEXT_SAMPLES) + 1, timeout=120, poll=0.5)
        facts = get_json(stack, "/v1/indicators")["items"]
        print(f"  loaded {len(TEXT_SAMPLES) + 1} documents, {sum(i['facts'] for i in facts)} facts")
        figures: dict[str, float] = {}
        for path in PATHS:
            if not exists(stack.base, path):
                print(f"  {path:36s} skipped: the gateway has no such endpoint (404)")
                continue
            seconds, latencies, errors = hammer(stack.base, path)
            figures[path] = len(latencies) / seconds
            print(
                f"  {path:36s} {figures[path]:7.0f} req/s, p50 {percentile(latencies, 50) * 1000:6.1f} ms, "
                f"p99 {percentile(latencies, 99) * 1000:6.1f} ms, {errors} not 200"
            )
        for path, rps in figures.items():
            if path != "/healthz":
                print(f"  ratio {path} / /healthz requests/s: {rps / figures['/healthz']:.2f}")
        for path in figures:
            wrk = with_wrk(stack.base, path)
            if wrk:
                print(f"  wrk {path:32s} {wrk}")
    print(f"  {load()}")


if __name__ == "__main__":
    main()
