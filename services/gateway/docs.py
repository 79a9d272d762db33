"""/docs without a network: Swagger UI's files come from the installed swagger-ui-bundle
package and are served by the gateway itself (FastAPI's own /docs loads them from a CDN,
a blank page offline). The OpenAPI document gives every parameter a description."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from services.gateway.errors import ApiError

ASSETS = "/docs/assets"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png"}

# What a parameter means wherever a route does not say more itself.
PARAMETERS = {
    "limit": "items per page (1–1000)",
    "cursor": "the next_cursor of the previous page; leave out for the first page",
    "format": "json (a page), or csv / xlsx: every matching row as a download (limit and cursor unused)",
    "document_id": "a document's id (sha256 of its file)",
    "status": "only items with this status",
    "region": "a region's name (全国, 浙江省, 杭州市, 杭州市滨江区)",
    "year": "a year (documents match their plan year or review year)",
    "doc_type": "work_report, progress_table or other",
    "indicator": "an indicator's catalogue code (gdp; see /v1/indicators)",
    "period": "a year (2026) or a span (2021-2025)",
    "kind": "actual or target",
    "measure": "value, growth or share",
    "term": "the word or phrase to count, as written",
    "q": "words to look for",
    "lead_unit": "any part of a lead unit's name",
    "leader": "any part of the leader's name",
}


def _swagger_dir() -> Path:
    import swagger_ui_bundle

    return Path(swagger_ui_bundle.swagger_ui_path)


@lru_cache(maxsize=8)
def _asset(name: str) -> bytes | None:
    if "/" in name or name.startswith(".") or not any(name.endswith(ext) for ext in _TYPES):
        return None
    path = _swagger_dir() / name
    return path.read_bytes() if path.is_file() else None


def describe_parameters(schema: dict) -> dict:
    """Give every parameter without a description the one PARAMETERS holds for its name."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if not param.get("description") and param["name"] in PARAMETERS:
                    param["description"] = PARAMETERS[param["name"]]
    return schema


def install(app: FastAPI) -> None:
    """Serve /docs from local files and describe every parameter; `app` is built with docs_url=None."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = describe_parameters(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="zhibiao API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    @app.get(ASSETS + "/{name}", include_in_schema=False)
    def swagger_asset(name: str) -> Response:
        body = _asset(name)
        if body is None:
            raise ApiError(404, "not_found", f"no asset {name}")
        media = next(t for ext, t in _TYPES.items() if name.endswith(ext))
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=86400"})
