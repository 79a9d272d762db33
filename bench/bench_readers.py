"""Text-PDF reading speed: zhibiao's PDF reader against bare pypdfium2 text extraction.

Builds text PDFs from the corpus samples (reportlab, CJK font from fonts-wqy-zenhei), then
times both on the same files, best of --repeat runs. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_readers.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.formats import SAMPLES, blocks, text_pdf
from zhibiao.readers import read_document

TARGET = 0.9


def bare(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    texts = []
    for page in pdf:
        textpage = page.get_textpage()
        texts.append(textpage.get_text_bounded())
        textpage.close()
        page.close()
    pdf.close()
    return texts


def best_of(repeat: int, fn, files: list[bytes]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for data in files:
            fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    names = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md") and p.name != "README.md")
    files = [text_pdf(blocks(name)) for name in names]
    pages = sum(len(bare(data)) for data in files)
    ours = best_of(args.repeat, read_document, files)
    base = best_of(args.repeat, bare, files)
    ratio = base / ours
    print(f"text PDFs: {len(files)} files, {pages} pages")
    print(f"bare pypdfium2:  {base * 1000:8.1f} ms  ({pages / base:8.0f} pages/s)")
    print(f"zhibiao reader:  {ours * 1000:8.1f} ms  ({pages / ours:8.0f} pages/s)")
    print(f"speed ratio (bare time / reader time): {ratio:.2f}  (target >= {TARGET})")


if __name__ == "__main__":
    main()
