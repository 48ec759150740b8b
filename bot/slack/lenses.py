"""How lenses read to a person, and the note tags sellers type."""

from __future__ import annotations

import re

LABELS: dict[str, str] = {
    "wiift": "What's in it for them",
    "personal_driver": "Personal drivers",
    "cost_of_inaction": "Cost of staying put",
    "alignment": "Whose timeline, whose fit",
    "call_prep": "Call prep",
    "relationship": "Relationship",
    "reflection": "Reflection",
}

TAGS: dict[str, str] = {
    "#wiift": "wiift",
    "#driver": "personal_driver",
    "#cost": "cost_of_inaction",
    "#fit": "alignment",
    "#prep": "call_prep",
    "#relationship": "relationship",
    "#reflection": "reflection",
}

_LEADING_TAG = re.compile(r"^(?P<tag>#[a-z]+)(\s+|$)", re.IGNORECASE)
_TRAILING_TAG = re.compile(r"(^|\s+)(?P<tag>#[a-z]+)$", re.IGNORECASE)


def label(lens: str) -> str:
    return LABELS.get(lens, lens)


def split_tag(text: str) -> tuple[str | None, str]:
    """Pull one known #tag from the start or the end of a note. Returns (its lens or None, the rest)."""
    text = text.strip()
    for pattern in (_LEADING_TAG, _TRAILING_TAG):
        match = pattern.search(text)
        if match and match.group("tag").lower() in TAGS:
            return TAGS[match.group("tag").lower()], (text[: match.start()] + text[match.end() :]).strip()
    return None, text
