"""Raw text of the sample corpus for unit tests (DOCX read paragraph by paragraph)."""

from __future__ import annotations

from functools import cache

from tests.conftest import SAMPLES


@cache
def raw_text(name: str) -> str:
    path = SAMPLES / name
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return path.read_bytes().decode("utf-8-sig")


@cache
def cleaned(name: str) -> str:
    from zhibiao.domain.cleanup import clean_text

    return clean_text(raw_text(name))


WORK_REPORTS = sorted(p.name for p in SAMPLES.iterdir() if p.name != "README.md" and "key-tasks" not in p.name)
