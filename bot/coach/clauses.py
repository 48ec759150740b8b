"""Where a fact's phrase ends: the words after a cue, up to the end of their clause, in the seller's words."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterator
from functools import lru_cache

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

# Where a clause ends: only the start of a match is read, and the end of the text when there is none. Every
# branch opens with a character or a class (no `$` branch), so the engine skips straight to candidates.
_CLAUSE_END = re.compile(r"\.(?!\d)|[;!?\n:()\[\]\"“”]|\s[-–—&+]\s|,\s")
_WORDISH = re.compile(r"\w")

# Little words a phrase does not end on ("… for the", "… that is"): trimmed off its tail.
_TAIL = (
    "and|or|the|a|an|to|of|for|with|on|in|at|by|from|their|our|my|his|her|is|are|was|were|be|"
    "just|still|now|too|which|that|it|so|like|very|really|per|where|what|how|who|when|if|up|out|before|after|"
    "until|till|once"
)
_TAIL_RE = re.compile(rf"(?:{_TAIL})", re.IGNORECASE)
_TAIL_WORDS = frozenset(_TAIL.split("|"))


def _tail_word(word: str) -> bool:
    """Whether a word (no spaces in it) is one a phrase is trimmed of; IGNORECASE over ASCII words reads as
    lowercasing does, other words go to the pattern (which folds a few more letters alike)."""
    return word.lower() in _TAIL_WORDS if word.isascii() else _TAIL_RE.fullmatch(word) is not None


class WordTest(dict[str, bool]):
    """Whether a pattern matches one word (at its start, or the whole of it with `whole`), cached per word and
    bounded: a dict lookup on a hit. For the patterns tried on every word a phrase or a figure is read from;
    the words they meet repeat from message to message."""

    __slots__ = ("_test",)

    def __init__(self, pattern: re.Pattern[str], *, whole: bool = False) -> None:
        super().__init__()
        self._test = pattern.fullmatch if whole else pattern.match

    def __missing__(self, word: str) -> bool:
        found = self._test(word) is not None
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = found
        return found


_CACHE_LIMIT = 50_000
# By id: a pattern hashes its whole compiled code, every time.
_STOPS: dict[int, tuple[re.Pattern[str], WordTest]] = {}
_BASE_STOPS = WordTest(_STOP_RE)


def _stops(pattern: re.Pattern[str]) -> WordTest:
    held = _STOPS.get(id(pattern))
    if held is None or held[0] is not pattern:
        held = _STOPS[id(pattern)] = (pattern, WordTest(pattern))
    return held[1]


def clause(
    text: str, start: int, *, max_words: int = 8, min_words: int = 1, stop: re.Pattern[str] | None = None
) -> str | None:
    """The words of `text` from `start` to the end of their clause, at most `max_words`, trimmed of
    dangling little words (and ended before any word `stop` matches); None when fewer than `min_words`
    remain."""
    end = _CLAUSE_END.search(text, start)
    piece = text[start : end.start() if end else len(text)]
    words: list[str] = []
    stops = None if stop is None else _stops(stop)
    for word in piece.split():
        if words:
            bare = word.strip(",'’")
            if _BASE_STOPS[bare] or (stops is not None and stops[bare]):
                break
        if not (word.isalnum() or _WORDISH.search(word)):
            break
        words.append(word)
        if len(words) >= max_words:
            break
    kept = len(words)
    while kept > 1 and _tail_word(words[kept - 1]):  # never the first word: the tail follows a space
        kept -= 1
    phrase = " ".join(words[:kept]).strip(" ,'’\"-")
    return phrase if len(phrase.split()) >= min_words else None


_WORD_START = re.compile(r"\b\w")


def word_positions(text: str, words: Collection[str]) -> list[int]:
    """Where each of `words` (lower-case, letters only) starts as a whole word in `text`, in order."""
    if not words:
        return []
    lowered = _lower(text)
    found = []
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if (not at or not lowered[at - 1].isalpha()) and (end == len(lowered) or not lowered[end].isalpha()):
                found.append(at)
            at = lowered.find(word, end)
    return sorted(found)


def anchored(pattern: re.Pattern[str], hits: list[int], text: str, *, back: int = 3) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, but tried only where a match can start: at a trigger word (`hits`, see
    `word_positions`), or up to `back` words before one. Much cheaper than a scan, since a long pattern is
    tried at a handful of positions; a match must reach the trigger it was found from.

    The words before a trigger are those starting within 16 characters a word back of it, as a search of
    that window alone finds them (so the window's first character counts as a word start when it is a
    word character, even inside a word)."""
    if not hits:
        return
    tried: set[int] = set()
    every = word_starts(text) if back else ()
    for at in hits:
        if back:
            window = max(0, at - 16 * back)
            first, last = bisect_left(every, window), bisect_left(every, at)
            before = list(every[max(first, last - back) : last])
            if (
                len(before) < back
                and window < at
                and (first == last or every[first] != window)
                and _WORD.match(text, window)
                and window
                and _WORD.match(text, window - 1)
            ):
                before.insert(0, window)  # the window's cut falls inside a word: a search of it starts one there
            starts = [*before, at]
        else:
            starts = [at]
        for start in starts:
            if start in tried:
                continue
            tried.add(start)
            found = pattern.match(text, start)
            if found is not None and found.end() > at:
                yield found
                break


_WORD = re.compile(r"\w")


@lru_cache(maxsize=8)
def _lower(text: str) -> str:
    """`text.lower()`, for the few texts in hand (word_positions reads one message a dozen times)."""
    return text.lower()


@lru_cache(maxsize=8)
def word_starts(text: str) -> tuple[int, ...]:
    """Where every word of `text` starts (`\\b\\w`). Cached for the few texts in hand: one message's facts
    look their anchors up in the same text a dozen times."""
    return tuple([m.start() for m in _WORD_START.finditer(text)])
