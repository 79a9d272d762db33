"""What every bucket offers ingest, extract and the gateway, whatever holds the objects."""

from __future__ import annotations

import errno
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from zhibiao.plumbing.errors import PermanentError

# Under the bucket's root or prefix: the ledger and the names of uploads, never listed as input.
INTERNAL = ".zhibiao"

# Names that browsers, download tools, editors and Office give a file while it is being
# written; the finished file gets its real name by a rename, which is when we take it.
_TEMPORARY_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", ".swp")


def upload_key(folder: str = "") -> str:
    """A fresh key for an upload, inside `folder` when one is given (a region's name)."""
    return f"uploads/{folder}/{uuid.uuid4().hex}" if folder else f"uploads/{uuid.uuid4().hex}"


def is_input_name(name: str) -> bool:
    """False for hidden files (dotfiles) and for the temporary names of files still being written."""
    return not (name.startswith((".", "~$")) or name.lower().endswith(_TEMPORARY_SUFFIXES))


# Errors of open() that describe the file, not the disk: the same open fails the same way later.
ABOUT_THE_FILE = frozenset(
    {errno.EACCES, errno.EPERM, errno.EISDIR, errno.ELOOP, errno.ENXIO, errno.ENODEV, errno.ENAMETOOLONG}
)


class Unreadable(PermanentError):
    """The object itself cannot be read (no permission, not a regular file): reading it again
    gives the same answer until someone fixes it."""

    zh = "文件无法读取（没有读取权限，或不是普通文件）：请修正后重新放入"


class Changed(PermanentError):
    """The object is no longer the version that was hashed: its id would name other bytes."""

    zh = "文件在登记之后被改写：新内容会作为新文件登记，这一版本不再处理"


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    mtime: float
    # The server's content tag where there is one (S3); a folder leaves it empty.
    etag: str = ""


class Bucket(Protocol):
    def watch_root(self) -> Path | None:
        """The folder to watch for file events, or None when only listing finds new objects."""

    def list(self) -> Iterator[ObjectInfo]: ...

    def read(self, key: str, *, etag: str = "") -> bytes:
        """The object's bytes; FileNotFoundError when it is gone, Changed when `etag` is given
        and the object is another version now, Unreadable when it can never be read."""

    def sha256(self, key: str, *, etag: str = "") -> str:
        """The sha256 of the object's bytes (of version `etag`, where the bucket has versions)."""

    def put(self, data: bytes, source_name: str, folder: str = "") -> str:
        """Store an upload under a generated key (inside `folder`, e.g. the region the user
        named: uploads/保定市容城县/…), keeping its original name aside."""

    def source_name(self, key: str) -> str: ...

    def delete(self, key: str) -> None:
        """Remove the object (DELETE /v1/documents/{id}); nothing when it is gone already. The
        ledger keeps its mark, so only a new drop at the key is taken again."""

    def is_taken(self, info: ObjectInfo) -> bool:
        """True when this version of the object was already published (or is being published)."""

    def mark_taken(self, info: ObjectInfo, sha256: str) -> None:
        """Record the publication; called only after the broker confirmed it."""
