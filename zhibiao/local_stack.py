"""`zhibiao up`: the four services as local processes, logs prefixed by service name."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from pathlib import Path

from zhibiao.bucket import open_bucket
from zhibiao.config import Settings

SERVICES = ("store", "extract", "ingest", "gateway")
_COLOURS = {"store": 33, "extract": 36, "ingest": 35, "gateway": 32}


def _pipe(name: str, stream) -> None:
    tty = sys.stdout.isatty()
    prefix = f"\033[{_COLOURS[name]}m{name:>8}\033[0m | " if tty else f"{name:>8} | "
    for line in iter(stream.readline, b""):
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


def start_services(env: dict[str, str] | None = None) -> list[subprocess.Popen]:
    procs = []
    for name in SERVICES:
        proc = subprocess.Popen([sys.executable, "-m", f"services.{name}"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        threading.Thread(target=_pipe, args=(name, proc.stdout), daemon=True).start()
        procs.append(proc)
    return procs


def stop_services(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.loads(r.read())


def _documents(base: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = _get(f"{base}/v1/documents?limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _fact_count(base: str, document_id: str) -> int:
    total, cursor = 0, None
    while True:
        page = _get(f"{base}/v1/facts?document_id={document_id}&limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


def wait_for(base: str, names: set[str], timeout: float = 600) -> list[dict]:
    """Poll the gateway until every named file is done or failed; print progress."""
    started, last = time.monotonic(), None
    while time.monotonic() - started < timeout:
        try:
            docs = [d for d in _documents(base) if d["source_name"] in names]
        except OSError:
            docs = []
        finished = [d for d in docs if d["status"] in ("done", "failed")]
        progress = f"{len(finished)}/{len(names)} processed"
        if progress != last:
            print(f"    zhibiao | {progress} ({time.monotonic() - started:.1f}s)", flush=True)
            last = progress
        if len(finished) == len(names):
            return docs
        time.sleep(0.5)
    raise TimeoutError(f"not every sample was processed within {timeout:.0f}s")


def drop(bucket, path: Path) -> None:
    """Into a folder bucket as a person would (by name, so a second run finds it taken);
    into S3 as an upload."""
    root = bucket.watch_root()
    if root is not None:
        shutil.copy(path, root / path.name)
    else:
        bucket.put(path.read_bytes(), path.name)


def _wait_ready(base: str, procs: list[subprocess.Popen], timeout: float = 60) -> None:
    """Until the gateway says the database and broker answer, so that drops raise file events."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError("a service exited during start-up; see its log above")
        try:
            _get(f"{base}/readyz")
            time.sleep(0.5)  # ingest's watcher starts alongside; give it a moment
            return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the gateway at {base} did not become ready within {timeout:.0f}s")


def _pad(text: str, width: int) -> str:
    """Pad to a display width: CJK characters take two columns in a terminal."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


def print_table(base: str, docs: list[dict]) -> None:
    print(f"\n{'document':42} {'region':20} {'year':>5} {'status':8} {'facts':>6}")
    for d in sorted(docs, key=lambda d: d["source_name"]):
        facts = _fact_count(base, d["id"]) if d["status"] == "done" else 0
        print(f"{_pad(d['source_name'], 42)} {_pad(d.get('region') or '-', 20)} {d.get('plan_year') or '-':>5} "
              f"{d['status']:8} {facts:>6}")
        if d["status"] == "failed":
            print(f"{'':42} reason: {d['error']}")


def run_stack(samples: str | None = None, wait: bool = True) -> int:
    settings = Settings()
    base = f"http://{settings.http_host}:{settings.http_port}"
    bucket = open_bucket(settings.bucket_url)
    t0 = time.monotonic()
    procs = start_services()
    try:
        _wait_ready(base, procs)
        if samples:
            files = sorted(p for p in Path(samples).iterdir() if p.is_file() and p.name != "README.md")
            for f in files:
                drop(bucket, f)
            docs = wait_for(base, {f.name for f in files})
            print_table(base, docs)
            print(f"\nall {len(files)} samples processed in {time.monotonic() - t0:.1f}s")
        print(f"gateway: {base}/  (API: {base}/docs)  — Ctrl-C to stop", flush=True)
        if wait:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            dead = [n for n, p in zip(SERVICES, procs) if p.poll() is not None]
            print(f"service stopped unexpectedly: {', '.join(dead)}", file=sys.stderr)
            return 1
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        stop_services(procs)
