"""OCR through the real RapidOCR engine, on one or two pages: scanned PDFs, page images.

Marked slow (a few seconds a page on two cores); still part of the CI run.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.formats: fixture builders

from tests.formats import blocks, cer, png_bytes, render_pages, scan, scanned_pdf, text_pdf
from tests.formats.pdf import FONT_PATHS
from zhibiao.readers import ocr, read_document

pytestmark = pytest.mark.slow

CER_BOUND = 0.05  # loose: the benchmark measures the real figure (target 1%)


@pytest.fixture(scope="module")
def report_pdf() -> bytes:
    return text_pdf(blocks("hangzhou-2022-work-report.txt"))


@pytest.fixture(scope="module")
def text_layer(report_pdf) -> list[str]:
    return read_document(report_pdf).pages


def test_scanned_pdf_pages_are_read_by_ocr(report_pdf, text_layer):
    pages = read_document(scanned_pdf(report_pdf, [1, 2]), "scan.pdf")
    assert (len(pages.pages), pages.ocr_pages) == (2, 2)
    for got, index in zip(pages.pages, [1, 2], strict=True):
        assert cer(got, text_layer[index]) <= CER_BOUND
        assert_reading_order(got.splitlines(), text_layer[index].splitlines())


def assert_reading_order(got: list[str], want: list[str]) -> None:
    """Each source line is found among the OCR lines, in the same order."""
    positions = []
    for line in (line for line in want if len(line) > 10):
        scores = [difflib.SequenceMatcher(None, line, candidate).ratio() for candidate in got]
        best = max(range(len(got)), key=scores.__getitem__)
        assert scores[best] >= 0.9, (line, got[best])
        positions.append(best)
    assert positions == sorted(positions)


def test_png_page_is_read_by_ocr(report_pdf, text_layer):
    image = scan(render_pages(report_pdf, [0], dpi=150)[0], angle=-0.8, seed=7)
    pages = read_document(png_bytes(image), "page.png")
    assert (pages.media_type, pages.ocr_pages) == ("image/png", 1)
    assert cer(pages.pages[0], text_layer[0]) <= CER_BOUND
    assert "  " not in pages.pages[0]


def test_ocr_never_downloads(monkeypatch):
    """The packaged models are used by path; any download attempt fails this test."""
    import rapidocr.utils.download_file as download

    def refuse(*args, **kwargs):
        raise AssertionError(f"rapidocr tried to download: {args} {kwargs}")

    monkeypatch.setattr(download.DownloadFile, "run", classmethod(refuse))
    monkeypatch.setattr("requests.get", refuse)
    monkeypatch.setattr(ocr, "_engine", None)  # a fresh load, as in a new worker
    image = Image.new("L", (640, 80), 255)
    font = ImageFont.truetype(str(next(path for path in FONT_PATHS if path.exists())), 40)
    ImageDraw.Draw(image).text((10, 15), "地区生产总值增长5.2%", font=font, fill=0)
    assert ocr.ocr_image(image) == "地区生产总值增长5.2%"


def test_engine_is_loaded_once_per_process():
    assert ocr.engine() is ocr.engine()
