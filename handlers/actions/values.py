"""Reading the ids our buttons carry in their `value`."""

from __future__ import annotations

from typing import Any


def id_from(value: Any) -> int | None:
    """The positive id a button's value names, or None for anything else (a forged or stale click)."""
    text = str(value or "")
    return int(text) if text.isdigit() and int(text) > 0 else None
