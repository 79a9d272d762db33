"""Scenario 6: good documents mixed with poison. Every good one is done; every poison one
failed with a reason a person can act on; the dead-letter queue holds exactly the poison."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest
from PIL import Image

from tests.faults.checker import check, record
from tests.faults.harness import FaultStack, documents, figures, sha, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
TIMEOUT_S, MEMORY_MIB = 8, 1024


def _encrypted_pdf() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, encrypt=StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 720, "Government work report 2024")
    pdf.save()
    return out.getvalue()


def _huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (20000, 20000), 1).save(out, "PNG")  # 400 megapixels in about 90 KB
    return out.getvalue()


def poison() -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """name -> (bytes, words its failure reason must contain: the Chinese sentence for the
    people who read it, the English detail for whoever fixes it)."""
    rng = random.Random(6)
    junk = bytes(rng.randrange(256) for _ in range(6000))
    return {
        "corrupt.pdf": (b"%PDF-1.7\n" + junk + b"\n%%EOF\n", ("已损坏", "damaged")),
        "empty.pdf": (b"", ("文件为空", "empty")),
        "encrypted.pdf": (_encrypted_pdf(), ("密码", "password")),
        "random-bytes.pdf": (b"\x8f" + junk[1:], ("不支持的文件格式", "unsupported file format")),
        "20000x20000.png": (_huge_png(), ("超出处理上限", "pixels")),
        "parser-crash.pdf": (
            b"%PDF-1.4\n%ZHIBIAO-TEST-CRASH\n" + junk,
            ("崩溃", "crashed", "SIGSEGV", "parser-crash.pdf"),
        ),
        "parser-hang.pdf": (
            b"%PDF-1.4\n%ZHIBIAO-TEST-HANG\n" + junk,
            ("解析超时", f"{TIMEOUT_S} s limit", "parser-hang.pdf"),
        ),
        "parser-balloon.pdf": (
            b"%PDF-1.4\n%ZHIBIAO-TEST-BALLOON\n" + junk,
            ("内存超出上限", f"{MEMORY_MIB} MiB memory limit", "parser-balloon.pdf"),
        ),
    }


def test_poison_fails_with_reasons_and_only_poison_is_dead_lettered(tmp_path, namespace, pg_url):
    bad = poison()
    good = documents(8, seed=6)
    stack = FaultStack(
        tmp_path,
        namespace=namespace,
        database_url=pg_url,
        extra_env={
            "ZHIBIAO_TEST_PARSER_FAULTS": "1",
            "ZHIBIAO_EXTRACT_TIMEOUT_SECONDS": str(TIMEOUT_S),
            "ZHIBIAO_EXTRACT_MEMORY_BYTES": str(MEMORY_MIB << 20),
        },
    )
    try:
        stack.start_services(extract_workers=2)
        accepted = stack.drop({**good, **{name: data for name, (data, _) in bad.items()}})
        poison_ids = {sha(data): name for name, (data, _) in bad.items()}
        wait_until(lambda: stack.settled(set(accepted)), 180, what="every document settled")
        report = check(pg_url, accepted, expect_failed=set(poison_ids), figures=figures(good))
        dead = Counter(e.data["document_id"] for e in stack.dead_letters())
        workers_alive = len(stack.alive("extract"))
    finally:
        stack.stop()
    record("parser poison", report, faults=len(bad), note=f"dead letters {sum(dead.values())}")
    for doc_id, name in sorted(poison_ids.items(), key=lambda kv: kv[1]):
        print(f"    {name}: {report.errors.get(doc_id)}")
    assert report.stored == len(good) and report.clean, report
    for doc_id, name in poison_ids.items():
        reason = report.errors.get(doc_id) or ""
        assert all(word in reason for word in bad[name][1]), (name, reason)
    assert dead == Counter(set(poison_ids)), "the dead-letter queue must hold exactly the poison, once each"
    assert workers_alive == 2, "a poison file took a worker down with it"
