"""JSON for list endpoints without FastAPI's jsonable_encoder pass, dumped once by orjson.

A dict returned from an endpoint is walked value by value by jsonable_encoder before it is
dumped: on a page of 100 facts that walk took 8 of the request's 18 ms. The rows these
endpoints return are plain values already (dates as ISO strings), so they are dumped as
they are, by orjson (UTF-8, compact, as json.dumps(ensure_ascii=False) wrote them, several
times faster); the odd date or Decimal still comes out right through `default`. No value
here is inf or NaN (the messages refuse them: DocumentExtracted allow_inf_nan=False).
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import orjson
from fastapi.responses import JSONResponse


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


class PlainJSON(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_plain, option=orjson.OPT_NON_STR_KEYS)
