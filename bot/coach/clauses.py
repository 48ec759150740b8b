"""Where a fact's phrase ends: the words after a cue, up to the end of their clause, in the seller's words."""

from __future__ import annotations

import re

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t|tember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre|januar|februar|märz|juni|juli|oktober|dezember"
)

# Words that end the phrase a figure or a cue starts.
_STOP = (
    r"and|but|so|which|because|since|though|although|while|whereas|if|when|unless|then|we|i|i'm|i've|"
    r"we're|they|they're|she|he|it's|that's|this|per our|lol|haha|tbh|fwiw|btw|also|plus|apparently|"
    r"said|says|told|according"
)

_STOP_RE = re.compile(rf"^(?:{_STOP})$", re.IGNORECASE)

_CLAUSE_END = re.compile(r"\.(?!\d)|[;!?\n:()\[\]\"“”]|\s[-–—]\s|,\s|\s&\s|\s\+\s|$")

_TRIM_TAIL = re.compile(
    r"(?:\s+(?:and|or|the|a|an|to|of|for|with|on|in|at|by|from|their|our|my|his|her|is|are|was|were|be|"
    r"just|still|now|too|which|that|it|so|like|very|really|per|where|what|how|who|when|if|up|out))+$",
    re.IGNORECASE,
)


def clause(
    text: str, start: int, *, max_words: int = 8, min_words: int = 1, stop: re.Pattern[str] | None = None
) -> str | None:
    """The words of `text` from `start` to the end of their clause, at most `max_words`, trimmed of
    dangling little words (and ended before any word `stop` matches); None when fewer than `min_words`
    remain."""
    end = _CLAUSE_END.search(text, start)
    piece = text[start : end.start() if end else len(text)]
    words: list[str] = []
    for word in piece.split():
        if words and (_STOP_RE.match(word.strip(",'’")) or (stop and stop.match(word.strip(",'’")))):
            break
        if not re.search(r"\w", word):
            break
        words.append(word)
        if len(words) >= max_words:
            break
    phrase = _TRIM_TAIL.sub("", " ".join(words)).strip(" ,'’\"-")
    return phrase if len(phrase.split()) >= min_words else None
