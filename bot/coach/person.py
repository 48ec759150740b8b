"""A buyer-side person a message names: the span as written, split into a name and a role where it has both."""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.features import ROLE_WORDS
from bot.coach.stakeholders import _FUNCTION
from bot.coach.tokens import normal

# Words that make up titles besides the role words themselves ("VP Finance", "head of clinical systems").
_TITLE_PARTS = ROLE_WORDS | frozenset(part for branch in _FUNCTION.lower().split("|") for part in branch.split())
_HONORIFICS = frozenset(["mr", "mrs", "ms", "mx", "dr", "prof", "sir"])
_JOINERS = frozenset(["of", "and", "&", "for", "-", "/"])


@dataclass(frozen=True, slots=True)
class Person:
    """One stakeholder: `text` exactly as written ("CFO Dana Whitfield"), its `name` ("Dana Whitfield") and
    `role` ("CFO") where present, and where it sits in the message's plain text (`start`, `end`)."""

    text: str
    name: str | None
    role: str | None
    start: int
    end: int


def word_kind(token: str) -> str:
    """'r' for a word of a title, 'n' for a word of a name, '' for punctuation and joiners."""
    word = normal(token).rstrip(".")
    if not token[0].isalnum() or word in _JOINERS:
        return ""
    if word in _HONORIFICS:
        return "n"
    if word in _TITLE_PARTS or token.islower() or (token.isupper() and len(token) <= 5):
        return "r"
    return "n"


def person_of(text: str, tokens: list[tuple[str, int, int]], first: int, last: int) -> Person:
    """The Person for tokens[first..last] of `text` (the message's plain text)."""
    start, end = tokens[first][1], tokens[last][2]
    runs: dict[str, tuple[int, int]] = {}
    for token, token_start, token_end in tokens[first : last + 1]:
        kind = word_kind(token)
        if kind:
            begin, _ = runs.get(kind, (token_start, token_end))
            runs[kind] = (begin, token_end)
    name = text[slice(*runs["n"])] if "n" in runs else None
    role = text[slice(*runs["r"])] if "r" in runs else None
    if name and role and not (runs["n"][1] <= runs["r"][0] or runs["r"][1] <= runs["n"][0]):
        name, role = text[start:end], None  # interleaved: keep it whole as a name
    return Person(text=text[start:end], name=name, role=role, start=start, end=end)
