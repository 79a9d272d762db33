"""Reports in traditional characters (國內生產總值增長6.5%左右, as mirrors and overseas pages
carry them) read in the simplified ones every name and rule is written in.

The conversion keeps the text's length, so offsets into it stay true; a text is converted
only when traditional characters are a real share of it: a simplified report holds a few of
them in names (昇, 乾县) that must stay as written.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# of the Han characters; traditional text runs at 15-30 %, simplified at under 0.1 %
_TRADITIONAL_SHARE = 0.02
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HEAD = 3000


@cache
def _traditional_only() -> frozenset[str]:
    """The characters OpenCC's table turns into other ones: traditional forms."""
    table = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    lines = table.read_text(encoding="utf-8").splitlines()
    return frozenset(c for c in (line.split("\t", 1)[0] for line in lines if "\t" in line) if len(c) == 1)


@cache
def _converter():
    import opencc  # its dictionaries load once, when a traditional text first arrives

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """Judged on the text's head: a report is written in one script throughout, and reading
    all of it would cost more than the rest of cleanup."""
    head = text[:_HEAD]
    han = len(_HAN.findall(head))
    traditional = _traditional_only()
    return bool(han) and sum(ch in traditional for ch in head) >= _TRADITIONAL_SHARE * han


def to_simplified(text: str) -> str:
    """The text in simplified characters where it is written in traditional ones, else as is."""
    if not is_traditional(text):
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # a phrase converted to one of another length: character by character, which keeps it
    return "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)
