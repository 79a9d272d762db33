"""The page at /: plain HTML, JS and CSS shipped in the package (zhibiao/web), nothing
fetched from a network, no build step."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import Response

from services.gateway.errors import ApiError
from zhibiao.domain.units import SCALE_WORDS

router = APIRouter(include_in_schema=False)
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


@lru_cache(maxsize=32)
def _asset(name: str) -> bytes | None:
    if "/" in name or name.startswith(".") or not any(name.endswith(ext) for ext in _TYPES):
        return None
    res = resources.files("zhibiao").joinpath("web", name)
    return res.read_bytes() if res.is_file() else None


def _serve(name: str) -> Response:
    body = _asset(name)
    if body is None:
        raise ApiError(404, "not_found", f"no asset {name}")
    media = next(t for ext, t in _TYPES.items() if name.endswith(ext))
    return Response(body, media_type=media, headers={"Cache-Control": "no-cache"})


@router.get("/")
def index() -> Response:
    return _serve("index.html")


@router.get("/static/units.json")
def units() -> dict[str, float]:
    """The scale words the page converts units with: the extractor's own, not a copy."""
    return SCALE_WORDS


@router.get("/static/{name}")
def asset(name: str) -> Response:
    return _serve(name)
