"""A cheap test that a long pattern cannot match at a position: its opening, a few characters long.

`clauses.anchored` tries a long pattern (an event, a competitor, a figure) at a handful of positions, and most
attempts fail; a failing attempt of a long alternation costs as much as a short search. `Opening(p)` reads
`p`'s own parse and keeps what every match of `p` must meet in its first few characters: each branch's
opening characters, with `p`'s flags. It drops every assertion (`\\b`, lookarounds), which only ever reject,
so it matches wherever `p` does, and it reads nothing past those characters: whether it matches at a position
depends on the next few characters of the text alone. Their verdicts are cached, like the per-word caches
elsewhere, so a position is ruled out by a dict lookup where the pattern would have failed there anyway.
tests/bot/coach/test_prefilter.py checks that it never rules out a position the pattern matches at.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

CHARS = 4  # how many characters of a match an opening reads at most
_CACHE_LIMIT = 50_000

_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}
_FLAGS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.ASCII: "a", re.UNICODE: "u"}
_ATOMS = (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN)
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
_ASSERTIONS = (c.AT, c.ASSERT, c.ASSERT_NOT)


class _Unsupported(Exception):
    """A construct no opening is read from (a backreference, a conditional): no prefilter for that pattern."""


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _atom(op: Any, av: Any) -> str:
    """One character's pattern, as written: a literal, its negation, any character, or a class."""
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.ANY:
        return "."
    parts = []
    for item, value in av:
        if item is c.NEGATE:
            parts.append("^")
        elif item is c.LITERAL:
            parts.append(_char(value))
        elif item is c.RANGE:
            parts.append(f"{_char(value[0])}-{_char(value[1])}")
        elif item is c.CATEGORY and value in _CATEGORIES:
            parts.append(_CATEGORIES[value])
        else:
            raise _Unsupported(item)
    return f"[{''.join(parts)}]"


def _flags(add: int, remove: int) -> str:
    on = "".join(letter for flag, letter in _FLAGS.items() if add & flag)
    off = "".join(letter for flag, letter in _FLAGS.items() if remove & flag)
    return f"(?{on}-{off}:" if off else f"(?{on}:"


def _opening(items: list[tuple[Any, Any]], budget: int) -> str:
    """A pattern that matches wherever the sequence `items` does, reading at most `budget` characters. Each
    step keeps only what every match of the sequence must meet from where it starts; past a construct whose
    length varies, nothing more is kept."""
    out: list[str] = []
    items = list(items)
    while items and budget > 0:
        op, av = items.pop(0)
        if op in _ATOMS:
            out.append(_atom(op, av))
            budget -= 1
        elif op in _ASSERTIONS:
            continue  # an assertion only rejects: without it the opening matches more, never less
        elif op is c.SUBPATTERN:
            _, add, remove, body = av
            if not add and not remove:  # a plain group: its contents, then what follows it
                items[:0] = list(body.data)
                continue
            out.append(_flags(add, remove) + _opening(list(body.data), budget) + ")")
            break
        elif op is c.ATOMIC_GROUP:
            out.append("(?:" + _opening(list(av.data), budget) + ")")
            break
        elif op is c.BRANCH:
            out.append("(?:" + "|".join(_opening(list(branch.data), budget) for branch in av[1]) + ")")
            break
        elif op in _REPEATS:
            low, high, body = av
            inner = list(body.data)
            if low >= 1 and len(inner) == 1 and inner[0][0] in _ATOMS:  # "x{2,}": its first characters
                count = min(low, budget)
                out.append(_atom(*inner[0]) * count)
                budget -= count
                if low == high:
                    continue  # a fixed count: what follows starts right after it
                break
            if low >= 1:  # the first repetition starts here
                out.append("(?:" + _opening(inner, budget) + ")")
            else:  # a repetition starts here, or none does and what follows it does
                out.append("(?:" + _opening(inner, budget) + "|" + _opening(items, budget) + ")")
            break
        else:
            raise _Unsupported(op)
    return "".join(out)


def opening_pattern(pattern: re.Pattern[str], chars: int = CHARS) -> re.Pattern[str] | None:
    """A pattern that matches wherever `pattern` does and reads at most `chars` characters, with no assertion
    in it (so whether it matches depends on those characters alone); None when `pattern` holds a construct
    no opening is read from."""
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
        flags = parsed.state.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.ASCII | re.UNICODE)
        return re.compile(_opening(list(parsed.data), chars), flags)
    except (_Unsupported, re.error, TypeError, ValueError):
        return None


class Opening(dict[str, bool]):
    """Whether a pattern can match where these characters start (the next CHARS of the text, or all that
    are left), cached per run of characters and bounded: `opening[text[at : at + CHARS]]`."""

    __slots__ = ("_match",)

    def __init__(self, opening: re.Pattern[str]) -> None:
        super().__init__()
        self._match = opening.match

    def __missing__(self, chars: str) -> bool:
        found = self._match(chars) is not None
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[chars] = found
        return found


def opening(pattern: re.Pattern[str]) -> Opening | None:
    """`pattern`'s cached opening test, or None when it has none."""
    found = opening_pattern(pattern)
    return None if found is None else Opening(found)
