"""Latency: a 15-page text PDF moved into the bucket folder -> its facts queryable through the
gateway. Median over 10 runs (target <= 1 s), taken through file events: the rescan period
is a minute, so nothing here waits for the polling fallback. Beside it, the same PDF through
zhibiao.parsing.extraction.extract_bytes in this process: what is left is the pipeline's own cost."""

from __future__ import annotations

import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import drop_all, get_json, load, pipeline, summary

RUNS = 10
PAGES = 15
SOURCE = "hangzhou-2023-work-report.txt"


def fifteen_page_pdf() -> bytes:
    """The report's first blocks, as many as fill exactly PAGES pages (reportlab, CJK font)."""
    import pypdfium2 as pdfium

    from tests.formats.pdf import text_pdf
    from tests.formats.source import blocks

    items = blocks(SOURCE)

    def pages(n: int) -> tuple[int, bytes]:
        data = text_pdf(items[:n], title=SOURCE)
        doc = pdfium.PdfDocument(data)
        try:
            return len(doc), data
        finally:
            doc.close()

    low, high = 1, len(items)  # binary search on the number of blocks
    while low < high:
        mid = (low + high + 1) // 2
        if pages(mid)[0] <= PAGES:
            low = mid
        else:
            high = mid - 1
    count, data = pages(low)
    if count != PAGES:
        raise SystemExit(f"{SOURCE} fills {count} pages, not {PAGES}")
    return data


def numbered(pdf: bytes, i: int) -> bytes:
    """Other bytes, same document: a comment after %%EOF, which readers ignore."""
    return pdf + f"\n% latency run {i}\n".encode()


def until_facts(stack, document_id: str, started: float, timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get_json(stack, f"/v1/facts?document_id={document_id}&limit=1")["items"]:
            return time.perf_counter() - started
        time.sleep(0.01)
    raise TimeoutError(f"no facts for {document_id} within {timeout:.0f}s\n{stack.logs()}")


def main() -> None:
    from zhibiao.parsing.extraction import extract_bytes

    pdf = fifteen_page_pdf()
    print(f"latency: a {PAGES}-page text PDF ({len(pdf) // 1024} KiB) moved into the bucket folder; {load()}")
    extract_bytes(pdf, "warm.pdf")
    in_process = []
    for i in range(3):
        started = time.perf_counter()
        result = extract_bytes(numbered(pdf, 100 + i), "report.pdf")
        in_process.append(time.perf_counter() - started)
    latencies = []
    with pipeline(extract_workers=1, rescan_seconds=60.0) as stack:
        for i in range(RUNS):
            data = numbered(pdf, i)
            started = drop_all(stack, [(f"report-{i}.pdf", data)])
            latencies.append(until_facts(stack, hashlib.sha256(data).hexdigest(), started))
        facts = get_json(stack, f"/v1/facts?document_id={hashlib.sha256(data).hexdigest()}&limit=1000")["items"]
    median, limit = statistics.median(latencies), statistics.median(in_process)
    print(f"  moved in -> facts in the gateway: {summary(latencies)} (target median <= 1 s)")
    print(
        f"  extract_bytes in one process:     {summary(in_process)}; {result.pages} pages, "
        f"{len(result.extraction.facts)} facts ({len(facts)} through the gateway)"
    )
    print(
        f"  ratio latency/in-process extraction: {median / limit:.2f}; the pipeline's own part "
        f"{median - limit:.3f}s; {load()}"
    )


if __name__ == "__main__":
    main()
