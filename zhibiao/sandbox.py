"""Parsing and OCR of untrusted files in a child process with a memory and a time limit.

A crafted or broken file can make a C parser (pdfium, libpng, onnxruntime) crash, hang or
swallow memory. In a child, each of those ends the child only, and becomes a permanent
failure whose reason names the file and the limit. Killing the worker itself is different:
its child dies with it (PR_SET_PDEATHSIG through the fork server), nothing is acked, and the
broker redelivers the message.

Children are forked from a fork server that has already imported the extraction code and
loaded jieba's dictionary, so a document pays milliseconds, not seconds, for its process.
Only JSON comes back from a child: whatever a parser exploit writes is data, not code.
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import multiprocessing.forkserver
import resource
import signal
import sys
import traceback
from dataclasses import dataclass, field
from typing import Any

from zhibiao import testhooks
from zhibiao.errors import PermanentError, TransientError
from zhibiao.readers import DEFAULT_LIMITS, Limits

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_MIB = 1 << 20


@dataclass(frozen=True)
class SandboxLimits:
    # Address space (RLIMIT_AS) of one parsing child. OCR needs about 2 GiB of it: onnxruntime
    # reserves arenas and thread stacks far beyond what it touches.
    memory_bytes: int = 3072 * _MIB
    timeout_seconds: float = 900.0
    reader: Limits = field(default_factory=lambda: DEFAULT_LIMITS)


class Sandbox:
    def __init__(self, limits: SandboxLimits = SandboxLimits(), *, preload: tuple[str, ...] = ("zhibiao.parser_warmup",)
                 ) -> None:
        self.limits = limits
        self._ctx = multiprocessing.get_context("forkserver")
        # Process-wide: whichever sandbox starts the fork server first decides what it preloads.
        self._ctx.set_forkserver_preload(list(preload))

    def start(self) -> None:
        """Start the fork server now (it warms up for a few seconds) rather than on the first file."""
        multiprocessing.forkserver.ensure_running()

    def extract(self, data: bytes, name: str) -> dict[str, Any]:
        """The fields of a document.extracted body; PermanentError if this file cannot be read."""
        receiver, sender = self._ctx.Pipe(duplex=False)
        child = self._ctx.Process(target=_child, args=(sender, data, name, self.limits, testhooks.snapshot()),
                                  daemon=True,
                                  name="zhibiao-parse")
        try:
            child.start()
        except OSError as exc:  # no memory or processes left for a fork: our surroundings, not the file
            raise TransientError(f"cannot start a parsing process: {exc}") from exc
        finally:
            sender.close()
        try:
            reply = self._receive(receiver, child, name)
        finally:
            receiver.close()
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join(5)
        return self._result(reply, child, name)

    def _receive(self, receiver, child, name: str) -> bytes | None:
        if not receiver.poll(self.limits.timeout_seconds):
            child.kill()
            child.join(5)
            raise PermanentError(
                f"parsing {name!r} took longer than the {self.limits.timeout_seconds:.0f} s limit "
                "(ZHIBIAO_EXTRACT_TIMEOUT_SECONDS) and was stopped; the file may be damaged or far too "
                "complex: export it again, or split it, and upload it again")
        try:
            return receiver.recv_bytes()
        except (EOFError, OSError):
            return None  # the child died without a word: its exit status says how

    def _result(self, reply: bytes | None, child, name: str) -> dict[str, Any]:
        if reply is None:
            code = child.exitcode
            if code is not None and code < 0:
                sig = signal.Signals(-code).name
                raise PermanentError(
                    f"the parser crashed on {name!r} (killed by {sig}, memory limit "
                    f"{self.limits.memory_bytes // _MIB} MiB); the file is probably damaged or crafted: "
                    "export it again from its source and upload the new file")
            raise PermanentError(f"the parser stopped on {name!r} with exit status {code} and no result")
        message = json.loads(reply)
        kind = message.get("kind")
        if kind == "ok":
            return message["fields"]
        if kind == "memory":
            raise PermanentError(
                f"parsing {name!r} needed more than the {self.limits.memory_bytes // _MIB} MiB memory limit "
                "(ZHIBIAO_EXTRACT_MEMORY_BYTES) and was stopped; split the file or lower its image resolution")
        if kind == "permanent":
            raise PermanentError(message["reason"])
        raise PermanentError(f"the parser failed on {name!r}: {message.get('reason')}; "
                             "reprocess it once the parser is fixed")


def _child(sender, data: bytes, name: str, limits: SandboxLimits, hooks: dict[str, str]) -> None:
    # Die with the fork server, which dies with the worker: a killed worker leaves no parser behind.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.timeout_seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    from PIL import Image

    from zhibiao.extraction import extract_bytes

    # PIL refuses outright past twice this, before decoding a single row
    Image.MAX_IMAGE_PIXELS = limits.reader.max_image_pixels

    try:
        testhooks.before_parse(data, hooks)
        reply = {"kind": "ok", "fields": extract_bytes(data, name, limits=limits.reader).fields()}
    except PermanentError as exc:
        reply = {"kind": "permanent", "reason": str(exc)}
    except MemoryError:
        reply = {"kind": "memory"}
    except Exception as exc:  # a parser bug this file triggers: it would trigger it again
        traceback.print_exc(file=sys.stderr)
        first_line = (str(exc).strip().splitlines() or [""])[-1][:300]
        # C++ parts (onnxruntime) report their allocation failures as exceptions of their own
        reply = {"kind": "memory"} if "bad_alloc" in str(exc) else {
            "kind": "crash", "reason": f"{type(exc).__name__}: {first_line}"}
    try:
        sender.send_bytes(json.dumps(reply, ensure_ascii=False).encode())
    except MemoryError:
        sender.send_bytes(b'{"kind": "memory"}')
    sender.close()
