"""Words of a message with their places: what the learned signal model and the stakeholder tagger read.

A token is a run of letters and digits (inner apostrophes, dots and hyphens kept: "O'Brien", "e.g",
"co-founder"), one punctuation mark or a line break; a possessive "'s" is a token of its own, so "Dana's" gives "Dana".
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A possessive 's is left for its own token by the lookahead.
_TOKEN = re.compile(r"[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*(?:[-.&][^\W_]+)*|['’][sS]\b|[^\w\s]|\n")
_DIGITS = re.compile(r"\d")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token of `text`, in order."""
    return [(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def words_of(text: str) -> list[str]:
    """The tokens of `text` alone, as tokenize() finds them."""
    return _TOKEN.findall(text)


class _Normal(dict[str, str]):
    """`normal` of each word looked up, bounded: a dict's own lookup is cheaper than lru_cache's on a hit, and
    every token of every message is looked up."""

    __slots__ = ()

    def __missing__(self, word: str) -> str:
        lowered = word.lower()
        found = _DIGITS.sub("0", lowered) if _DIGITS.search(lowered) else lowered
        if len(self) >= 65536:
            self.clear()
        self[word] = found
        return found


# The form a word is looked up by: lowercased, every digit a 0 ("40k" and "12k" are one feature).
normal: Callable[[str], str] = _Normal().__getitem__


def shape(word: str) -> str:
    """A word's letter case and kind, compressed: "Dana" -> "Xx", "CFO" -> "X", "3pm" -> "0x", "," -> ","."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "0" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out[:4])
