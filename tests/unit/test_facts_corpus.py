"""Facts over the real reports in samples/: evidence holds for every fact, hand-checked
figures of the non-gold reports are found, and the gold score meets its thresholds."""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, SHARED
from zhibiao.domain.pipeline import analyse_pages
from zhibiao.plumbing.errors import PermanentError
from zhibiao.readers import read_document

GOLD_DOCS = [
    "hangzhou-2020-work-report.md",
    "hangzhou-2022-work-report.txt",
    "hangzhou-2023-work-report.txt",
    "binjiang-2020-work-report.md",
]


@cache
def extraction(name: str, folder: Path = SAMPLES):
    path = folder / name
    try:
        read = read_document(path.read_bytes(), name)
    except PermanentError:
        pytest.skip(f"no reader for {name} yet")
    return analyse_pages(read.pages, source_name=name)


def sample_names() -> list[str]:
    return sorted(p.name for p in SAMPLES.iterdir() if p.name != "README.md") if SAMPLES.exists() else []


@pytest.mark.parametrize("name", sample_names())
def test_every_fact_quotes_the_cleaned_text(name):
    ex = extraction(name)
    for f in ex.facts:
        assert ex.text[f.start : f.end] == f.quote
        # the number itself lies inside the quote and reads as a number
        assert f.start <= f.figure_start < f.figure_end <= f.end
        assert any(
            c.isdigit() or c in "一二三四五六七八九十两百千万亿翻" for c in ex.text[f.figure_start : f.figure_end]
        )
        assert f.kind in ("actual", "target") and f.measure in ("value", "growth", "share")
        assert f.qualifier in (None, "about", "at_least", "at_most")
        assert f.value_max is None or f.value_max > f.value


# Figures read by hand in each report; (file, indicator, period, kind, measure, value, unit, qualifier).
CHECKED = [
    ("national-2014.html.txt", "gdp", "2013", "actual", "value", 56.9, "万亿元", None),
    ("national-2014.html.txt", "urban_registered_unemployment_rate", "2014", "target", "value", 4.6, "%", "at_most"),
    ("national-2016.txt", "gdp", "2016", "target", "growth", 6.5, "%", None),
    ("national-2016.txt", "gdp", "2011-2015", "actual", "growth", 7.8, "%", None),
    ("national-2016.txt", "deficit_ratio", "2016", "target", "value", 3, "%", None),
    ("national-2023.txt", "gdp", "2022", "actual", "growth", 3, "%", None),
    ("national-2023.txt", "cpi", "2018-2022", "actual", "growth", 2.1, "%", None),
    ("national-2023.txt", "grain_output", "2023", "target", "value", 1.3, "万亿斤", "at_least"),
    ("national-2024.txt", "gdp", "2023", "actual", "value", 126, "万亿元", "at_least"),
    ("national-2024.txt", "energy_intensity", "2024", "target", "growth", -2.5, "%", "about"),
    ("sichuan-2026.txt", "gdp", "2025", "actual", "value", 67665, "亿元", None),
    ("sichuan-2026.txt", "rural_disposable_income", "2021-2025", "actual", "growth", 7.1, "%", None),
    ("sichuan-2026.txt", "grain_output", "2026", "target", "value", 730, "亿斤", "at_least"),
    ("zhumadian-2019.txt", "urbanization_rate", "2018", "actual", "growth", 1.58, "个百分点", None),
    ("zhumadian-2024.txt", "gdp", "2024", "target", "growth", 6.5, "%", "about"),
    ("baoding-2025.txt", "online_retail", "2024", "actual", "value", 750, "亿元", None),
    ("hailar-2012.txt", "rural_net_income", "2012", "target", "value", 16892, "元", None),
    ("gaoyang-2018.txt", "exports", "2017", "actual", "value", 2.99, "亿美元", None),
    ("gaoyang-2019.txt", "rural_disposable_income", "2019", "target", "growth", 10, "%", None),
    ("fuping-2021.txt", "gdp", "2016-2020", "actual", "growth", 11.5, "%", None),
    ("fuping-2021.txt", "rural_disposable_income", "2021", "target", "growth", 10, "%", "at_least"),
    ("guangdong-2025.docx", "urban_rural_income_ratio", "2024", "actual", "value", 2.31, "", None),
    ("jilin-2025.docx", "grain_output", "2025", "target", "value", 880, "亿斤", "at_least"),
]


@pytest.mark.parametrize("row", CHECKED, ids=lambda r: f"{r[0]}:{r[1]}:{r[2]}:{r[4]}")
def test_hand_checked_figures_are_found(row):
    name, indicator, period, kind, measure, value, unit, qualifier = row
    if not (SAMPLES / name).exists():
        pytest.skip("sample missing")
    found = [
        (f.value, f.unit, f.qualifier)
        for f in extraction(name).facts
        if (f.indicator, f.period, f.kind, f.measure) == (indicator, period, kind, measure)
    ]
    assert (pytest.approx(value), unit, qualifier) in found


def _scorer():
    path = SHARED / "tools" / "score_facts.py"
    spec = importlib.util.spec_from_file_location("score_facts", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(gold_path: Path, folder: Path = SAMPLES) -> tuple[float, float, float]:
    """(recall, precision, qualifier) of the facts of the reports in `folder` against a gold
    file, with the shared scorer's own key and value comparison."""
    scorer = _scorer()
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = sorted({g["doc"] for g in gold})
    by_key: dict = {}
    for name in docs:
        for f in extraction(name, folder).facts:
            fact = {"doc": name, **f.to_dict()}
            by_key.setdefault(scorer.key(fact), []).append(fact)
    gold_keys: dict = {}
    found = qual_ok = 0
    for g in gold:
        gold_keys.setdefault(scorer.key(g), []).append(g)
        hit = next((f for f in by_key.get(scorer.key(g), []) if scorer.same(f, g)), None)
        if hit is not None:
            found += 1
            qual_ok += (hit.get("qualifier") or None) == (g.get("qualifier") or None)
    keyed = right = 0
    for k, fs in by_key.items():
        if k in gold_keys:
            keyed += len(fs)
            right += sum(any(scorer.same(f, g) for g in gold_keys[k]) for f in fs)
    return found / len(gold), right / max(keyed, 1), qual_ok / max(found, 1)


# (gold file, least recall, least precision): the Hangzhou gold is met in full; the dev set
# (14 reports of other places, levels and years) is the guard against rules that only fit Hangzhou.
GOLD_BARS = [("facts.jsonl", 1.0, 1.0), ("corpus-core.jsonl", 0.97, 0.99)]


@pytest.mark.skipif(not (SHARED / "gold" / "facts.jsonl").exists(), reason="shared gold not beside the repo")
@pytest.mark.parametrize(("gold", "least_recall", "least_precision"), GOLD_BARS)
def test_gold_scores(gold, least_recall, least_precision):
    recall, precision, qualifier = _score(SHARED / "gold" / gold)
    assert recall >= least_recall, f"{gold}: recall {recall:.3f}"
    assert precision >= least_precision, f"{gold}: precision {precision:.3f}"
    assert qualifier >= 0.95, f"{gold}: qualifier {qualifier:.3f}"


BREADTH = SHARED / "corpus" / "breadth"


@pytest.mark.skipif(not BREADTH.exists(), reason="shared corpus not beside the repo")
def test_breadth_labels():
    """The 37 provincial reports of breadth/, their headline results and main targets labelled
    by readers who saw only the text (tests/data/README.md): the guard against rules that fit
    the dev set alone."""
    recall, precision, qualifier = _score(Path(__file__).parents[1] / "data" / "breadth-labels.jsonl", BREADTH)
    assert recall >= 0.97, f"recall {recall:.3f}"
    assert precision >= 0.99, f"precision {precision:.3f}"
    assert qualifier >= 0.95, f"qualifier {qualifier:.3f}"


@pytest.mark.parametrize("name", sample_names())
def test_one_statement_per_key_unless_its_bounds_differ(name):
    """Two values for one (region, period, indicator, kind, measure) in a report is how a figure
    pinned on the wrong indicator shows (地方财政总收入 read as 财政总收入 did); two bounds of
    one target (增长7%以上、力争达到8%) differ in qualifier or striving, and may."""
    seen: dict[tuple, set] = {}
    for f in extraction(name).facts:
        if f.indicator is None:
            continue  # an uncatalogued subject (下达资金) may be several programmes' figures
        key = (f.region, f.period, f.indicator, f.kind, f.measure)
        seen.setdefault(key, set()).add((f.value, f.unit, f.qualifier, f.strive))
    for key, statements in seen.items():
        plain = {(v, u) for v, u, q, s in statements if not q and not s}
        assert len(plain) <= 1, (name, key, statements)


@pytest.mark.skipif(
    not (SHARED / "gold" / "corpus" / "documents.jsonl").exists(), reason="shared gold not beside the repo"
)
@pytest.mark.parametrize(("gold", "least"), [("documents.jsonl", 1.0), ("corpus/documents.jsonl", 0.95)])
def test_metadata_scores(gold, least):
    """Fields of each report's head against the gold, compared as score_documents.py does."""
    spec = importlib.util.spec_from_file_location("score_documents", SHARED / "tools" / "score_documents.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    right = total = 0
    for line in (SHARED / "gold" / gold).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        want = json.loads(line)
        meta = extraction(want["doc"]).meta.to_dict()
        for field, value in want.items():
            if field in ("doc", "task_count", "issuer", "issued_on", "pages"):
                continue
            total += 1
            right += scorer.norm(meta.get(field)) == scorer.norm(value)
    assert right / total >= least, f"{gold}: fields right {right}/{total}"


def _cut_head(text: str) -> str:
    head = re.search(r"^一、", text, re.MULTILINE)
    return text[head.start() :] if head else text


def _unnumbered(text: str) -> str:
    return re.sub(r"^[一二三四五六七八九十]+、", "", text, flags=re.MULTILINE)


@pytest.mark.skipif(not (SHARED / "gold" / "corpus-core.jsonl").exists(), reason="shared gold not beside the repo")
@pytest.mark.parametrize("damage", [_cut_head, _unnumbered], ids=["without its head", "without numbered headings"])
def test_the_dev_set_damaged(damage):
    """Each dev report cut at its first 一、 (a scrape that lost title, delivery and speaker
    lines), or with its parts' numbers gone (2019年工作回顾 on a line of its own, or glued to
    the paragraph), keeps its figures: region, years and parts come from the body."""
    from zhibiao.domain.pipeline import analyse_text

    scorer = _scorer()
    gold = [
        json.loads(line)
        for line in (SHARED / "gold" / "corpus-core.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    by_key: dict = {}
    for name in sorted({g["doc"] for g in gold}):
        for f in analyse_text(damage(extraction(name).text), source_name=name).facts:
            fact = {"doc": name, **f.to_dict()}
            by_key.setdefault(scorer.key(fact), []).append(fact)
    found = sum(any(scorer.same(f, g) for f in by_key.get(scorer.key(g), [])) for g in gold)
    assert found / len(gold) >= 0.97, f"found {found}/{len(gold)}"
