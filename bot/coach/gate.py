"""Fast matching for long lists of phrase patterns.

Python's regex engine tries every branch of a big alternation at every position, so one combined pattern
per signal costs ~100µs a message. Instead each phrase pattern is compiled on its own and guarded by the
literal words any match must contain (derived from the pattern itself): a cheap substring test skips
patterns that cannot match. Text is lowercased once; patterns marked case-sensitive with (?-i:…) run on
the original text.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

_Needles = frozenset[str] | None


def _needles(items: list) -> _Needles:  # type: ignore[type-arg]
    """Strings of which every match contains at least one, or None when there is no such useful set."""
    best: _Needles = None
    run = ""
    candidates: list[frozenset[str]] = []
    for op, arg in items:
        if op is C.LITERAL and chr(arg).isalpha():
            run += chr(arg).lower()
            continue
        if len(run) >= 2:
            candidates.append(frozenset({run}))
        run = ""
        found: _Needles = None
        if op is C.SUBPATTERN:
            found = _needles(list(arg[-1]))
        elif op is C.BRANCH:
            parts = [_needles(list(branch)) for branch in arg[1]]
            found = None if any(p is None for p in parts) else frozenset().union(*parts)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[0] >= 1:
            found = _needles(list(arg[2]))
        if found:
            candidates.append(found)
    if len(run) >= 2:
        candidates.append(frozenset({run}))
    for candidate in candidates:
        if all(len(s) >= 2 for s in candidate) and (best is None or _weight(candidate) < _weight(best)):
            best = candidate
    return best


def _weight(needles: frozenset[str]) -> float:
    return len(needles) - min(len(s) for s in needles) / 10


def needles_for(pattern: str) -> _Needles:
    try:
        return _needles(list(P.parse(pattern, re.IGNORECASE)))
    except Exception:  # an unusual construct: run the pattern unguarded
        return None


_TOKEN = re.compile(r"[a-z]+")


def prefixes(lowered: str) -> frozenset[str]:
    """Every prefix of every word in the text: a needle can only match where it starts a word."""
    return frozenset(word[:i] for word in set(_TOKEN.findall(lowered)) for i in range(2, min(len(word), 14) + 1))


class Lexicon:
    """A list of phrase patterns; `search` says whether any of them matches the text."""

    __slots__ = ("_entries",)

    def __init__(self, *patterns: str) -> None:
        entries = []
        for pattern in patterns:
            sensitive = "(?-i:" in pattern
            compiled = re.compile(pattern, re.IGNORECASE) if sensitive else re.compile(pattern)
            entries.append((needles_for(pattern), compiled, sensitive))
        self._entries = tuple(entries)

    def search(self, text: str, lowered: str | None = None, words: frozenset[str] | None = None) -> bool:
        """Whether any pattern matches; `words` is `prefixes()` of this text or of a text containing it."""
        lowered = text.lower() if lowered is None else lowered
        words = prefixes(lowered) if words is None else words
        for needles, compiled, sensitive in self._entries:
            if needles is not None and needles.isdisjoint(words):
                continue
            if compiled.search(text if sensitive else lowered):
                return True
        return False
