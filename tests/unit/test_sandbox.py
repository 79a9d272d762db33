"""The parsing sandbox for real: a child process that crashes, hangs or balloons fails the
file with a reason naming it and the limit; the worker carries on.

Each case trips the limit it is about whatever the machine's load: the hang meets a short
timeout and nothing else (it sleeps); everything else gets a timeout no load reaches, so a
busy machine cannot turn the memory balloon, or a slow parse, into a timeout."""

from __future__ import annotations

import functools

import pytest

from tests.faults import hooks as testhooks
from zhibiao.parsing.sandbox import Sandbox, SandboxLimits
from zhibiao.plumbing.errors import PermanentError
from zhibiao.readers import Limits

FAULTS = functools.partial(testhooks.faults, parser_faults=True)
NO_TIMEOUT = 3600.0


def _sandbox(**limits) -> Sandbox:
    # no preload: the jieba warm-up costs seconds a unit test need not pay
    return Sandbox(SandboxLimits(reader=Limits(max_pages=3), **limits), preload=(), hook=FAULTS)


@pytest.fixture(scope="module")
def sandbox():
    return _sandbox(memory_bytes=768 << 20, timeout_seconds=NO_TIMEOUT)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"%PDF-1.4\n%ZHIBIAO-TEST-CRASH\n", ("crashed", "SIGSEGV", "bad.pdf")),
        (b"%PDF-1.4\n%ZHIBIAO-TEST-BALLOON\n", ("768 MiB memory limit", "bad.pdf")),
        (b"", ("empty",)),
        (b"%PDF-1.7\n\x00\x01garbage", ("damaged",)),
    ],
)
def test_bad_files_fail_with_a_reason(sandbox, data, words):
    with pytest.raises(PermanentError) as err:
        sandbox.extract(data, "bad.pdf")
    assert all(w in str(err.value) for w in words), str(err.value)


def test_a_hang_meets_the_timeout():
    # memory is no limit here: the hanging child sleeps
    with pytest.raises(PermanentError) as err:
        _sandbox(memory_bytes=3072 << 20, timeout_seconds=2).extract(b"%PDF-1.4\n%ZHIBIAO-TEST-HANG\n", "bad.pdf")
    assert all(w in str(err.value) for w in ("2 s limit", "bad.pdf", "ZHIBIAO_EXTRACT_TIMEOUT_SECONDS")), str(err.value)


def test_markers_do_nothing_without_the_test_hook():
    plain = Sandbox(SandboxLimits(memory_bytes=768 << 20, timeout_seconds=NO_TIMEOUT), preload=())
    with pytest.raises(PermanentError) as err:
        plain.extract(b"%PDF-1.4\n%ZHIBIAO-TEST-CRASH\n", "bad.pdf")
    assert "damaged" in str(err.value)


def test_the_fault_suite_asks_for_hooks_through_the_environment():
    assert testhooks.from_environment({}) is None
    hook = testhooks.from_environment({"ZHIBIAO_TEST_PARSER_FAULTS": "1", "ZHIBIAO_TEST_EXTRACT_DELAY": "0.5"})
    assert hook.keywords == {"delay": 0.5, "parser_faults": True}


def test_a_good_file_comes_back_as_plain_fields():
    report = "杭州市2020年政府工作报告\n\n全市生产总值增长6.5%。\n".encode()
    fields = Sandbox(SandboxLimits(timeout_seconds=NO_TIMEOUT), preload=()).extract(report, "r.txt")
    assert fields["media_type"].startswith("text/") and fields["pages"] == 1
    assert isinstance(fields["facts"], list) and "生产总值" in fields["text"]
