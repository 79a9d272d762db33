"""What every bucket offers ingest, extract and the gateway, whatever holds the objects."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

# Under the bucket's root or prefix: the ledger and the names of uploads, never listed as input.
INTERNAL = ".zhibiao"


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

    def read(self, key: str) -> bytes:
        """The object's bytes; FileNotFoundError when it is gone."""

    def sha256(self, key: str) -> str: ...

    def put(self, data: bytes, source_name: str) -> str:
        """Store an upload under a generated key, keeping its original name aside."""

    def source_name(self, key: str) -> str: ...

    def is_taken(self, info: ObjectInfo) -> bool:
        """True when this version of the object was already published (or is being published)."""

    def mark_taken(self, info: ObjectInfo, sha256: str) -> None:
        """Record the publication; called only after the broker confirmed it."""
