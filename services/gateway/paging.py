"""Opaque cursors: the last key of a page (or an offset), base64 of its JSON."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from services.gateway.errors import ApiError


def encode_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def decode_cursor(cursor: str | None) -> Any:
    if not cursor:
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned") from None
