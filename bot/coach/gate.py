"""Fast matching for long lists of phrase patterns.

Python's regex engine tries every branch of a big alternation at every position, so one combined pattern
per signal would cost far more than the rest of the analysis. Instead each phrase pattern is compiled on
its own and opens with its trigger words in a regex comment, `(?#quota quotas)\\bquota\\b`: words of which
every match contains at least one. A message is reduced once to its word stems (the first four letters of
each word, or the whole word when shorter) and only the patterns whose triggers are among them run.

So a trigger of four letters or more stands for every word that starts with its first four letters
("signed" also opens on "signal"), and a shorter trigger ("po", "eom") only for that exact word; the
signs $ € £ % and "1:1" are stems of their own. A pattern without triggers, or with `(?#*)`, always runs.
tests/bot/coach/test_gate.py checks, on every labelled message, that gating never hides a match.

Text is lowercased once; patterns marked case-sensitive with (?-i:…) run on the original text. Related
tricks keep each search cheap: a leading `\\b` is checked in Python (see `_compile`), and `one_of` turns
a long list of literal phrases into a trie.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SIGNS = ("$", "€", "£", "%", "1:1")
_HEADER = re.compile(r"\(\?#([^)]*)\)")

# Sentences are joined with this, so one search covers a whole message: `^` (multiline) still marks a
# sentence start, and neither `\s`, `.` nor `[^.!?\n]` can reach across into the next sentence.
SEPARATOR = "\n\x00\n"

# (compiled pattern, runs on the original text rather than the lowercased one, needs a word boundary at its start)
Entry = tuple[re.Pattern[str], bool, bool]


def stems(lowered: str) -> frozenset[str]:
    """The stems of a lowercased text's words, which `Lexicon.active` looks triggers up by."""
    return stems_of(words_in(lowered), lowered)


def words_in(lowered: str) -> frozenset[str]:
    """A lowercased text's words: its runs of the letters a to z (what `stems` cuts to four letters)."""
    return frozenset(_LETTERS.findall(lowered))


def stems_of(words: frozenset[str], lowered: str) -> frozenset[str]:
    """`stems(lowered)`, from `words_in(lowered)` already read."""
    found = frozenset([word[:4] for word in words])
    signs = [sign for sign in _SIGNS if sign in lowered]
    return found.union(signs) if signs else found


_LETTERS = re.compile(r"[a-z]+")


def _compile(pattern: str) -> Entry:
    """A leading `\\b` is checked after the match instead: without it the engine can skip ahead to the
    pattern's first letters rather than try every position, which is most of the cost of a search."""
    sensitive = "(?-i:" in pattern
    flags = re.MULTILINE | (re.IGNORECASE if sensitive else 0)
    body = _HEADER.sub("", pattern, count=1) if pattern.startswith("(?#") else pattern
    bounded = body.startswith(r"\b") and not _top_level_bar(body)
    return re.compile(body[2:] if bounded else body, flags), sensitive, bounded


def _top_level_bar(pattern: str) -> bool:
    """Whether the pattern is an alternation at its top level (`a|b`), where a leading `\\b` binds one branch."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 if pattern[i + 1 : i + 2] != "]" else 2  # a leading "]" is a literal inside a class
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


def _boundary(text: str, at: int) -> bool:
    """`\\b` at `at`: a word character (alphanumeric or "_", as in `re`) on exactly one side."""
    before = at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")
    after = at < len(text) and (text[at].isalnum() or text[at] == "_")
    return before != after


def triggers_of(pattern: str) -> tuple[str, ...] | None:
    """The stems a pattern's leading `(?#…)` comment names, or None when it must always run."""
    header = _HEADER.match(pattern)
    if header is None or header.group(1).strip() in ("", "*"):
        return None
    return tuple(word[:4] for word in header.group(1).lower().split())


class Lexicon:
    """A list of phrase patterns, each opening with its trigger words; finds whether any of them matches."""

    __slots__ = ("_always", "_by_stem", "_entries", "_stems")

    def __init__(self, *patterns: str) -> None:
        entries: list[Entry] = []
        always: list[int] = []
        by_stem: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            entries.append(_compile(pattern))
            triggers = triggers_of(pattern)
            if triggers is None:
                always.append(index)
            for stem in triggers or ():
                by_stem.setdefault(stem, []).append(index)
        self._entries = tuple(entries)
        self._always = tuple(entries[i] for i in always)
        self._by_stem = {stem: tuple(indexes) for stem, indexes in by_stem.items()}
        self._stems = frozenset(by_stem)

    def active(self, stems: frozenset[str]) -> list[Entry]:
        """The patterns that could match a text whose `stems()` are `stems`."""
        hits = self._stems.intersection(stems)
        if not hits:
            return list(self._always)
        if len(hits) == 1 and not self._always:
            (stem,) = hits
            return [self._entries[i] for i in self._by_stem[stem]]
        indexes: set[int] = set()
        for stem in hits:
            indexes.update(self._by_stem[stem])
        found = [self._entries[i] for i in indexes]
        return [*self._always, *found] if self._always else found

    def search(self, text: str, lowered: str | None = None, keys: frozenset[str] | None = None) -> bool:
        """Whether any pattern matches; `keys` is `stems()` of this text or of a text containing it."""
        lowered = text.lower() if lowered is None else lowered
        keys = stems(lowered) if keys is None else keys
        return matches(self.active(keys), text, lowered)


def matches(active: Iterable[Entry], text: str, lowered: str) -> bool:
    """Whether any of the patterns matches; case-sensitive ones read `text`, the others `lowered`."""
    for pattern, sensitive, bounded in active:
        subject = text if sensitive else lowered
        found = pattern.search(subject)
        while found is not None:
            if not bounded or _boundary(subject, found.start()):
                return True
            found = pattern.search(subject, found.start() + 1)
    return False


def any_sentence(active: Iterable[Entry], veto: Iterable[Entry], pairs: list[tuple[str, str]]) -> bool:
    """Some active pattern matches a sentence that no veto pattern matches. `pairs` are (text, lowered)."""
    return any(matches(active, text, lowered) and not matches(veto, text, lowered) for text, lowered in pairs)


class Gate:
    """Several lexicons gated in one pass over a message's stems: `active` lists each one's candidates."""

    __slots__ = ("_always", "_index", "_pairs", "_stems")

    def __init__(self, *lexicons: Lexicon) -> None:
        pairs: list[tuple[int, Entry]] = []
        index: dict[str, set[int]] = {}
        for slot, lexicon in enumerate(lexicons):
            for i, entry in enumerate(lexicon._entries):
                pairs.append((slot, entry))
                for stem, indexes in lexicon._by_stem.items():
                    if i in indexes:
                        index.setdefault(stem, set()).add(len(pairs) - 1)
        self._pairs = tuple(pairs)
        self._index = {stem: frozenset(ids) for stem, ids in index.items()}
        self._stems = frozenset(index)
        self._always = tuple((slot, lexicon._always) for slot, lexicon in enumerate(lexicons) if lexicon._always)

    def active(self, stems: frozenset[str]) -> dict[int, list[Entry]]:
        """By lexicon position (as given), the patterns that could match a text with these stems; a lexicon
        with none is left out."""
        found: dict[int, list[Entry]] = {slot: list(always) for slot, always in self._always}
        hits = self._stems.intersection(stems)
        if hits:
            index = self._index
            for i in frozenset().union(*[index[stem] for stem in hits]):
                slot, entry = self._pairs[i]
                if slot in found:
                    found[slot].append(entry)
                else:
                    found[slot] = [entry]
        return found


def one_of(*phrases: str) -> str:
    """A regex matching any of the literal phrases, arranged as a trie: at each position the engine
    rejects all but the branch for the next character at once, rather than trying every phrase in turn."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:  # a phrase may stop here: the rest is optional
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body
