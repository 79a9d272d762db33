"""The services as real processes, plus the means to hurt them: kill -9, broker and database
restarts, and the queue depths and dead letters to look at afterwards."""

from __future__ import annotations

import hashlib
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pika
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from tests.conftest import AMQP_URL, SAMPLES
from tests.e2e.stack import Stack
from zhibiao.plumbing.bus import connection_parameters
from zhibiao.plumbing.config import Settings
from zhibiao.plumbing.messages import Envelope

BASE_TEXT = (SAMPLES / "gaoyang-2019.txt").read_bytes()
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def documents(count: int, *, seed: int = 0) -> dict[str, bytes]:
    """`count` distinct reports: one sample plus a closing line with a tag and a figure of
    its own (the checker looks for that figure among the document's facts): name -> bytes."""
    rng = random.Random(seed)
    out = {}
    for i in range(count):
        tag = "".join(rng.choice(_LETTERS) for _ in range(16))
        out[f"report-{i:03d}.txt"] = BASE_TEXT + _closing(tag, 100000 + seed * 1000 + i)
    return out


def _closing(tag: str, figure: int) -> bytes:
    return f"\n\n（档案标记 {tag}）\n2019年全县粮食总产量达到{figure}万吨。\n".encode()


_FIGURE = re.compile(r"粮食总产量达到(\d+)万吨".encode())


def figures(files: dict[str, bytes]) -> dict[str, float]:
    """Document id -> the figure only its file states (for the checker's content check)."""
    out = {}
    for data in files.values():
        found = _FIGURE.findall(data[-200:])
        if found:
            out[sha(data)] = float(found[-1])
    return out


def facts_of_one() -> int:
    """Every generated document is the same report plus its closing line: one extraction's
    fact count, the same for all of them."""
    if not _ONE:
        from zhibiao.parsing.extraction import extract_bytes

        _ONE.append(len(extract_bytes(BASE_TEXT + _closing("x" * 16, 123456), "r.txt").extraction.facts))
    return _ONE[0]


_ONE: list[int] = []


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def wait_until(predicate, timeout: float, step: float = 0.5, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


class FaultStack(Stack):
    def __init__(self, workdir: Path, *, namespace: str, database_url: str, extra_env: dict | None = None) -> None:
        super().__init__(
            workdir,
            namespace=namespace,
            database_url=database_url,
            extra_env={"ZHIBIAO_RESCAN_SECONDS": "1", **(extra_env or {})},
        )
        # the shared broker, unless the test brought a node of its own (extra_env ZHIBIAO_AMQP_URL)
        self.settings = Settings(amqp_url=self.env.get("ZHIBIAO_AMQP_URL", AMQP_URL), namespace=namespace)
        self.kills = 0

    def start(self, name: str) -> subprocess.Popen:
        """Extract runs as the fault variant that installs the test's parser hooks from its
        environment (tests/faults/hooks.py); the production extract has none."""
        if name != "extract":
            return super().start(name)
        return self.start_module("extract", "tests.faults.variants", "extract")

    def start_services(
        self, *, extract_workers: int = 1, store: bool = True, gateway: bool = False, ingest: bool = True
    ) -> FaultStack:
        """Without the gateway unless asked: the checks read the database and the broker directly.
        A test that runs its own variant of the store or of ingest starts it itself."""
        if store:
            self.start("store")
        for _ in range(extract_workers):
            self.start("extract")
        if ingest:
            self.start("ingest")
        if gateway:
            self.start("gateway")
            self.wait_ready()
        consumers = extract_workers + (2 if store else 0)
        wait_until(lambda: self.grep_logs("zhibiao.plumbing.bus: consuming") >= consumers, 60, what="consumers")
        return self

    def start_module(self, name: str, module: str, *args: str, env: dict | None = None) -> subprocess.Popen:
        """A test-only variant of a service (e.g. an unsafe store), logged like the others."""
        self.procs.setdefault(name, [])
        log = open(self.workdir / f"{name}-{len(self.procs[name])}.log", "wb")  # noqa: SIM115  (the process writes it)
        proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=self.workdir,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs[name].append(proc)
        return proc

    def deliveries(self) -> list[tuple[str, str, str, bool]]:
        """What the logged store variants saw: (type, message id, document, redelivered)."""
        log = self.workdir / "deliveries.log"
        out = []
        for line in log.read_text().splitlines() if log.exists() else []:
            parts = line.split()
            if len(parts) == 4 and parts[3].startswith("redelivered="):
                out.append((parts[0], parts[1], parts[2], parts[3] == "redelivered=True"))
        return out

    def consumer_connects(self) -> dict[str, Counter]:
        """Per service log, how many times each of its queues was (re)consumed: a process with
        two consumers (the store) must show every one of them back after a broker outage."""
        pattern = re.compile(r"zhibiao\.plumbing\.bus: consuming (\S+)")
        return {
            p.stem: Counter(pattern.findall(p.read_text(errors="replace"))) for p in sorted(self.workdir.glob("*.log"))
        }

    def alive(self, name: str) -> list[subprocess.Popen]:
        return [p for p in self.procs.get(name, []) if p.poll() is None]

    def kill9(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        self.kills += 1

    def drop(self, files: dict[str, bytes]) -> dict[str, int]:
        """Write each file aside and move it in whole; returns accepted ids -> copies."""
        accepted: dict[str, int] = {}
        tmp = self.workdir / "incoming"
        tmp.mkdir(exist_ok=True)
        for name, data in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)  # a name may carry subfolders
            (self.bucket / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_bytes(data)
            os.replace(tmp / name, self.bucket / name)
            accepted[sha(data)] = accepted.get(sha(data), 0) + 1
        return accepted

    # -- broker side ---------------------------------------------------------------------------
    def _channel_call(self, fn):
        conn = pika.BlockingConnection(connection_parameters(self.settings))
        try:
            return fn(conn.channel())
        finally:
            conn.close()

    def ready(self, queue: str) -> int:
        """Messages waiting in a queue (not counting those delivered and unacked)."""
        try:
            return self._channel_call(
                lambda ch: ch.queue_declare(self.settings.queue(queue), passive=True).method.message_count
            )
        except pika.exceptions.ChannelClosedByBroker:
            return 0

    def dead_letters(self) -> list[Envelope]:
        def drain(ch):
            out = []
            while True:
                method, _props, body = ch.basic_get(self.settings.queue("dead"), auto_ack=False)
                if method is None:
                    return out
                out.append(Envelope.model_validate_json(body))

        return self._channel_call(drain)  # unacked: they go back when the connection closes

    def grep_logs(self, needle: str) -> int:
        return sum(p.read_text(errors="replace").count(needle) for p in self.workdir.glob("*.log"))

    def statuses(self) -> dict[str, str]:
        """Document id -> status, straight from the database ({} while it is away)."""
        engine = create_engine(self.env["ZHIBIAO_DATABASE_URL"])
        try:
            with engine.connect() as conn:
                return dict(conn.execute(text("SELECT id, status FROM documents")).all())
        except (OperationalError, ProgrammingError):
            return {}
        finally:
            engine.dispose()

    def settled(self, ids: set[str]) -> bool:
        docs = self.statuses()
        return all(docs.get(i) in ("done", "failed") for i in ids)


def rabbitmqctl(*args: str, timeout: float = 120) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=timeout)


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", action],
        check=True,
        capture_output=True,
        timeout=120,
    )
