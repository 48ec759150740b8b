"""Reading the ids our buttons carry in their `value`."""

from __future__ import annotations

import re
from typing import Any

from storage.storable import MAX_ID

_ID = re.compile(r"[0-9]{1,10}")  # ASCII digits; str.isdigit() also takes "²", which int() refuses


def id_from(value: Any) -> int | None:
    """The id a button's value (or a command's word) names, or None for anything else: a forged or stale
    click, or a number no row can have (ids are positive and fit the database's INTEGER)."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return int(text) if _ID.fullmatch(text) and 0 < int(text) <= MAX_ID else None
