"""`zhibiao up`: the four services as local processes, logs prefixed by service name."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
from pathlib import Path

from zhibiao.buckets import open_bucket
from zhibiao.plumbing.config import Settings

SERVICES = ("store", "extract", "ingest", "gateway")
_COLOURS = {"store": 33, "extract": 36, "ingest": 35, "gateway": 32}


def _pipe(name: str, stream) -> None:
    tty = sys.stdout.isatty()
    prefix = f"\033[{_COLOURS[name]}m{name:>8}\033[0m | " if tty else f"{name:>8} | "
    for line in iter(stream.readline, b""):
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


_PIPES: dict[int, threading.Thread] = {}


def start_services(env: dict[str, str] | None = None) -> list[subprocess.Popen]:
    procs = []
    for name in SERVICES:
        # A process group of their own: Ctrl-C in the terminal reaches only `zhibiao up`, which
        # stops them in order, instead of each service getting SIGINT and dying on its own.
        proc = subprocess.Popen(
            [sys.executable, "-m", f"services.{name}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
            env={**os.environ, **(env or {})},
        )
        _PIPES[proc.pid] = threading.Thread(target=_pipe, args=(name, proc.stdout), daemon=True)
        _PIPES[proc.pid].start()
        procs.append(proc)
    return procs


def stop_services(procs: list[subprocess.Popen], grace: float = 10) -> list[str]:
    """SIGTERM to every service, SIGKILL to those still running after `grace` seconds; the
    names of those killed."""
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    killed = []
    for name, p in zip(SERVICES, procs, strict=False):
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            killed.append(name)
    for p in procs:  # their last lines, before ours
        pipe = _PIPES.pop(p.pid, None)
        if pipe is not None:
            pipe.join(timeout=2)
    return killed


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


def _count(base: str, what: str, document_id: str) -> int:
    """How many facts or tasks (`what`) a document has."""
    total, cursor = 0, None
    while True:
        page = _get(f"{base}/v1/{what}?document_id={document_id}&limit=1000" + (f"&cursor={cursor}" if cursor else ""))
        total += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return total


def _known(base: str, path: Path) -> bool:
    """True if the gateway already holds this file (by the sha256 of its bytes), done or under way:
    dropping it again would only extract it again."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        doc = _get(f"{base}/v1/documents/{sha}")
        return doc["status"] != "failed" and doc["source_name"] == path.name
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return False
        raise


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


def _holds(base: str, d: dict) -> str:
    """What a document yielded, in words: a key-task table its tasks, a report its facts."""
    if d["status"] != "done":
        return "-"
    if d.get("doc_type") == "progress_table":
        tasks = _count(base, "tasks", d["id"])
        return f"{tasks} task{'s' if tasks != 1 else ''}"
    facts = _count(base, "facts", d["id"])
    return f"{facts} fact{'s' if facts != 1 else ''}"


def print_table(base: str, docs: list[dict]) -> None:
    print(f"\n{'document':42} {'region':20} {'year':>5} {'status':8} {'yield':>10}")
    for d in sorted(docs, key=lambda d: d["source_name"]):
        print(
            f"{_pad(d['source_name'], 42)} {_pad(d.get('region') or '-', 20)} {d.get('plan_year') or '-':>5} "
            f"{d['status']:8} {_holds(base, d):>10}"
        )
        if d["status"] == "failed":
            print(f"{'':42} reason: {d['error']}")


# SIGHUP too: the services are out of the terminal's foreground group, so when the terminal
# closes only `zhibiao up` hears it, and must take them down with it.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class _Stop(Exception):
    """SIGTERM, SIGINT or SIGHUP: stop every service, then exit."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signame = signal.Signals(signum).name


def _on_signal(signum, _frame):
    # Once: a second Ctrl-C must not cut the orderly stop short (stop_services kills after 10 s).
    for sig in _STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    raise _Stop(signum)


def broker_problem(settings: Settings) -> str | None:
    """One line saying why the broker will not have us, or None when it will. The services
    would retry such a login forever, hundreds of log lines that never say what is wrong."""
    import pika
    from pika import exceptions

    from zhibiao.plumbing.bus import connection_parameters
    from zhibiao.plumbing.config import broker_credentials

    params = connection_parameters(settings)
    where = f"the broker at {params.host}:{params.port} (ZHIBIAO_AMQP_URL)"
    user = broker_credentials(settings.amqp_url)[0]
    try:
        pika.BlockingConnection(params).close()
    except exceptions.ProbableAuthenticationError:
        return f"{where} refused the login of user '{user}': wrong user or password"
    except exceptions.ProbableAccessDeniedError:
        return f"{where} has no virtual host '{params.virtual_host}', or user '{user}' may not use it"
    except exceptions.AMQPError as exc:
        return f"{where} does not answer: {type(exc).__name__} {exc}".strip()
    return None


def run_stack(samples: str | None = None, wait: bool = True) -> int:
    settings = Settings()
    base = f"http://{settings.http_host}:{settings.http_port}"
    problem = broker_problem(settings)
    if problem:
        print(f"zhibiao: {problem}", file=sys.stderr, flush=True)
        return 2
    bucket = open_bucket(settings.bucket_url)
    t0 = time.monotonic()
    previous = {sig: signal.signal(sig, _on_signal) for sig in _STOP_SIGNALS}
    procs: list[subprocess.Popen] = []
    status, stopped_by = 0, None
    try:
        procs = start_services()
        _wait_ready(base, procs)
        if samples:
            files = sorted(p for p in Path(samples).iterdir() if p.is_file() and p.name != "README.md")
            new = [f for f in files if not _known(base, f)]
            for f in new:
                drop(bucket, f)
            if len(new) < len(files):
                print(
                    f"    zhibiao | {len(files) - len(new)} of {len(files)} samples are stored already: "
                    "not dropped again",
                    flush=True,
                )
            docs = wait_for(base, {f.name for f in files})
            print_table(base, docs)
            print(
                f"\nall {len(files)} samples processed in {time.monotonic() - t0:.1f}s"
                + (f" ({len(new)} extracted now)" if len(new) < len(files) else "")
            )
        print(f"gateway: {base}/  (API: {base}/docs)  — Ctrl-C to stop", flush=True)
        if wait:
            while all(p.poll() is None for p in procs):
                time.sleep(0.5)
            dead = [n for n, p in zip(SERVICES, procs, strict=False) if p.poll() is not None]
            print(f"service stopped unexpectedly: {', '.join(dead)}", file=sys.stderr)
            status = 1
    except _Stop as stop:
        stopped_by = stop.signame
    except (RuntimeError, TimeoutError) as exc:  # start-up went wrong; the services' log says why
        print(f"zhibiao: {exc}", file=sys.stderr, flush=True)
        status = 1
    finally:
        for sig in _STOP_SIGNALS:  # a signal now would cut the stop short
            signal.signal(sig, signal.SIG_IGN)
        try:
            killed = stop_services(procs)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    if stopped_by:
        forced = f" (killed after 10 s: {', '.join(killed)})" if killed else ""
        print(f"zhibiao: stopped on {stopped_by}: {', '.join(SERVICES)} have exited{forced}", flush=True)
    return status
