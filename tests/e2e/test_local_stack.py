"""`zhibiao up` as a person runs it: stopped by SIGTERM (kill, systemd) or Ctrl-C (SIGINT to
the terminal's whole process group), it stops every service, frees the port and says so in
one line; a broker that refuses the login or has no such virtual host is one line too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import AMQP_URL, REPO
from tests.e2e.stack import free_port

pytestmark = pytest.mark.e2e
BOUND = 120  # seconds: a bound for a hung stack, far above what any machine needs


def _env(tmp_path: Path, namespace: str, port: int, amqp_url: str = AMQP_URL) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "ZHIBIAO_AMQP_URL": amqp_url,
        "ZHIBIAO_NAMESPACE": namespace,
        "ZHIBIAO_DATABASE_URL": f"sqlite:///{tmp_path}/zhibiao.db",
        "ZHIBIAO_BUCKET_URL": f"file://{tmp_path}/bucket",
        "ZHIBIAO_HTTP_PORT": str(port),
        "ZHIBIAO_API_TOKEN": "up-token",
    }


def _up(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
    """`zhibiao up` in a session of its own, as a shell in a terminal starts a foreground job."""
    out = tmp_path / "up.log"
    with open(out, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "zhibiao.tooling.cli", "up"],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return proc, out


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                status = (entry / "status").read_text()
                parents[int(entry.name)] = int(status.split("PPid:")[1].split()[0])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not a listener
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait(condition, what: str, out: Path) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}:\n{out.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_service_and_says_so_once(tmp_path, namespace, signum):
    port = free_port()
    proc, out = _up(tmp_path, _env(tmp_path, namespace, port))
    children: set[int] = set()
    try:
        _wait(
            lambda: "Ctrl-C to stop" in out.read_text(errors="replace") or proc.poll() is not None,
            "zhibiao up did not get ready",
            out,
        )
        assert proc.poll() is None, out.read_text()
        children = _descendants(proc.pid)
        assert len(children) >= 4, children
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # what a terminal does on Ctrl-C: the whole foreground group
        else:
            proc.send_signal(signum)  # what `kill PID` does
        proc.wait(BOUND)
        _wait(lambda: not any(_alive(p) for p in children), "services still running after zhibiao up exited", out)
        assert _port_free(port), f"port {port} still held"
        text = out.read_text(errors="replace")
        assert proc.returncode == 0, text
        assert "Traceback" not in text and "unexpectedly" not in text, text
        stop_lines = [line for line in text.splitlines() if line.startswith("zhibiao: stopped")]
        assert len(stop_lines) == 1 and signal.Signals(signum).name in stop_lines[0], text
    finally:
        for pid in {proc.pid, *children}:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)


@pytest.mark.parametrize(
    ("amqp_url", "says"),
    [
        ("amqp://guest:not-the-password@127.0.0.1:5672/%2F", "refused the login of user 'guest'"),
        ("amqp://guest:guest@127.0.0.1:5672/no-such-vhost", "virtual host 'no-such-vhost'"),
    ],
)
def test_a_broker_that_refuses_us_is_one_line(tmp_path, namespace, amqp_url, says):
    port = free_port()
    proc, out = _up(tmp_path, _env(tmp_path, namespace, port, amqp_url))
    try:
        proc.wait(BOUND)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    text = out.read_text(errors="replace")
    lines = [line for line in text.splitlines() if line.strip()]
    assert proc.returncode != 0 and len(lines) == 1 and says in lines[0], text
    assert "not-the-password" not in text
    assert _port_free(port)
