"""Was a target met? A target fact against the actual later reported for the same
region, indicator, measure and period.

How a target reads, by its qualifier:
- at_least (以上, 不低于): met when actual >= target. A decline written as a negative
  growth (能耗下降3%以上 = -3, at_least) is met when actual <= target.
- at_most (以内, 不超过): met when actual <= target.
- about (左右, 约): met when actual is within the tolerance below, or beyond it on the
  good side (6%左右 is met by 5.6 and by 7.2; missed by 5.4).
- a range value..value_max (6%-6.5%): met when actual >= value (<= value_max for the
  ceilings below).
- none: a floor (actual >= target), except for ceilings and declines, where <= holds.
The rule an item shows is the one comparison made (≥ 5.5% for 6%左右), so it never reads as a
band the verdict does not apply. A target without an actual says why: no report reviewing its
period is loaded (no_later_report), or one is and does not state it (not_stated).
Ceilings are indicators where less is the aim (prices, unemployment, deficits, energy
intensity, the urban-rural income gap): the catalogue's lower_is_better column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from typing_extensions import TypedDict  # see series.py

from zhibiao.domain.indicators import catalogue
from zhibiao.domain.model import Measure
from zhibiao.domain.series import Observation, indicator_name, observe, period_key
from zhibiao.domain.units import RATES, convert

# 左右 on a rate (growth, share, or any figure in %): half a percentage point either side,
# the rounding a report itself uses when it states a rate to one decimal of a whole.
ABOUT_TOLERANCE_POINTS = 0.5
# 左右 on an amount (亿元, 万人, 万吨): two per cent of the target either side.
ABOUT_TOLERANCE_RELATIVE = 0.02

Status = Literal["met", "missed", "not_yet_reported", "not_comparable"]
MET: Status = "met"
MISSED: Status = "missed"
NOT_YET: Status = "not_yet_reported"
NOT_COMPARABLE: Status = "not_comparable"  # both exist but their units cannot be converted (亿元 vs %)


# Why a target has no actual: no report of the region reviewing its period is loaded, or
# one is and does not state the figure.
Unreported = Literal["no_later_report", "not_stated"]
Direction = Literal["floor", "ceiling"]  # met at or above the bound, or at or below it


@dataclass(frozen=True)
class Verdict:
    status: Status
    gap: float | None  # actual - target, in the target's unit (to the range's lower end)
    # the comparison made, for a person, with the target as written where it differs:
    # "≥ 6.5%", "≤ 3%", "≥ 5.5%（6%左右）", "≤ 3.5%（3%左右，上限）"
    rule: str
    actual_value: float | None = None  # the actual converted to the target's unit
    direction: Direction = "floor"


def _fmt(x: float) -> str:
    return f"{x:g}"


def _tolerance(target: Mapping) -> float:
    if target.get("unit") in RATES or target.get("measure") in ("growth", "share"):
        return ABOUT_TOLERANCE_POINTS
    return abs(target["value"]) * ABOUT_TOLERANCE_RELATIVE


def lower_is_better(target: Mapping) -> bool:
    """Ceilings, and declines written as negative growth (下降3%)."""
    entry = catalogue().get(target.get("indicator"))
    return (entry is not None and entry.lower_is_better) or target["value"] < 0


def judge(target: Mapping, actual: Mapping | None) -> Verdict:
    """The verdict for one target (a fact mapping) and its actual (or None)."""
    low, qualifier = target["value"], target.get("qualifier")
    high = target.get("value_max")
    unit = target.get("unit", "")
    ceiling = lower_is_better(target)
    if qualifier == "about" and high is None:
        # 左右 is met within the tolerance or beyond it on the good side: one bound, shown as
        # the bound it is (a ceiling's 3%左右 is "≤ 3.5%", never the band "3 ± 0.5").
        tol = round(_tolerance(target), 6)
        bound = round(low + tol if ceiling else low - tol, 6)
        rule = f"{'≤' if ceiling else '≥'} {_fmt(bound)}{unit}（{_fmt(low)}{unit}左右{'，上限' if ceiling else ''}）"
        ok = (lambda a: a <= bound) if ceiling else (lambda a: a >= bound)
    elif high is not None:
        if ceiling:
            rule, ok = f"≤ {_fmt(high)}{unit}（{_fmt(low)}–{_fmt(high)}{unit}，上限）", (lambda a: a <= high)
        else:
            rule, ok = f"≥ {_fmt(low)}{unit}（{_fmt(low)}–{_fmt(high)}{unit}）", (lambda a: a >= low)
    elif qualifier == "at_most" or (qualifier != "at_least" and ceiling) or (qualifier == "at_least" and low < 0):
        rule = f"≤ {_fmt(low)}{unit}"
        ok = lambda a: a <= low
    else:
        rule = f"≥ {_fmt(low)}{unit}"
        ok = lambda a: a >= low
    direction: Direction = "ceiling" if rule.startswith("≤") else "floor"
    if actual is None:
        return Verdict(NOT_YET, None, rule, direction=direction)
    value = convert(actual["value"], actual.get("unit", ""), unit)
    if value is None:
        return Verdict(NOT_COMPARABLE, None, rule, direction=direction)
    return Verdict(MET if ok(value) else MISSED, round(value - low, 6), rule, round(value, 6), direction)


def _period_end(period: str) -> int | None:
    tail = period.split("-")[-1]
    return int(tail) if tail.isdigit() else None


def pick_actual(target: Mapping, candidates: Sequence[Mapping]) -> Mapping | None:
    """The actual to judge a target by: reported by another document, no earlier than the
    target's; final figures before 预计 estimates; the report reviewing that very year
    first, then the latest report. Candidates carry `doc_year` (the document's plan year)."""
    end = _period_end(target["period"])
    target_year = target.get("doc_year")
    usable = [
        a
        for a in candidates
        if a["document_id"] != target["document_id"]
        and (target_year is None or a.get("doc_year") is None or a["doc_year"] >= target_year)
        and convert(a["value"], a.get("unit", ""), target.get("unit", "")) is not None
    ]
    if not usable:
        usable = [a for a in candidates if a["document_id"] != target["document_id"]]
    if not usable:
        return None

    def preference(a: Mapping) -> tuple:
        reviews_it = end is not None and a.get("review_year") == end
        return (bool(a.get("estimated")), not reviews_it, -(a.get("doc_year") or 0), a.get("id") or 0)

    return min(usable, key=preference)


class LabelledObservation(Observation):
    indicator_label: str  # the indicator as the document wrote it


class AttainmentItem(TypedDict):
    region: str
    indicator: str
    indicator_name: str | None  # the catalogue's name
    measure: Measure
    period: str
    status: Status
    rule: str  # the comparison made (see Verdict.rule)
    direction: Direction
    unreported: Unreported | None  # for not_yet_reported: why
    later_reports: list[str]  # for not_yet_reported: the loaded reports of the region reviewing the period
    gap: float | None
    actual_in_target_unit: float | None
    target: LabelledObservation
    actual: LabelledObservation | None
    other_actuals: list[LabelledObservation]  # what other documents said, where it differs


def later_reports(target: Mapping, reports: Iterable[Mapping]) -> list[str]:
    """Source names of the reports of the target's region that review its period's last year
    or a later one: where its actual would be stated. `reports` are mappings of `region`,
    `review_year` and `source_name` of the loaded work reports."""
    end = _period_end(target["period"])
    return sorted(
        r["source_name"]
        for r in reports
        if r["region"] == target["region"]
        and end is not None
        and (r.get("review_year") or 0) >= end
        and r.get("document_id") != target["document_id"]
    )


def attainment_items(facts: Iterable[Mapping], reports: Iterable[Mapping] = ()) -> list[AttainmentItem]:
    """Every target (one per document and figure) with its actual and verdict. Each fact
    mapping holds the Fact columns plus its document's `source_name`, `doc_year` and `review_year`;
    `reports` (see later_reports) tell a target no later report states from one none is loaded for."""
    reports = list(reports)
    actuals: dict[tuple, list[Mapping]] = {}
    targets: dict[tuple, Mapping] = {}
    for f in facts:
        if f["indicator"] is None:
            continue  # a figure outside the catalogue has no series to be judged against
        key = (f["region"], f["indicator"], f["measure"], f["period"])
        if f["kind"] == "actual":
            actuals.setdefault(key, []).append(f)
        else:
            targets.setdefault((*key, f["document_id"], f["value"], f["value_max"], f["unit"]), f)
    items = []
    for key, target in targets.items():
        region, indicator, measure, period = key[:4]
        candidates = actuals.get(key[:4], [])
        actual = pick_actual(target, candidates)
        verdict = judge(target, actual)
        others = [
            observe(a, LabelledObservation)
            for a in candidates
            if actual is not None
            and a["id"] != actual["id"]
            and a["document_id"] != target["document_id"]
            and (a["value"], a["unit"]) != (actual["value"], actual["unit"])
        ]
        later = later_reports(target, reports) if verdict.status == NOT_YET else []
        unreported = ("not_stated" if later else "no_later_report") if verdict.status == NOT_YET else None
        items.append(
            {
                "region": region,
                "indicator": indicator,
                "indicator_name": indicator_name(indicator),
                "measure": measure,
                "period": period,
                "status": verdict.status,
                "rule": verdict.rule,
                "direction": verdict.direction,
                "unreported": unreported,
                "later_reports": later,
                "gap": verdict.gap,
                "actual_in_target_unit": verdict.actual_value,
                "target": observe(target, LabelledObservation),
                "actual": observe(actual, LabelledObservation) if actual else None,
                "other_actuals": others,
            }
        )
    items.sort(key=lambda i: order_key(position(i)))
    return items


def position(item: AttainmentItem) -> list[str]:
    """What places an item in attainment_items' order, as plain values: a page's cursor."""
    return [item["region"], item["period"], item["indicator"], item["measure"], item["target"]["fact_id"]]


def order_key(position: Sequence[str]) -> tuple:
    """The sort key of a position: by region, period (a span after the year it ends in),
    indicator and measure, then the target's fact id among a period's several targets."""
    region, period, *rest = position
    return (region or "", period_key(period), period, *rest)
