"""Words of a message with their places: what the learned signal model and the stakeholder tagger read.

A token is a run of letters and digits (inner apostrophes, dots and hyphens kept: "O'Brien", "e.g",
"co-founder"), one punctuation mark or a line break; a possessive "'s" is a token of its own, so "Dana's" gives "Dana".
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*(?:[-.&][^\W_]+)*|[^\w\s]|\n")
_DIGITS = re.compile(r"\d")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for each token of `text`, in order."""
    found: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
            found.append((word[:-2], start, end - 2))
            found.append((word[-2:], end - 2, end))
        else:
            found.append((word, start, end))
    return found


def normal(word: str) -> str:
    """The form a word is looked up by: lowercased, every digit a 0 ("40k" and "12k" are one feature)."""
    lowered = word.lower()
    return _DIGITS.sub("0", lowered) if any(c.isdigit() for c in lowered) else lowered


def shape(word: str) -> str:
    """A word's letter case and kind, compressed: "Dana" -> "Xx", "CFO" -> "X", "3pm" -> "0x", "," -> ","."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "0" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out[:4])
