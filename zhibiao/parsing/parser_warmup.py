"""Imported once by the parsing sandbox's fork server, so that every forked child starts
with the extraction code imported and jieba's dictionary loaded (about two seconds saved
per document). Nothing here starts a thread: the server forks afterwards."""

import gc

import pdfplumber  # noqa: F401  (read lazily for ruled tables; imported here once, not per child)

from zhibiao.parsing.extraction import extract_bytes

extract_bytes("2020年政府工作报告\n地区生产总值增长6%。".encode(), "warm-up.txt")

# What is loaded now is shared with every child; keep the collector from touching (and so
# copying) those pages in each child.
gc.freeze()
