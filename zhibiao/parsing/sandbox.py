"""Parsing and OCR of untrusted files in a child process with a memory and a time limit.

A crafted or broken file can make a C parser (pdfium, libpng, onnxruntime) crash, hang or
swallow memory. In a child, each of those ends the child only, and becomes a permanent
failure whose reason names the file and the limit. Killing the worker itself is different:
its child dies with it (PR_SET_PDEATHSIG through the fork server), nothing is acked, and the
broker redelivers the message.

Children are forked from a fork server that has already imported the extraction code and
loaded jieba's dictionary, and each serves many files in turn, so a document pays nothing
for its process.
Only JSON comes back from a child: whatever a parser exploit writes is data, not code. The
fork server starts with a scrubbed environment and each child gives up, before its first
file, whatever secrets it still holds, the network and the right to spawn, open or write
much (zhibiao/parsing/confinement.py).
"""

from __future__ import annotations

import ctypes
import json
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhibiao.parsing import confinement
from zhibiao.plumbing.errors import PermanentError, TransientError
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
    # Processes and threads of the whole user (the kernel counts them together), open files,
    # bytes of any file written: a parser needs threads, a few files, and writes nothing.
    processes: int = 4096
    open_files: int = 256
    file_bytes: int = 64 * _MIB


# A hook run in the child before each parse, for the fault tests: it must pickle (a module-level
# function or a functools.partial of one), since it travels to the child by reference.
Hook = Callable[[bytes], None]
_forkserver_lock = threading.Lock()
_forkserver_started = False
_notes_logged: set[str] = set()


class _Child:
    """One parsing process and this side of its pipe."""

    def __init__(self, process, conn) -> None:
        self.process, self.conn, self.served = process, conn, 0

    def retire(self, *, grace: float = 0.0) -> None:
        """Close our end (a healthy child then returns from its loop); kill it if it is still
        there after `grace` seconds."""
        self.conn.close()
        self.process.join(grace)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class Sandbox:
    """Parses files in child processes, one per calling thread, each reused for up to
    `documents_per_child` files: forking afresh for every file cost about 80 ms a document
    (the child copies, page by page, the loaded dictionaries it touches). A child that
    crashed, hung, ran out of memory or raised is never reused."""

    def __init__(
        self,
        limits: SandboxLimits = SandboxLimits(),
        *,
        preload: tuple[str, ...] = ("zhibiao.parsing.parser_warmup",),
        documents_per_child: int = 50,
        hook: Hook | None = None,
    ) -> None:
        self.limits = limits
        self.documents_per_child = documents_per_child
        self.hook = hook
        self._ctx = multiprocessing.get_context("forkserver")
        # Process-wide: whichever sandbox starts the fork server first decides what it preloads.
        self._ctx.set_forkserver_preload(list(preload))
        self._local = threading.local()

    def start(self) -> None:
        """Start the fork server now (it warms up for a few seconds) rather than on the first file,
        without the service's secrets: it is exec'd with the environment as it is at that moment,
        and every child is a copy of it. Once per process, normally at the service's start, before
        other threads could read the environment while it is narrowed."""
        global _forkserver_started
        with _forkserver_lock:
            if _forkserver_started:
                return
            saved = dict(os.environ)
            try:
                for name in set(saved) - set(confinement.scrubbed(saved)):
                    del os.environ[name]
                multiprocessing.forkserver.ensure_running()
            finally:
                os.environ.update(saved)
            _forkserver_started = True

    def _child(self) -> _Child:
        child = getattr(self._local, "child", None)
        if child is not None and child.process.is_alive():
            return child
        if child is not None:
            child.retire()
        self.start()
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_child_loop,
            args=(theirs, self.limits, self.documents_per_child, self.hook),
            daemon=True,
            name="zhibiao-parse",
        )
        try:
            process.start()
        except OSError as exc:  # no memory or processes left for a fork: our surroundings, not the file
            ours.close()
            raise TransientError(f"cannot start a parsing process: {exc}") from exc
        finally:
            theirs.close()
        self._local.child = _Child(process, ours)
        return self._local.child

    def close(self) -> None:
        child = getattr(self._local, "child", None)
        if child is not None:
            child.retire()
            self._local.child = None

    def extract(self, data: bytes, name: str, *, region_hint: str | None = None) -> dict[str, Any]:
        """The fields of a document.extracted body; PermanentError if this file cannot be read."""
        child = self._child()
        try:
            child.conn.send((data, name, region_hint))
        except (OSError, ValueError):
            # it died between files (killed, or the limit of its address space): a new one
            self.close()
            child = self._child()
            child.conn.send((data, name, region_hint))
        try:
            reply = self._receive(child, name)
        except PermanentError:
            self.close()  # it hung: killed here
            raise
        child.served += 1
        message = None if reply is None else json.loads(reply)
        for note in (message or {}).pop("notes", []):
            if note not in _notes_logged:  # once per process, not once per child
                _notes_logged.add(note)
                log.warning("%s", note)
        if message is None or message.get("kind") != "ok" or child.served >= self.documents_per_child:
            # after a crash, a memory blow-up or a parser exception its state is suspect
            child.retire(grace=10)
            self._local.child = None
        return self._result(message, child.process, name)

    def _receive(self, child: _Child, name: str) -> bytes | None:
        if not child.conn.poll(self.limits.timeout_seconds):
            raise PermanentError(
                f"parsing {name!r} took longer than the {self.limits.timeout_seconds:.0f} s limit "
                "(ZHIBIAO_EXTRACT_TIMEOUT_SECONDS) and was stopped; the file may be damaged or far too "
                "complex: export it again, or split it, and upload it again",
                zh="解析超时，已停止：文件可能已损坏或过于复杂，请重新导出或拆分后上传",
            )
        try:
            return child.conn.recv_bytes()
        except (EOFError, OSError):
            return None  # the child died without a word: its exit status says how

    def _result(self, message: dict | None, process, name: str) -> dict[str, Any]:
        if message is None:
            process.join(5)
            code = process.exitcode
            if code is not None and code < 0:
                sig = signal.Signals(-code).name
                raise PermanentError(
                    f"the parser crashed on {name!r} (killed by {sig}, memory limit "
                    f"{self.limits.memory_bytes // _MIB} MiB); the file is probably damaged or crafted: "
                    "export it again from its source and upload the new file",
                    zh="解析程序在此文件上崩溃：文件可能已损坏，请从原始来源重新导出后上传",
                )
            raise PermanentError(
                f"the parser stopped on {name!r} with exit status {code} and no result",
                zh="解析程序意外退出：请重新导出文件后上传",
            )
        kind = message.get("kind")
        if kind == "ok":
            return message["fields"]
        if kind == "memory":
            raise PermanentError(
                f"parsing {name!r} needed more than the {self.limits.memory_bytes // _MIB} MiB memory limit "
                "(ZHIBIAO_EXTRACT_MEMORY_BYTES) and was stopped; split the file or lower its image resolution",
                zh="解析所需内存超出上限，已停止：请拆分文件或降低图片分辨率后上传",
            )
        if kind == "permanent":
            raise PermanentError(message["reason"], zh=message.get("zh"))
        raise PermanentError(
            f"the parser failed on {name!r}: {message.get('reason')}; reprocess it once the parser is fixed",
            zh="解析程序无法处理此文件：待程序修复后可重新处理",
        )


def _child_loop(conn, limits: SandboxLimits, documents: int, hook: Hook | None) -> None:
    # Die with the fork server, which dies with the worker: a killed worker leaves no parser behind.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    # Before any untrusted byte: whatever secrets the fork server was started with (should
    # multiprocessing have restarted it), the network, spawning, opening and writing much.
    confinement.forget_environment()
    notes = [note] if (note := confinement.leave_network()) else []
    confinement.limit_resources(processes=limits.processes, open_files=limits.open_files, file_bytes=limits.file_bytes)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    # A backstop should the worker's own timer fail: CPU for every file this child may take.
    cpu = (int(limits.timeout_seconds) + 5) * documents
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    from PIL import Image

    # PIL refuses outright past twice this, before decoding a single row
    Image.MAX_IMAGE_PIXELS = limits.reader.max_image_pixels
    while True:
        try:
            data, name, region_hint = conn.recv()
        except (EOFError, OSError):
            return  # the worker retired us
        reply = _parse(data, name, region_hint, limits, hook)
        if notes:  # what could not be taken away, said once by the worker
            reply["notes"], notes = notes, []
        try:
            conn.send_bytes(json.dumps(reply, ensure_ascii=False).encode())
        except MemoryError:
            conn.send_bytes(b'{"kind": "memory"}')


def _parse(data: bytes, name: str, region_hint: str | None, limits: SandboxLimits, hook: Hook | None) -> dict[str, Any]:
    from zhibiao.parsing.extraction import extract_bytes

    try:
        if hook is not None:
            hook(data)
        fields = extract_bytes(data, name, limits=limits.reader, region_hint=region_hint).fields()
        return {"kind": "ok", "fields": fields}
    except PermanentError as exc:
        return {"kind": "permanent", "reason": str(exc), "zh": exc.zh}
    except MemoryError:
        return {"kind": "memory"}
    except Exception as exc:  # noqa: BLE001  (a parser bug this file triggers: it would trigger it again)
        traceback.print_exc(file=sys.stderr)
        first_line = (str(exc).strip().splitlines() or [""])[-1][:300]
        # C++ parts (onnxruntime) report their allocation failures as exceptions of their own
        return (
            {"kind": "memory"}
            if "bad_alloc" in str(exc)
            else {"kind": "crash", "reason": f"{type(exc).__name__}: {first_line}"}
        )
