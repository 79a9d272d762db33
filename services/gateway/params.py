"""Query parameters that say no: an unknown parameter, or a value outside a closed vocabulary,
answers 422 naming what is allowed (CONTRACT), instead of a silent, unfiltered 200.

Closed vocabularies with few values are Literal types on the routes (FastAPI's 422 lists them);
the ones below need the catalogue or the stored regions to check.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.routing import APIRoute

from services.gateway.errors import ApiError
from zhibiao.domain import indicators, regions

NONE = "none"  # indicator=none: the figures outside the catalogue

AdminLevel = Literal["national", "province", "city", "district", "county"]
Kind = Literal["actual", "target"]
Measure = Literal["value", "growth", "share"]

RegionParam = Annotated[
    str | None,
    Query(
        description="a division by any of its names: 杭州, 杭州市 or 浙江省杭州市 all ask for 杭州市; "
        "never a bare prefix (杭州 is not 杭州市滨江区 unless include_subregions=true)"
    ),
]
SubregionsParam = Annotated[
    bool, Query(description="also every division within the region asked for (杭州 → 杭州市滨江区; 浙江 → 杭州市)")
]
AdminLevelParam = Annotated[AdminLevel | None, Query(description="the level of the region: national … county")]


def _allowed(route: APIRoute) -> frozenset[str]:
    """The query parameters a route and its dependencies declare, kept on the route (an
    APIRoute is not hashable, and a dict by id() could outlive its app in tests)."""
    names = getattr(route, "_query_names", None)
    if names is None:
        found, pending = set(), [route.dependant]
        while pending:
            dependant = pending.pop()
            found.update(p.alias for p in dependant.query_params)
            pending.extend(dependant.dependencies)
        names = route._query_names = frozenset(found)
    return names


async def known_parameters(request: Request) -> None:
    """Refuse a query parameter the route does not take: `value_gte=6` on a route without it
    would otherwise answer every row, and the user believe they filtered. async: it only
    reads the request, and FastAPI would run a plain def in a thread of its pool, a hop
    that costs more than the check."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.url.path.startswith("/v1/"):
        return
    allowed = _allowed(route)
    unknown = sorted({k for k in request.query_params if k not in allowed})
    if unknown:
        raise ApiError(
            422,
            "unknown_parameter",
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"this endpoint takes: {', '.join(sorted(allowed)) or 'no parameters'}",
        )


def indicator_code(value: str | None, *, allow_none: bool = True) -> str | None:
    """The catalogue code a user's `indicator=` stands for: a code (gdp, any case), the
    Chinese name or an alias as written (地区生产总值, GDP), or `none` for the figures
    outside the catalogue. Anything else answers 422 with the codes."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if allow_none and value.lower() == NONE:
        return NONE
    codes = indicators.catalogue()
    if value.lower() in codes:
        return value.lower()
    by_name = {i.name: code for code, i in codes.items()}
    if value in by_name:
        return by_name[value]
    found = indicators.lookup(value)
    if found is not None:
        return found[0]
    raise ApiError(
        422,
        "unknown_indicator",
        f"indicator {value!r} is not in the catalogue (see /v1/indicators); give a code, "
        f"its Chinese name or an alias{', or none for figures outside the catalogue' if allow_none else ''}"
        f". Codes: {', '.join(codes)}",
    )


_PERIOD = re.compile(r"\d{4}(?:-\d{4})?")


def period(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _PERIOD.fullmatch(value.strip()):
        raise ApiError(422, "invalid_request", f"period {value!r} is a year (2026) or a span (2021-2025)")
    return value.strip()


def periods(value: str | None) -> str | tuple[str, ...] | None:
    """A period (2026, 2021-2025), or several comma-separated (2025,2026) as a tuple: any of them."""
    if value is None or not value.strip():
        return None
    parts = [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
    if len(parts) == 1:
        return period(parts[0])
    return tuple(dict.fromkeys(period(p) for p in parts))


def asked_regions(query: str | None, subregions: bool, is_stored) -> tuple[str, ...] | None:
    """The full region names a region query asks for, resolved by the division table
    (regions.division_names): what region_names leaves of the stored names, perhaps with names
    nothing stores, which a filter matches to no row. None for any (no query). `is_stored(name)`
    is asked only for a query the table does not know."""
    if not query:
        return None
    if not regions.names_a_division(query) and not is_stored(query.strip()):
        raise ApiError(
            422,
            "unknown_region",
            f"region {query!r} names no division: give a name such as 杭州, 杭州市, 浙江省 or 全国",
        )
    return regions.division_names(query, subregions=subregions)
