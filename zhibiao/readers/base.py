"""The reader protocol and what every reader returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class Pages:
    pages: list[str]
    media_type: str
    ocr_pages: int = 0


class Reader(Protocol):
    media_types: tuple[str, ...]

    def accepts(self, data: bytes, name: str) -> bool: ...

    def read(self, data: bytes, name: str) -> Pages: ...
