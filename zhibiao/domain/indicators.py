"""The indicator catalogue: codes, Chinese names, the forms reports write them in.

The data lives in `zhibiao/data/indicators.tsv` so non-programmers can extend it. An
alias may carry a measure in brackets (经济增长[growth]): the words already say which
figure follows; a level in braces (财政收入{national}) holds only in reports of that level. A leading ~ marks a form too loose to trust mid-sentence (~出口: 服贸出口,
“新三样”出口): it counts only at a sentence start or after a scope word (全市出口).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MEASURES = ("value", "growth", "share")
UNIT_KINDS = ("money", "percent", "ratio", "people", "mass", "index", "count", "area", "length", "years")

# Units a value of each kind may be written in; a figure in another unit is not that
# indicator's value (GDP 6.5% is a growth or nothing).
UNITS_BY_KIND = {
    "money": (
        "元",
        "万元",
        "亿元",
        "万亿元",
        "千亿元",
        "百亿元",
        "千万元",
        "百万元",
        "美元",
        "万美元",
        "亿美元",
        "万亿美元",
    ),
    "percent": ("%",),
    "ratio": ("",),
    "index": (),
    "people": ("人", "万人"),
    "mass": ("吨", "万吨", "亿吨", "斤", "万斤", "亿斤", "万亿斤", "公斤", "万公斤", "亿公斤"),
    "count": (
        "家",
        "万家",
        "个",
        "万个",
        "户",
        "万户",
        "亿户",
        "辆",
        "万辆",
        "台",
        "万台",
        "套",
        "万套",
        "项",
        "件",
        "万件",
        "亿件",
    ),
    "area": ("亩", "万亩", "亿亩", "公顷", "万公顷"),
    "length": ("公里", "万公里", "千米"),
    "years": ("岁",),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    aliases: tuple[str, ...]
    measure: str  # the measure a bare figure after the name is (cpi: growth)
    unit_kind: str
    lower_is_better: bool = False  # a ceiling: prices, unemployment, deficits, energy intensity


@dataclass(frozen=True)
class Mention:
    """An indicator named in the text; `measure` is set when the words imply it."""

    code: str
    label: str
    start: int
    end: int
    measure: str | None = None
    weak: bool = False


_ALIAS = re.compile(r"^(?P<weak>~)?(?P<form>[^\[\]~{}]+?)(?:\[(?P<measure>\w+)\])?(?:\{(?P<level>\w+)\})?$")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """Every indicator by code, in the order of the data file."""
    raw = resources.files("zhibiao").joinpath("data/indicators.tsv").read_text(encoding="utf-8")
    out: dict[str, Indicator] = {}
    for line in raw.splitlines()[1:]:
        if not line.strip():
            continue
        code, name, aliases, measure, kind, _notes, lower = line.split("\t")[:7]
        if measure not in MEASURES or kind not in UNIT_KINDS or lower not in ("", "yes"):
            raise ValueError(f"indicators.tsv: bad measure, unit kind or lower_is_better for {code}")
        forms = tuple(a.strip() for a in aliases.split(";") if a.strip())
        out[code] = Indicator(code, name, forms, measure, kind, lower_is_better=lower == "yes")
    return out


def list_indicators() -> list[dict]:
    """The catalogue as the gateway serves it: code, Chinese name, aliases."""
    return [
        {"code": i.code, "name": i.name, "aliases": [_ALIAS.match(a).group("form") for a in i.aliases]}
        for i in catalogue().values()
    ]


def get(code: str) -> Indicator:
    return catalogue()[code]


@lru_cache(maxsize=1)
def _forms() -> dict[str, tuple[str, str | None, bool, str | None]]:
    forms: dict[str, tuple[str, str | None, bool, str | None]] = {}
    for ind in catalogue().values():
        for alias in ind.aliases:
            m = _ALIAS.match(alias)
            forms.setdefault(m.group("form"), (ind.code, m.group("measure"), bool(m.group("weak")), m.group("level")))
    return forms


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    forms = sorted(_forms(), key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in forms), re.IGNORECASE)


def lookup(form: str) -> tuple[str, str | None] | None:
    """The (code, implied measure) a written form stands for, or None."""
    found = _forms().get(form) or _forms().get(form.upper())
    return found[:2] if found else None


def find_mentions(text: str, start: int = 0, end: int | None = None, level: str | None = None) -> list[Mention]:
    """Every catalogue form in text[start:end], longest first, not overlapping. A form
    marked with a level ({national}: 财政收入 is the general budget revenue only in the
    State Council's report) counts only in a report of that level."""
    end = len(text) if end is None else end
    out = []
    for m in _pattern().finditer(text, start, end):
        code, measure, weak, only = _forms().get(m.group(0)) or _forms()[m.group(0).upper()]
        if only is None or only == level:
            out.append(Mention(code, m.group(0), m.start(), m.end(), measure, weak))
    return out
