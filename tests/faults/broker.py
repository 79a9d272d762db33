"""A RabbitMQ node of the test's own, on ports of its own, that the test may hurt.

The broker on 5672 is shared with every other test (and other people's runs): it must never
be stopped, let alone killed. This node has its own name, ports, data and log folders and
Erlang cookie, all under the test's temporary folder; it is started with the installed
rabbitmq-server and talks to the host's epmd like any other node."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

from tests.e2e.stack import free_port

SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
DIAGNOSTICS = "/usr/lib/rabbitmq/bin/rabbitmq-diagnostics"


def installed() -> bool:
    return Path(SERVER).exists() and Path(DIAGNOSTICS).exists()


class OwnBroker:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "rabbitmq"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.node = f"zbtest-{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"
        cookie = self.dir / ".erlang.cookie"  # a cookie of its own: nothing shared to read or leak
        cookie.write_text(secrets.token_hex(16).upper())
        cookie.chmod(0o400)
        (self.dir / "enabled_plugins").write_text("[].\n")  # no management plugin: a faster start
        self.env = {
            **os.environ,
            "HOME": str(self.dir),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(self.dir / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.dir / "log"),
            "RABBITMQ_PID_FILE": str(self.dir / "beam.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.dir / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(self.dir / "rabbitmq"),  # none there: the defaults
        }
        self.server: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 180) -> None:
        """Start the node (again, over the same data after a crash) and wait until it serves."""
        pid_file = self.dir / "beam.pid"
        pid_file.unlink(missing_ok=True)
        log = open(self.dir / f"server-{self.starts}.out", "wb")  # noqa: SIM115  (the server writes it)
        self.server = subprocess.Popen(
            [SERVER], env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"rabbitmq-server exited {self.server.returncode}:\n{self.tail()}")
            if self._diagnostics("is_running").returncode == 0:
                return
            time.sleep(1)
        raise TimeoutError(f"the test's own RabbitMQ node did not start in {timeout:.0f}s:\n{self.tail()}")

    def beam_pid(self) -> int:
        return int((self.dir / "beam.pid").read_text().split()[0])

    def kill9(self) -> None:
        """SIGKILL the Erlang VM: no shutdown, no flush; what a power cut or the OOM killer does."""
        pid = self.beam_pid()
        os.kill(pid, signal.SIGKILL)
        assert self.server is not None
        self.server.wait(30)  # the rabbitmq-server script exits with its VM

    def stop_app(self) -> None:
        self._ctl("stop_app")

    def start_app(self) -> None:
        self._ctl("start_app")

    def stop(self) -> None:
        """At the end of the test, whatever state it left the node in."""
        if self.server is not None and self.server.poll() is None:
            try:
                os.kill(self.beam_pid(), signal.SIGKILL)
            except (OSError, ValueError):
                os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(30)
        shutil.rmtree(self.dir / "mnesia", ignore_errors=True)

    def tail(self) -> str:
        outs = sorted(self.dir.glob("server-*.out"))
        return outs[-1].read_text(errors="replace")[-3000:] if outs else ""

    def _diagnostics(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [DIAGNOSTICS, "-n", self.node, "-q", *args], check=False, env=self.env, capture_output=True, timeout=60
        )

    def _ctl(self, *args: str) -> None:
        ctl = str(Path(DIAGNOSTICS).with_name("rabbitmqctl"))
        subprocess.run([ctl, "-n", self.node, *args], env=self.env, check=True, capture_output=True, timeout=120)
