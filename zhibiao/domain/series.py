"""An indicator's figures arranged by period: what each document said was done and planned.

Two documents often state the same year's figure: a report's 预计 estimate, then the next
year's final figure; or a city's and a district's report on the city. Both are kept, and a
period whose values differ says so (`disagree`) rather than silently picking one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# pydantic reads these shapes for the gateway's response models; before Python 3.12 it takes
# TypedDicts only from typing_extensions.
from typing_extensions import TypedDict

from zhibiao.domain.indicators import catalogue
from zhibiao.domain.model import Measure, Qualifier
from zhibiao.domain.units import convert


class Observation(TypedDict):
    """One statement of a figure: a fact, with the document it is in."""

    fact_id: str  # stable across reprocessing (stable_ids)
    value: float
    value_max: float | None
    unit: str
    qualifier: Qualifier | None
    estimated: bool
    strive: bool
    document_id: str
    source_name: str
    doc_year: int | None  # the document's plan year
    quote: str
    start: int
    end: int


class SeriesItem(TypedDict):
    indicator: str
    region: str
    measure: Measure
    period: str
    actual: list[Observation]
    target: list[Observation]
    disagree: bool  # the statements of one kind differ


def observe(fact: Mapping, shape: type[Observation] = Observation) -> dict:
    """The fields of `shape` from a fact joined with its document (its `id` as `fact_id`)."""
    return {k: fact.get("id" if k == "fact_id" else k) for k in shape.__annotations__}


def indicator_name(code: str) -> str | None:
    """The catalogue's name of an indicator code (gdp -> 地区生产总值)."""
    entry = catalogue().get(code)
    return entry.name if entry else None


def period_key(period: str) -> tuple[int, int]:
    """Sort spans after the single years they end in: 2021, then 2017-2021."""
    parts = [int(p) for p in period.split("-") if p.isdigit()] or [0]
    return parts[-1], parts[-1] - parts[0]


def _dedupe(observations: list[dict]) -> list[dict]:
    """One entry per document and figure: a report repeating itself is one statement."""
    seen, out = set(), []
    for o in observations:
        key = (o["document_id"], o["value"], o["value_max"], o["unit"], o["qualifier"])
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out


def _disagree(observations: list[dict]) -> bool:
    if len(observations) < 2:
        return False
    unit = observations[0]["unit"]
    values = set()
    for o in observations:
        v = convert(o["value"], o["unit"], unit)
        values.add((o["unit"], o["value"], o["value_max"]) if v is None else (round(v, 6), o["value_max"]))
    return len(values) > 1


def build_series(facts: Iterable[Mapping]) -> list[SeriesItem]:
    """One item per (indicator, region, measure, period) with its actual and target statements.
    Each fact mapping holds the Fact columns plus `source_name` and `doc_year`."""
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for f in facts:
        key = (f["indicator"], f["region"], f["measure"], f["period"])
        groups.setdefault(key, {"actual": [], "target": []})[f["kind"]].append(observe(f))
    items = []
    for (indicator, region, measure, period), kinds in groups.items():
        actual, target = _dedupe(kinds["actual"]), _dedupe(kinds["target"])
        for obs in (actual, target):
            # final figures before estimates, then the latest document first
            obs.sort(key=lambda o: (bool(o["estimated"]), -(o["doc_year"] or 0), o["fact_id"]))
        items.append(
            {
                "indicator": indicator,
                "region": region,
                "measure": measure,
                "period": period,
                "actual": actual,
                "target": target,
                "disagree": _disagree(actual) or _disagree(target),
            }
        )
    # a document whose region is unknown has region None: sorted first, never compared with text
    items.sort(key=lambda i: (i["indicator"] or "", i["region"] or "", i["measure"], period_key(i["period"])))
    return items
