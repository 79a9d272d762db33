"""A folder as the bucket (the default): dropped files stay there as the record.

The folder also keeps ingest's ledger (which files were already published), so that
several ingest copies and restarts share it, and the original names of uploads, whose
keys are generated: no name from outside ever becomes a path.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from zhibiao.buckets.contract import ABOUT_THE_FILE, ObjectInfo, Unreadable, is_input_name, upload_key
from zhibiao.buckets.contract import INTERNAL as _INTERNAL


class FolderBucket:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        (self.root / _INTERNAL / "taken").mkdir(parents=True, exist_ok=True)
        (self.root / _INTERNAL / "names").mkdir(parents=True, exist_ok=True)
        (self.root / _INTERNAL / "tmp").mkdir(parents=True, exist_ok=True)

    def __repr__(self) -> str:
        return f"FolderBucket({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"key outside the bucket: {key!r}")
        return path

    def watch_root(self) -> Path:
        return self.root

    def key_of(self, path: str | Path) -> str | None:
        """The key of a path inside the bucket, or None for internal or outside paths."""
        try:
            rel = Path(path).resolve().relative_to(self.root)
        except ValueError:
            return None
        if not rel.parts or rel.parts[0] == _INTERNAL or not is_input_name(rel.name):
            return None
        return rel.as_posix()

    def list(self) -> Iterator[ObjectInfo]:
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not is_input_name(name):
                    continue
                info = self.stat(os.path.join(dirpath, name))
                if info is not None:
                    yield info

    def stat(self, path: str | Path) -> ObjectInfo | None:
        """The file at an absolute path (a file event) or under a key; None when it is not input."""
        path = Path(path)
        if not path.is_absolute():
            path = self.root / path
        key = self.key_of(path)
        if key is None:
            return None
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return ObjectInfo(key=key, size=st.st_size, mtime=st.st_mtime)

    def read(self, key: str, *, etag: str = "") -> bytes:
        # A folder has no versions: extract checks the bytes against the document's sha256.
        with self._open(key) as f:
            return f.read()

    def sha256(self, key: str, *, etag: str = "") -> str:
        digest = hashlib.sha256()
        with self._open(key) as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def _open(self, key: str):
        """The file for reading, refusing what is not a regular file: open() of a FIFO waits for a
        writer forever, a device never ends. O_NONBLOCK makes that open return at once (it changes
        nothing for a regular file), and the check is on what was opened, not on the name."""
        try:
            fd = os.open(self._path(key), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            if exc.errno in ABOUT_THE_FILE:
                raise Unreadable(f"cannot read {key}: {exc.strerror}") from exc
            raise  # the disk or mount is away: not the file's fault
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise Unreadable(f"cannot read {key}: not a regular file (a FIFO, device or socket)")
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return os.fdopen(fd, "rb")

    def put(self, data: bytes, source_name: str, folder: str = "") -> str:
        """Store an upload under a generated key; written aside, then moved in whole."""
        key = upload_key(folder)
        tmp = self.root / _INTERNAL / "tmp" / uuid.uuid4().hex
        tmp.write_bytes(data)
        self._write_json(self.root / _INTERNAL / "names" / _ledger_name(key), {"source_name": source_name})
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        return key

    def source_name(self, key: str) -> str:
        names = self.root / _INTERNAL / "names" / _ledger_name(key)
        try:
            return json.loads(names.read_text())["source_name"]
        except (FileNotFoundError, ValueError, KeyError):
            return Path(key).name

    def delete(self, key: str) -> None:
        # the taken mark stays: a file dropped again at this key has another mtime and is taken anew
        for path in (self._path(key), self.root / _INTERNAL / "names" / _ledger_name(key)):
            path.unlink(missing_ok=True)

    def is_taken(self, info: ObjectInfo) -> bool:
        try:
            taken = json.loads((self.root / _INTERNAL / "taken" / _ledger_name(info.key)).read_text())
        except (FileNotFoundError, ValueError):
            return False
        return taken.get("size") == info.size and taken.get("mtime") == info.mtime

    def mark_taken(self, info: ObjectInfo, sha256: str) -> None:
        self._write_json(
            self.root / _INTERNAL / "taken" / _ledger_name(info.key),
            {"key": info.key, "size": info.size, "mtime": info.mtime, "sha256": sha256},
        )

    def _write_json(self, path: Path, data: dict) -> None:
        tmp = self.root / _INTERNAL / "tmp" / uuid.uuid4().hex
        tmp.write_text(json.dumps(data, ensure_ascii=False))
        os.replace(tmp, path)


def _ledger_name(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()
