"""Reports in traditional characters give the facts their simplified text gives."""

from __future__ import annotations

from collections import Counter

import opencc
import pytest

from tests.conftest import SAMPLES
from zhibiao.domain import script
from zhibiao.domain.pipeline import analyse_text

REPORTS = ["hangzhou-2022-work-report.txt", "national-2016.txt", "zhumadian-2024.txt", "sichuan-2026.txt"]


def keys(text: str, name: str) -> Counter:
    facts = analyse_text(text, source_name=name).facts
    return Counter((f.indicator, f.region, f.period, f.kind, f.measure, f.value, f.unit) for f in facts if f.indicator)


@pytest.mark.parametrize("name", REPORTS)
def test_a_traditional_copy_gives_the_same_facts(name):
    simplified = (SAMPLES / name).read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert script.is_traditional(traditional)
    want = keys(simplified, name)
    got = keys(traditional, name)
    assert sum((got & want).values()) >= 0.98 * sum(want.values())


def test_a_simplified_text_keeps_its_few_traditional_characters():
    # sichuan-2026 writes 濛 in a name, gaoyang-2019 昇: simplified reports, left as written
    for name in ("sichuan-2026.txt", "gaoyang-2019.txt"):
        text = (SAMPLES / name).read_text(encoding="utf-8")
        assert not script.is_traditional(text)
        assert script.to_simplified(text) == text


def test_the_conversion_keeps_offsets():
    text = "國內生產總值增長6.5%左右，居民消費價格漲幅3%左右。"
    assert script.to_simplified(text) == "国内生产总值增长6.5%左右，居民消费价格涨幅3%左右。"
    assert len(script.to_simplified(text)) == len(text)
