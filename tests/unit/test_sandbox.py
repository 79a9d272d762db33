"""The parsing sandbox for real: a child process that crashes, hangs or balloons fails the
file with a reason naming it and the limit; the worker carries on."""

from __future__ import annotations

import time

import pytest

from zhibiao.errors import PermanentError
from zhibiao.readers import Limits
from zhibiao.sandbox import Sandbox, SandboxLimits

FAULTS = {"ZHIBIAO_TEST_PARSER_FAULTS": "1"}


@pytest.fixture(scope="module")
def sandbox():
    # no preload: the jieba warm-up costs seconds a unit test need not pay
    return Sandbox(SandboxLimits(memory_bytes=768 << 20, timeout_seconds=2, reader=Limits(max_pages=3)), preload=())


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.4\n%ZHIBIAO-TEST-CRASH\n", ("crashed", "SIGSEGV", "bad.pdf")),
    (b"%PDF-1.4\n%ZHIBIAO-TEST-HANG\n", ("2 s limit", "bad.pdf", "ZHIBIAO_EXTRACT_TIMEOUT_SECONDS")),
    (b"%PDF-1.4\n%ZHIBIAO-TEST-BALLOON\n", ("768 MiB memory limit", "bad.pdf")),
    (b"", ("empty",)),
    (b"%PDF-1.7\n\x00\x01garbage", ("damaged",)),
])
def test_bad_files_fail_with_a_reason(sandbox, monkeypatch, data, words):
    for key, value in FAULTS.items():
        monkeypatch.setenv(key, value)
    started = time.monotonic()
    with pytest.raises(PermanentError) as err:
        sandbox.extract(data, "bad.pdf")
    assert all(w in str(err.value) for w in words), str(err.value)
    assert time.monotonic() - started < 15


def test_markers_do_nothing_unless_the_test_hook_is_on(sandbox, monkeypatch):
    monkeypatch.delenv("ZHIBIAO_TEST_PARSER_FAULTS", raising=False)
    with pytest.raises(PermanentError) as err:
        sandbox.extract(b"%PDF-1.4\n%ZHIBIAO-TEST-CRASH\n", "bad.pdf")
    assert "damaged" in str(err.value)


def test_a_good_file_comes_back_as_plain_fields():
    report = "杭州市2020年政府工作报告\n\n全市生产总值增长6.5%。\n".encode()
    fields = Sandbox(SandboxLimits(timeout_seconds=60), preload=()).extract(report, "r.txt")
    assert fields["media_type"].startswith("text/") and fields["pages"] == 1
    assert isinstance(fields["facts"], list) and "生产总值" in fields["text"]
