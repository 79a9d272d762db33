"""What a parsing child gives up before it touches untrusted bytes.

A parser exploit (pdfium, libtiff, onnxruntime) runs with whatever the child holds. So the
child keeps no secret (the service's environment carries the broker, database and S3
credentials), no network (a new, empty network namespace where the kernel lets us make one),
and small limits on processes, open files, file size and core dumps, beside the memory and
time limits of the sandbox. Linux only, like the fork server it runs under.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from collections.abc import Mapping

_CLONE_NEWNET, _CLONE_NEWUSER = 0x40000000, 0x10000000

# What a parser may need from the environment: where things are, the locale, thread counts.
# Anything else (ZHIBIAO_*, AWS_*, PG*, tokens of any name) stays with the service.
_KEEP = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "USER",
        "LOGNAME",
        "TERM",
        "PYTHONPATH",
        "PYTHONHASHSEED",
        "PYTHONIOENCODING",
        "PYTHONUTF8",
        "VIRTUAL_ENV",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
    }
)
_KEEP_PREFIXES = ("LC_",)


def scrubbed(environ: Mapping[str, str]) -> dict[str, str]:
    """The part of an environment a parser may see."""
    return {k: v for k, v in environ.items() if k in _KEEP or k.startswith(_KEEP_PREFIXES)}


def forget_environment() -> None:
    """Drop every variable a parser need not see, from os.environ and from the block the kernel
    shows as /proc/self/environ (the one the process started with, inherited through fork)."""
    kept = scrubbed(os.environ)
    os.environ.clear()  # unsetenv() while the original strings are still intact
    try:
        with open("/proc/self/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        start, end = int(fields[47]), int(fields[48])  # env_start, env_end: fields 50 and 51
        if 0 < start < end:
            ctypes.memset(start, 0, end - start)
    except (OSError, IndexError, ValueError):
        pass  # kernels before 3.5 do not show the block's bounds; os.environ is clean all the same
    os.environ.update(kept)


def leave_network() -> str | None:
    """Move into a new network namespace with nothing in it (not even loopback up). None when
    done, else why not: CLONE_NEWNET needs CAP_SYS_ADMIN, or a user namespace of our own."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) == 0:
        return None
    first = os.strerror(ctypes.get_errno())
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return None
    return (
        f"parsing children keep the network: no new network namespace ({first}; with a user "
        f"namespace: {os.strerror(ctypes.get_errno())}); allow unshare(2) or run extract with "
        "CAP_SYS_ADMIN to cut them off"
    )


def limit_resources(*, processes: int, open_files: int, file_bytes: int) -> None:
    """Limits the kernel enforces on the child, beside memory and CPU time."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no dump of what it parsed
    # The kernel counts every thread of the user (all its processes) against RLIMIT_NPROC: the
    # cap must leave room for the service's own threads; it stops a fork bomb, not a thread pool.
    _lower(resource.RLIMIT_NPROC, processes)
    _lower(resource.RLIMIT_NOFILE, open_files)
    # A parser writes no files; a write past the limit fails (EFBIG) rather than kill the child.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _lower(resource.RLIMIT_FSIZE, file_bytes)


def _lower(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(which, (value, value))
