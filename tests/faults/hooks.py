"""Fault hooks for the fault-injection tests, run inside the parsing sandbox before each file.

Tests hand them to the sandbox: `Sandbox(..., hook=functools.partial(hooks.faults,
parser_faults=True))`. The fault suite runs extract as a process through its own variant
(`python -m tests.faults.variants extract`), which builds the hook from
ZHIBIAO_TEST_EXTRACT_DELAY (seconds: every document slow enough to be hit mid-work by a
kill) and ZHIBIAO_TEST_PARSER_FAULTS=1 (a file whose head carries a marker makes the parser
really crash with SIGSEGV, hang, or eat memory until the sandbox's limit stops it).
Production code neither holds nor reads any of this.
"""

from __future__ import annotations

import ctypes
import functools
import os
import time
from collections.abc import Callable, Mapping

CRASH, HANG, BALLOON = b"ZHIBIAO-TEST-CRASH", b"ZHIBIAO-TEST-HANG", b"ZHIBIAO-TEST-BALLOON"


def faults(data: bytes, *, delay: float = 0.0, parser_faults: bool = False) -> None:
    if delay:
        time.sleep(delay)
    if not parser_faults:
        return
    head = data[:4096]
    if CRASH in head:
        ctypes.string_at(0)  # a NULL read: the process dies of SIGSEGV like a crashing C parser
    if HANG in head:
        while True:
            time.sleep(1)
    if BALLOON in head:
        # Address space, as RLIMIT_AS counts it: zeroed blocks of this size are mapped, not
        # written, so the limit trips at once however busy the machine is, long before any
        # timeout could (a loop that touched every page raced the timeout on a loaded host).
        blocks = []
        while True:
            blocks.append(bytes(64 << 20))


def from_environment(environ: Mapping[str, str] = os.environ) -> Callable[[bytes], None] | None:
    """The hook the fault suite asks for through the extract process's environment, or None."""
    delay = float(environ.get("ZHIBIAO_TEST_EXTRACT_DELAY") or 0)
    parser_faults = environ.get("ZHIBIAO_TEST_PARSER_FAULTS") == "1"
    if not delay and not parser_faults:
        return None
    return functools.partial(faults, delay=delay, parser_faults=parser_faults)
