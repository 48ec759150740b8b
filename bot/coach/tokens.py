"""Words of a message with their places: what the learned signal model and the stakeholder tagger read.

A token is a run of letters and digits (inner apostrophes, dots and hyphens kept: "O'Brien", "e.g",
"co-founder"), one punctuation mark or a line break; a possessive "'s" is a token of its own, so "Dana's" gives "Dana".
"""

from __future__ import annotations

import re
from functools import lru_cache

# A possessive 's is left for its own token by the lookahead.
_TOKEN = re.compile(r"[^\W_]+(?:['’](?![sS]\b)[^\W_]+)*(?:[-.&][^\W_]+)*|['’][sS]\b|[^\w\s]|\n")
_DIGITS = re.compile(r"\d")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token of `text`, in order."""
    return [(match.group(), match.start(), match.end()) for match in _TOKEN.finditer(text)]


def words_of(text: str) -> list[str]:
    """The tokens of `text` alone, as tokenize() finds them."""
    return _TOKEN.findall(text)


@lru_cache(maxsize=65536)
def normal(word: str) -> str:
    """The form a word is looked up by: lowercased, every digit a 0 ("40k" and "12k" are one feature)."""
    lowered = word.lower()
    return _DIGITS.sub("0", lowered) if _DIGITS.search(lowered) else lowered


def shape(word: str) -> str:
    """A word's letter case and kind, compressed: "Dana" -> "Xx", "CFO" -> "X", "3pm" -> "0x", "," -> ","."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "0" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out[:4])
