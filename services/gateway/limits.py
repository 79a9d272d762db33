"""Limits on what a request may carry, enforced in ASGI before FastAPI sees it: FastAPI itself
reads a body of any size, and hands a NUL byte on to PostgreSQL, which refuses it."""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from services.gateway.errors import error_response


class BodyLimit:
    def __init__(self, app, *, max_bytes: int, paths: tuple[str, ...]) -> None:
        self.app, self.max_bytes, self.paths = app, max_bytes, paths

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].startswith(self.paths):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._too_large(send)
        seen, cut, started = 0, False, False

        async def counting_receive():
            nonlocal seen, cut
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    cut = True
                    raise _TooLarge()
            return message

        async def guarded_send(message):
            nonlocal started
            # A chunked body (no Content-Length) is cut off inside FastAPI's form parser, which
            # turns our exception into its own 400; that answer is dropped and the 413 sent instead.
            if cut and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            pass
        if cut and not started:
            await self._too_large(send)

    async def _too_large(self, send) -> None:
        body = json.dumps(
            {"error": {"code": "too_large", "message": f"the upload exceeds {self.max_bytes} bytes"}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class RefuseNul:
    """A NUL byte in the path or the query is a 422: no text column (PostgreSQL's) can hold one,
    so no filter or id containing it can match anything."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and (
            "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(scope.get("query_string") or b"")
        ):
            response = error_response(422, "invalid_request", "a NUL byte is not allowed in a path or query")
            return await response(scope, receive, send)
        return await self.app(scope, receive, send)
