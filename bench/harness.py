"""What the benchmarks share: the four services as processes (tests/e2e/stack.py) on a
private broker namespace, a SQLite file and a bucket folder, and ways to time them.

Every benchmark prints ratios of figures measured in the same run, because this machine
(2 cores) is shared: absolute times move with the load, ratios much less. The load
average is printed beside them for that reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Self

from tests.conftest import AMQP_URL, SAMPLES
from tests.e2e.stack import Stack

TEXT_SAMPLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def require_broker() -> None:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError:
        raise SystemExit("RabbitMQ is not running on 127.0.0.1:5672 (scripts/ensure-rabbitmq.sh starts it)") from None


@contextlib.contextmanager
def pipeline(
    *,
    extract_workers: int = 1,
    rescan_seconds: float = 60.0,
    extra_env: dict[str, str] | None = None,
    drop: Callable[[Stack, list[tuple[str, bytes]]], float] | None = None,
) -> Iterator[Stack]:
    """The services running, warmed up by one document, on a fresh namespace, database and bucket
    (a folder unless extra_env names another; `drop` puts files into it, drop_all by default).
    A long rescan period: whatever is taken within it came through file or bucket events."""
    from pika.exceptions import AMQPError

    from zhibiao.plumbing.bus import delete_topology
    from zhibiao.plumbing.config import Settings

    require_broker()
    workdir = Path(tempfile.mkdtemp(prefix="zhibiao-bench-"))
    namespace = f"bench{uuid.uuid4().hex[:8]}."
    stack = Stack(
        workdir,
        namespace=namespace,
        database_url=f"sqlite:///{workdir}/zhibiao.db",
        extra_env={
            "ZHIBIAO_RESCAN_SECONDS": str(rescan_seconds),
            "ZHIBIAO_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
            **(extra_env or {}),
        },
    )
    try:
        for _ in range(extract_workers - 1):
            stack.start("extract")
        stack.start_all()
        warm = TEXT_SAMPLES[0].read_bytes() + b"\n<!-- warm-up -->\n"
        (drop or drop_all)(stack, [("warm-up.md", warm)])
        wait_documents(stack, 1, timeout=120)
        yield stack
    finally:
        stack.stop()
        try:
            delete_topology(Settings(amqp_url=AMQP_URL, namespace=namespace))
        except (OSError, AMQPError) as exc:
            print(f"  note: the queues of {namespace} were not deleted: {exc!r}")
        shutil.rmtree(workdir, ignore_errors=True)


def drop_all(stack: Stack, files: list[tuple[str, bytes]]) -> float:
    """Write the files beside the bucket, then move them all in at once; returns the moment
    the first one arrived (time.perf_counter)."""
    staging = stack.workdir / "staging"
    staging.mkdir(exist_ok=True)
    for name, data in files:
        (staging / name).write_bytes(data)
    started = time.perf_counter()
    for name, _ in files:
        os.rename(staging / name, stack.bucket / name)
    return started


def get_json(stack: Stack, path: str):
    with urllib.request.urlopen(stack.base + path, timeout=10) as r:
        return json.loads(r.read())


def wait_documents(stack: Stack, count: int, *, timeout: float, poll: float = 0.1) -> list[dict]:
    """Poll the gateway until `count` documents are done or failed; raises on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            docs = get_json(stack, "/v1/documents?limit=1000")["items"]
        except (OSError, urllib.error.HTTPError):
            docs = []
        finished = [d for d in docs if d["status"] in ("done", "failed")]
        if len(finished) >= count:
            failed = [d for d in finished if d["status"] == "failed"]
            if failed:
                print(f"  note: {len(failed)} failed: {[d.get('error') for d in failed][:3]}")
            return finished
        time.sleep(poll)
    raise TimeoutError(f"{count} documents not processed within {timeout:.0f}s\n{stack.logs()}")


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) of each service with its descendants (the parsing children
    included once reaped), and of the broker (RabbitMQ's Erlang VM: shared with whatever else
    uses it, nothing else during a bench), from /proc; diff two readings to see where a run's
    time went."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    brokers: list[int] = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name, rest = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            fields = rest.split()
            # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15)
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / ticks)
            if name.endswith("(beam.smp"):
                brokers.append(int(entry.name))
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> float:
        return stats.get(pid, (0, 0.0))[1] + sum(tree(c) for c in children.get(pid, []))

    out: dict[str, float] = {}
    for name, procs in stack.procs.items():
        out[name] = sum(tree(p.pid) for p in procs)
    out["broker"] = sum(tree(pid) for pid in brokers if stats[pid][0] not in brokers)
    return out


def cpu_report(before: dict[str, float], after: dict[str, float]) -> str:
    return ", ".join(f"{name} {after[name] - before.get(name, 0.0):.1f}s" for name in after)


def variant(data: bytes, i: int) -> bytes:
    """The same text as another document (trailing newlines are cleaned away), other bytes."""
    return data + b"\n" * (i + 1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f}s, min {min(values):.3f}s, max {max(values):.3f}s over {len(values)}"


def finished(stack: Stack) -> tuple[int, int]:
    """(done, failed) documents, from the gateway's counts: one cheap request each, where
    paging every document on each poll would load the gateway the benchmark measures."""
    counts = [get_json(stack, f"/v1/documents?status={s}&limit=1")["total"] for s in ("done", "failed")]
    return counts[0], counts[1]


def _descendants() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone between the listing and the read
            children.setdefault(ppid, []).append(int(entry.name))
    return children


def _status_kib(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler:
    """Polls, in a thread, the ready messages of the extract and store queues (a passive
    queue_declare: the management API is not enabled here) and the resident memory of each
    service process with its children (the extract sandbox's parsing child); keeps the peaks.

    Memory per service copy: the peak of the summed VmRSS of its process tree over the
    samples, and the largest VmHWM (the kernel's own high-water mark, which catches a peak
    between two samples) of any process in the tree."""

    def __init__(self, stack: Stack, every: float = 0.5) -> None:
        import threading

        self.stack = stack
        self.every = every
        self.queues = {q: 0 for q in ("extract", "store")}
        self.rss: dict[str, int] = {}  # "extract 1" -> KiB
        self.hwm: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import pika

        from zhibiao.plumbing.bus import connection_parameters
        from zhibiao.plumbing.config import Settings

        settings = Settings(amqp_url=AMQP_URL, namespace=self.stack.env["ZHIBIAO_NAMESPACE"])
        connection = pika.BlockingConnection(connection_parameters(settings))
        try:
            channel = connection.channel()
            while not self._stop.is_set():
                for q in self.queues:
                    ready = channel.queue_declare(settings.queue(q), passive=True).method.message_count
                    self.queues[q] = max(self.queues[q], ready)
                self._memory()
                self._stop.wait(self.every)
        finally:
            connection.close()

    def _memory(self) -> None:
        children = _descendants()
        for name, procs in self.stack.procs.items():
            for i, p in enumerate(procs):
                label = f"{name}#{i + 1}" if len(procs) > 1 else name
                tree, todo = [], [p.pid]
                while todo:
                    pid = todo.pop()
                    tree.append(pid)
                    todo += children.get(pid, [])
                rss = sum(_status_kib(pid, "VmRSS") for pid in tree)
                hwm = max(_status_kib(pid, "VmHWM") for pid in tree)
                self.rss[label] = max(self.rss.get(label, 0), rss)
                self.hwm[label] = max(self.hwm.get(label, 0), hwm)

    def memory_report(self) -> str:
        return ", ".join(
            f"{label} {self.rss[label] / 1024:.0f} MiB (largest process {self.hwm[label] / 1024:.0f})"
            for label in self.rss
        )
