"""Fault hooks for the fault-injection tests, read only inside the parsing sandbox.

Both are off unless the test environment sets them: ZHIBIAO_TEST_EXTRACT_DELAY (seconds)
makes every document slow enough to be hit mid-work by a kill; ZHIBIAO_TEST_PARSER_FAULTS=1
lets a file whose head carries a marker make the parser really crash (SIGSEGV), hang, or
eat memory until the sandbox's limit stops it. Production never sets them.
"""

from __future__ import annotations

import ctypes
import os
import time

CRASH, HANG, BALLOON = b"ZHIBIAO-TEST-CRASH", b"ZHIBIAO-TEST-HANG", b"ZHIBIAO-TEST-BALLOON"
_NAMES = ("ZHIBIAO_TEST_EXTRACT_DELAY", "ZHIBIAO_TEST_PARSER_FAULTS")


def snapshot() -> dict[str, str]:
    """Taken by the worker for each file: the fork server's environment is fixed when it starts."""
    return {name: os.environ[name] for name in _NAMES if name in os.environ}


def before_parse(data: bytes, hooks: dict[str, str]) -> None:
    delay = hooks.get("ZHIBIAO_TEST_EXTRACT_DELAY")
    if delay:
        time.sleep(float(delay))
    if hooks.get("ZHIBIAO_TEST_PARSER_FAULTS") != "1":
        return
    head = data[:4096]
    if CRASH in head:
        ctypes.string_at(0)  # a NULL read: the process dies of SIGSEGV like a crashing C parser
    if HANG in head:
        while True:
            time.sleep(1)
    if BALLOON in head:
        blocks = []
        while True:
            blocks.append(bytearray(64 << 20))
