"""Every format variant of a gold report yields what its plain text yields.

The variants (text PDF, DOCX, portal HTML, and a scan of the first pages) are built from
the samples at test time. Two measures: the report's figures (every number, whitespace
ignored) and the extracted facts by (indicator, period, kind, measure, value); each must
keep recall >= 0.98 against the plain-text version.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.formats: fixture builders

from tests.formats import blocks, comparable, docx_bytes, plain_text, portal_page, scanned_pdf, text_pdf
from zhibiao.parsing.extraction import extract_bytes
from zhibiao.readers import read_document

GOLD_REPORTS = [
    "hangzhou-2020-work-report.md",
    "hangzhou-2022-work-report.txt",
    "hangzhou-2023-work-report.txt",
    "binjiang-2020-work-report.md",
]
MIN_RECALL = 0.98
SCAN_CHARS = 1600  # about two A4 pages of the text PDF
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def build(variant: str, name: str, items) -> tuple[bytes, str]:
    if variant == "pdf":
        return text_pdf(items), "report.pdf"
    if variant == "docx":
        return docx_bytes(items), "report.docx"
    if variant == "html":
        return portal_page(items, title=items[0].text), "report.html"
    raise ValueError(variant)


def figures(text: str) -> Counter:
    return Counter(_NUMBER.findall(comparable(text)))


def keys(facts) -> Counter:
    return Counter((f.indicator, f.period, f.kind, f.measure, f.value) for f in facts)


def fact_keys(data: bytes, name: str) -> Counter:
    return keys(extract_bytes(data, name).extraction.facts)


def recall(got: Counter, want: Counter) -> float:
    return sum((got & want).values()) / max(sum(want.values()), 1)


@cache
def plain_facts(name: str) -> Counter:
    return fact_keys(plain_text(blocks(name)).encode(), name)


@pytest.mark.parametrize("variant", ["pdf", "docx", "html"])
@pytest.mark.parametrize("name", GOLD_REPORTS)
def test_variant_keeps_the_figures(name, variant):
    items = blocks(name)
    data, filename = build(variant, name, items)
    text = "\n".join(read_document(data, filename).pages)
    assert recall(figures(text), figures(plain_text(items))) >= MIN_RECALL


@pytest.mark.parametrize("variant", ["pdf", "docx", "html"])
@pytest.mark.parametrize("name", GOLD_REPORTS)
def test_variant_keeps_the_facts(name, variant):
    want = plain_facts(name)
    if not want:
        pytest.skip("the facts engine finds no facts in the plain text yet")
    data, filename = build(variant, name, blocks(name))
    assert recall(fact_keys(data, filename), want) >= MIN_RECALL


@pytest.fixture(scope="module")
def scanned_opening():
    """The first pages of a gold report, scanned; extracted once, with their plain text."""
    items, size = [], 0
    for block in blocks("hangzhou-2022-work-report.txt"):
        size += len(block.text)
        if size > SCAN_CHARS:
            break
        items.append(block)
    pdf = text_pdf(items)
    assert len(read_document(pdf).pages) <= 2
    name = "hangzhou-2022-work-report"
    return extract_bytes(scanned_pdf(pdf), f"{name}.pdf"), extract_bytes(plain_text(items).encode(), f"{name}.txt")


@pytest.mark.slow
def test_scan_keeps_the_figures(scanned_opening):
    scan, plain = scanned_opening
    assert scan.ocr_pages == scan.pages
    assert recall(figures(scan.extraction.text), figures(plain.extraction.text)) >= MIN_RECALL


@pytest.mark.slow
def test_scan_keeps_the_facts(scanned_opening):
    scan, plain = scanned_opening
    want = keys(plain.extraction.facts)
    if not want:
        pytest.skip("the facts engine finds no facts in the plain text yet")
    assert recall(keys(scan.extraction.facts), want) >= MIN_RECALL
