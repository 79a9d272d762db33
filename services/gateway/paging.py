"""Pages of rows, and their opaque cursors: the last key of a page (or an offset), base64 of its JSON."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
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


def row(obj: Any, names: tuple[str, ...]) -> dict:
    """The named attributes of a database row, dates as ISO strings."""
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def position(cursor: str | None, sort: str) -> tuple[Any, int]:
    """(after, offset) a cursor stands for: in id order the last id of the previous page (a
    keyset, exact while rows come and go), in any other order an offset ({"offset": n})."""
    value = decode_cursor(cursor)
    if sort == "id":
        if isinstance(value, dict):
            raise ApiError(400, "invalid_cursor", "this cursor belongs to another sort order")
        return value, 0
    if value is None:
        return None, 0
    offset = value.get("offset") if isinstance(value, dict) else None
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise ApiError(400, "invalid_cursor", "the cursor is not one this API returned (or another sort's)")
    return None, offset


def sorted_page(
    rows: Sequence[Any], limit: int, names: tuple[str, ...], key: str, *, sort: str, offset: int, total: int
) -> dict:
    """A page in `sort` order with the count of every matching row."""
    return sorted_items([row(r, names) for r in rows], limit, key, sort=sort, offset=offset, total=total)


def sorted_items(items: list[dict], limit: int, key: str, *, sort: str, offset: int, total: int) -> dict:
    """sorted_page of items already made plain (JSON values). In id order a full page has a
    cursor past its last `key`, in any other an offset."""
    if sort == "id":
        nxt = encode_cursor(items[-1][key]) if len(items) == limit else None
    else:
        nxt = encode_cursor({"offset": offset + limit}) if len(items) == limit else None
    return {"items": items, "next_cursor": nxt, "total": total}
