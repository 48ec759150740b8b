"""Fast matching for long lists of phrase patterns.

Python's regex engine tries every branch of a big alternation at every position, so one combined pattern
per signal costs ~100µs a message. Instead each phrase pattern is compiled on its own and guarded by the
word starts any match must contain (derived from the pattern itself): a set lookup skips the patterns
that cannot match. Text is lowercased once; patterns marked case-sensitive with (?-i:…) run on
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
_STEM = 6  # needles are cut to their first letters: a weaker guard, but fewer prefixes to build per message


def prefixes(lowered: str) -> frozenset[str]:
    """Every prefix of every word in the text: a needle can only match where it starts a word."""
    return frozenset(word[:i] for word in set(_TOKEN.findall(lowered)) for i in range(2, min(len(word), _STEM) + 1))


class Lexicon:
    """A list of phrase patterns; `search` says whether any of them matches the text."""

    __slots__ = ("_always", "_by_needle", "_entries", "_needles")

    def __init__(self, *patterns: str) -> None:
        entries: list[tuple[re.Pattern[str], bool]] = []
        always: list[int] = []
        by_needle: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            sensitive = "(?-i:" in pattern
            entries.append((re.compile(pattern, re.IGNORECASE) if sensitive else re.compile(pattern), sensitive))
            needles = needles_for(pattern)
            if needles is None:
                always.append(index)
            for needle in needles or ():
                by_needle.setdefault(needle[:_STEM], []).append(index)
        self._entries = tuple(entries)
        self._always = tuple(always)
        self._by_needle = by_needle
        self._needles = frozenset(by_needle)

    def active(self, words: frozenset[str]) -> list[tuple[re.Pattern[str], bool]]:
        """The patterns that could match a text whose `prefixes()` are `words`."""
        hits = self._needles.intersection(words)
        if not hits:
            return [self._entries[i] for i in self._always]
        indexes = set(self._always)
        for needle in hits:
            indexes.update(self._by_needle[needle])
        return [self._entries[i] for i in indexes]

    def search(self, text: str, lowered: str | None = None, words: frozenset[str] | None = None) -> bool:
        """Whether any pattern matches; `words` is `prefixes()` of this text or of a text containing it."""
        lowered = text.lower() if lowered is None else lowered
        words = prefixes(lowered) if words is None else words
        return any(p.search(text if sensitive else lowered) for p, sensitive in self.active(words))


def split_top(pattern: str) -> list[str]:
    """A pattern's top-level alternatives, so a long `a|b|c` can be gated branch by branch."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def any_sentence(
    active: list[tuple[re.Pattern[str], bool]], veto: list[tuple[re.Pattern[str], bool]], pairs: list[tuple[str, str]]
) -> bool:
    """Some active pattern matches a sentence that no veto pattern matches. `pairs` are (text, lowered)."""
    for text, lowered in pairs:
        if any(p.search(text if s else lowered) for p, s in active) and not any(
            p.search(text if s else lowered) for p, s in veto
        ):
            return True
    return False
