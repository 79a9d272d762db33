"""The contract's error shape, {"error": {"code", "message"}}, for every failure."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException

from zhibiao.plumbing.errors import PermanentError, TransientError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_HTTP_CODES = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_req: Request, exc: ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(HTTPException)
    async def _http(_req: Request, exc: HTTPException):
        return error_response(exc.status_code, _HTTP_CODES.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _validation(_req: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "invalid_request", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(PermanentError)
    async def _permanent(_req: Request, exc: PermanentError):
        return error_response(415, "unsupported_media_type", str(exc))

    @app.exception_handler(TransientError)
    async def _transient(_req: Request, exc: TransientError):
        return error_response(503, "unavailable", str(exc), {"Retry-After": "5"})

    @app.exception_handler(OperationalError)
    async def _db_down(_req: Request, exc: OperationalError):
        return error_response(
            503, "database_unavailable", "the database is not reachable; try again shortly", {"Retry-After": "5"}
        )

    @app.exception_handler(DataError)
    async def _data(_req: Request, exc: DataError):
        # The database refused a value it was asked to compare or store (a NUL byte in a
        # cursor, a number out of its range): the request's fault, and retrying will not help.
        # The driver's message may quote the value, so it is not echoed.
        return error_response(400, "invalid_request", "a parameter has a value the database cannot take")
