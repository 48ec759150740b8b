"""Counts as a person reads them: `1 deal`, `2 deals`, `0 deals`."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`noun` for exactly one, else `many` (default: `noun` + "s"), e.g. `plural(n, "person", "people")`."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"
