"""Key tasks from supervision tables (first version)."""

from __future__ import annotations

from zhibiao.domain.model import Task


def extract_tasks(text: str) -> list[Task]:
    return []
