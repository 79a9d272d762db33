"""Who may write: the bearer token, checked before anything reads a request's body.

FastAPI parses a multipart form before it runs a route's dependencies, so a dependency alone
would let any anonymous client make the gateway read and spool a whole upload before the 401.
This layer sits in front of the app as plain ASGI and answers from the headers alone.
"""

from __future__ import annotations

import hmac

from services.gateway.errors import ApiError, error_response
from zhibiao.plumbing.config import Settings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def writer_refusal(settings: Settings, authorization: bytes | None) -> ApiError | None:
    """Why a request with this Authorization header may not write, or None when it may."""
    if settings.api_token:
        expected = b"Bearer " + settings.api_token.encode()
        # constant time: == stops at the first differing byte and leaks the token's prefix
        if authorization is None or not hmac.compare_digest(authorization, expected):
            return ApiError(401, "unauthorized", "a bearer token (ZHIBIAO_API_TOKEN) is required to write")
        return None
    if not settings.allow_anonymous_writes:
        return ApiError(
            403,
            "writes_disabled",
            "writes are refused: set ZHIBIAO_API_TOKEN (or ZHIBIAO_ALLOW_ANONYMOUS_WRITES=1 locally)",
        )
    return None


class RequireWriter:
    """Every write method needs a writer; the refusal is sent without touching the body."""

    def __init__(self, app, *, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] in WRITE_METHODS:
            authorization = next((v for k, v in scope.get("headers") or [] if k == b"authorization"), None)
            refusal = writer_refusal(self.settings, authorization)
            if refusal is not None:
                headers = {"WWW-Authenticate": "Bearer"} if refusal.status == 401 else None
                response = error_response(refusal.status, refusal.code, refusal.message, headers)
                return await response(scope, receive, send)
        return await self.app(scope, receive, send)
