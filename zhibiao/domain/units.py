"""Units as reports write them: a scale word (万, 亿, 万亿) before a base unit (元, 人, 吨).
Facts keep the unit as written (contract); comparing values across units takes both parts."""

from __future__ import annotations

from zhibiao.domain.numbers import SCALES, scale_of

RATES = ("%", "个百分点")  # no scale word turns one into the other
# The words numbers reads as a scale in front of a unit (百 is no scale there: 百分点), longest
# first: the page converts units with the same table (gateway /static/units.json).
SCALE_WORDS: dict[str, float] = dict(
    sorted(((w, f) for w, f in SCALES.items() if scale_of(w) == f), key=lambda wf: -len(wf[0]))
)


def split_scale(unit: str) -> tuple[float, str]:
    """The factor of the scale word that opens a unit, and the rest: 亿元 -> (1e8, "元"),
    万亿元 -> (1e12, "元"), % -> (1, "%")."""
    factor = scale_of(unit)  # numbers knows which scale words open a unit, longest first
    if factor == 1.0:
        return 1.0, unit
    word = next(w for w, f in SCALES.items() if f == factor)
    return factor, unit[len(word) :]


def convert(value: float, unit: str, to_unit: str) -> float | None:
    """`value` in `unit` expressed in `to_unit`, or None when they measure different things."""
    if unit == to_unit:
        return value
    f_from, base_from = split_scale(unit)
    f_to, base_to = split_scale(to_unit)
    if base_from != base_to or base_from in RATES:
        return None
    return value * f_from / f_to
