"""What a parsing child can reach, seen from inside one: no secret of the service's
environment, no network, and limits on processes, open files, file size and core dumps.

The child is started from a fresh process whose environment holds secrets, as extract's does,
once with the fork server started by the sandbox and once started beforehand by someone else
(the child must then forget the secrets itself)."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO
from zhibiao.plumbing.errors import PermanentError

SECRETS = {
    "ZHIBIAO_AMQP_URL": "amqp://zb:s3cret-amqp@127.0.0.1:5672/%2F",
    "ZHIBIAO_DATABASE_URL": "postgresql://zb:s3cret-db@127.0.0.1/zb",
    "AWS_SECRET_ACCESS_KEY": "s3cret-aws",
}
_LIMITS = {
    "core": resource.RLIMIT_CORE,
    "nproc": resource.RLIMIT_NPROC,
    "nofile": resource.RLIMIT_NOFILE,
    "fsize": resource.RLIMIT_FSIZE,
}


def probe(data: bytes, *, ports: tuple[int, ...]) -> None:
    """Runs in the parsing child (the sandbox's test hook) and reports through the failure reason."""
    raw = open("/proc/self/environ", "rb").read()  # noqa: SIM115  (the block the kernel shows)
    reached = {}
    for port in ports:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=10).close()
            reached[port] = "connected"
        except OSError as exc:
            reached[port] = exc.strerror or str(exc)
    raise PermanentError(
        json.dumps(
            {
                "environ": sorted(k for k in os.environ if k.startswith(("ZHIBIAO_", "AWS_"))),
                "raw": sorted(v for v in SECRETS.values() if v.encode() in raw),
                "path": "PATH" in os.environ,
                "reached": reached,
                "limits": {name: resource.getrlimit(which)[0] for name, which in _LIMITS.items()},
            }
        )
    )


_SCRIPT = """
import functools, multiprocessing.forkserver, sys
from tests.unit.test_sandbox_confinement import probe
from zhibiao.parsing.sandbox import Sandbox, SandboxLimits
if sys.argv[1] == "started-before":
    multiprocessing.forkserver.ensure_running()
hook = functools.partial(probe, ports=tuple(int(p) for p in sys.argv[2:]))
try:
    Sandbox(SandboxLimits(timeout_seconds=3600), preload=(), hook=hook).extract(b"x", "probe.txt")
except Exception as exc:
    print(exc.args[0])
"""


@pytest.mark.parametrize("fork_server", ["started-by-the-sandbox", "started-before"])
def test_a_parsing_child_sees_no_secret_and_no_network(fork_server):
    with socket.create_server(("127.0.0.1", 0)) as listener:  # a service of ours, listening
        port = listener.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-c", _SCRIPT, fork_server, str(port), "5672"],
            cwd=REPO,
            env={**os.environ, **SECRETS, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["environ"] == [] and report["raw"] == [], report
    assert report["path"], "what a parser needs stays"
    assert all(result != "connected" for result in report["reached"].values()), report["reached"]
    limits = report["limits"]
    assert limits["core"] == 0 and limits["fsize"] != resource.RLIM_INFINITY, limits
    assert 0 < limits["nofile"] <= 1024 and limits["nproc"] != resource.RLIM_INFINITY, limits
