"""The learned parts of the analyzer at run time: linear models read from a JSON artefact, standard library only.

`make model` writes the artefact (bot/coach/model/analyzer.json) from the labelled corpus; see
bot/coach/training/. Both models are sums of per-feature weights, and every feature depends on one word or
one message, so each word's weights are summed once and cached (bounded) per model instance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain, pairwise, repeat
from operator import lshift
from pathlib import Path
from sys import intern
from typing import Any

from bot.coach.features import (
    SENTENCE_END,
    TOKEN_SLOTS,
    acts_after,
    has_pronoun,
    message_words,
    starts_sentence,
    token_features,
    word_features,
)
from bot.coach.tokens import normal

ARTEFACT = Path(__file__).resolve().parent / "model" / "analyzer.json"
FORMAT = 1
_CACHE_LIMIT = 50_000
_AT = {slot: 2 * n for n, slot in enumerate(TOKEN_SLOTS)}  # where each slot's (B, I) sits in a token's row


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))


def sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value)) if value > -60 else 0.0


# Weight rows are packed into one int, a lane of _LANE bits per label, two's complement within the lane: the
# sum of packed rows is the packed sum of the rows, exact while every label's total stays within its lane
# (±2**63, far beyond any message), so a message's rows sum in C with one `sum`.
_LANE = 64
_HALF = 1 << (_LANE - 1)
_MASK = (1 << _LANE) - 1


_SHIFTS = tuple(range(0, 64 * _LANE, _LANE))  # where each label's lane starts (up to 64 labels)


def _pack(row: Iterable[int]) -> int:
    return sum(map(lshift, row, _SHIFTS))


def _unpack(packed: int, size: int) -> list[int]:
    found = []
    for _ in range(size):
        value = ((packed + _HALF) & _MASK) - _HALF
        found.append(value)
        packed = (packed - value) >> _LANE
    return found


class _PackedWords(dict[str, int]):
    """A word's packed weights (its own and its character n-grams', summed), 0 for none; filled on first use
    and bounded, like the model's other per-word caches."""

    __slots__ = ("model",)

    def __init__(self, model: SignalModel) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, word: str) -> int:
        model = self.model
        get = model._packed.get
        if model.char_range is None:
            packed = get("w:" + word, 0)
        else:
            packed = sum(get(feature, 0) for feature in word_features(word, model.char_range))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = packed
        return packed


_START, _STOP = "<s>", "</s>"
# The tokens message_words keeps as words of their own though they are not words: the signs.
_SIGNS = frozenset(
    sign for sign in ("?!$%£€"[i:j] for i in range(6) for j in range(i + 1, 7)) if sign not in SENTENCE_END
)


class _Stream(dict[str, tuple[str, ...]]):
    """What each token adds to a message's stream of words and sentence ends, as message_words reads them: a word
    its normal form, a sentence end "</s>" then "<s>", anything else nothing. Filled on first use and bounded.
    Words are interned, as the model's pairs are: a pair is then found without reading its words' letters."""

    __slots__ = ()

    def __missing__(self, token: str) -> tuple[str, ...]:
        if token[0].isalnum():
            found: tuple[str, ...] = (intern(normal(token)),)
        elif token in SENTENCE_END:
            found = (_STOP, _START)
        else:
            found = ()
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[token] = found
        return found


@dataclass(frozen=True, slots=True)
class Policy:
    """How one signal is decided: the model's probability at or above `threshold`, or at or above the lower
    `with_rule` when the hand-written rule for it fired (0 takes the rule's word outright). Chatter stands
    alone: it is read only when no other signal is, unless its probability reaches `over` and passes theirs."""

    threshold: float
    with_rule: float | None = None
    over: float | None = None  # chatter only: from here it wins over other signals read, if surer than they are


class SignalModel:
    """One-vs-rest logistic regression over a message's words, word pairs and context features.

    Weights stay the integers the artefact stores (scaled by `scale`); at load each feature's row is also
    packed into one int (see `_pack`), so a message's rows sum in one call.
    """

    __slots__ = (
        *("_cuts", "_packed", "_packed_bias", "_packed_words", "_pairs", "_rule_cuts", "_stream", "bias"),
        *("char_range", "labels", "pairs", "policies", "scale", "weights"),
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
        if len(self.labels) > len(_SHIFTS):
            raise ValueError(f"{len(self.labels)} labels: at most {len(_SHIFTS)} fit the packed weights")
        self.scale = float(data["scale"])
        self.bias: list[int] = list(data["bias"])
        self.weights: dict[str, list[int]] = data["features"]
        chars = data.get("char_range")
        self.char_range: tuple[int, int] | None = (int(chars[0]), int(chars[1])) if chars else None
        self.pairs: bool = bool(data.get("bigrams", True))
        self.policies = {label: Policy(**data["policies"][label]) for label in self.labels}
        self._cuts = tuple(_logit(self.policies[label].threshold) * self.scale for label in self.labels)
        self._rule_cuts = {
            label: (_logit(policy.with_rule) * self.scale if policy.with_rule > 0 else -math.inf)
            for label, policy in self.policies.items()
            if policy.with_rule is not None
        }
        # The same weights packed one label to a lane of one int (see _pack), so a message's rows sum in C.
        self._packed: dict[str, int] = {feature: _pack(row) for feature, row in self.weights.items()}
        self._packed_bias = _pack(self.bias)
        self._packed_words = _PackedWords(self)
        # The word pairs' rows by their two words: ("first", "second") for "b:first second".
        self._pairs: dict[tuple[str, str], int] = {
            (intern(first), intern(second)): packed
            for feature, packed in self._packed.items()
            if feature.startswith("b:") and " " in feature
            for first, second in [feature[2:].split(" ", 1)]
        }
        self._stream = _Stream()

    def scores(self, tokens: Iterable[str], context: Iterable[str]) -> list[int]:
        """Each label's log-odds for a message, times `scale`, given its tokens and its context features.

        What message_words reads, without a loop in Python: the message as a stream of words with "<s>" and
        "</s>" around each sentence; its distinct words, and its distinct neighbouring pairs but the two that
        only join a sentence's end to the next one's start ("</s>" "<s>") or close an empty one."""
        tokens = tokens if isinstance(tokens, list) else list(tokens)
        stream = [_START, *chain.from_iterable(map(self._stream.__getitem__, tokens)), _STOP]
        words = set(stream)
        words.difference_update((_START, _STOP))
        words.update(_SIGNS.intersection(tokens))
        get = self._packed.get
        total = self._packed_bias + sum(map(self._packed_words.__getitem__, words))
        if self.pairs:
            pairs = set(pairwise(stream))
            pairs.difference_update(((_STOP, _START), (_START, _STOP)))
            total += sum(map(self._pairs.get, pairs, repeat(0)))
        total += sum(map(get, context, repeat(0)))
        return _unpack(total, len(self.labels))

    def logits(self, tokens: Iterable[str], context: Iterable[str]) -> list[float]:
        """Each label's log-odds for a message."""
        return [score / self.scale for score in self.scores(tokens, context)]

    def decide(self, scores: list[int], rule_signals: Iterable[str]) -> set[str]:
        """The labels whose policy holds for these scores (from `scores`) and these rule signals."""
        found = {label for label, value, cut in zip(self.labels, scores, self._cuts, strict=True) if value >= cut}
        for signal in rule_signals:
            cut = self._rule_cuts.get(signal)
            if cut is not None and scores[self.labels.index(signal)] >= cut:
                found.add(signal)
        return found

    def contributions(self, tokens: Iterable[str], context: Iterable[str], label: str) -> list[tuple[str, float]]:
        """For --explain: each feature's weight toward `label` in this message, largest magnitude first."""
        index = self.labels.index(label)
        words, pairs = message_words(tokens)
        found: dict[str, float] = {}
        for w in words:
            total = sum(row[index] for f in word_features(w, self.char_range) if (row := self.weights.get(f)))
            if total:
                found[f"word {w!r}"] = total / self.scale
        for feature in [*(pairs if self.pairs else []), *context]:
            row = self.weights.get(feature)
            if row and row[index]:
                found[feature] = row[index] / self.scale
        return sorted(found.items(), key=lambda item: -abs(item[1]))


class Tagger:
    """Stakeholder spans: per-token scores (O, B, I) over the token and two words either side, decoded with the
    artefact's tag-to-tag transitions by Viterbi (training/tagger.py), or token by token where it has none."""

    __slots__ = ("_cache", "_edges", "_marks", "bias", "common", "transitions", "weights")

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.common = frozenset(data.get("common", ()))
        # Stored as margins over O, (B - O, I - O), in integers scaled alike: only their signs are compared.
        self.bias: tuple[int, int] = (data["bias"][0], data["bias"][1])
        self.weights: dict[str, list[int]] = data["features"]
        # A sequence tagger's scores from tag to tag: rows O, B, I and the start, columns O, B, I (or none).
        table = data.get("transitions")
        self.transitions: tuple[tuple[int, ...], ...] | None = tuple(map(tuple, table)) if table else None
        get = self.weights.get
        self._edges = tuple(tuple(get(f"{slot}:edge", (0, 0))) for slot in ("p1", "p2", "n1", "n2"))
        self._marks = {mark: tuple(get(f"r:{mark}", (0, 0))) for mark in ("B", "I")}
        self._cache: dict[str, tuple[int, ...]] = {}

    def _token(self, token: str) -> tuple[int, ...]:
        """The token's summed margins in each slot of TOKEN_SLOTS, flat: (B, I) of "o", then of "s", and so on."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        get = self.weights.get
        slots = token_features(token, self.common)
        found: list[int] = []
        for slot in TOKEN_SLOTS:
            b = i = 0
            for feature in slots[slot]:
                row = get(f"{slot}:{feature}")
                if row is not None:
                    b += row[0]
                    i += row[1]
            found += (b, i)
        result = tuple(found)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = result
        return result

    def margins(self, tokens: list[str], marks: list[str] | None = None) -> list[tuple[int, int]]:
        """Each token's (B - O, I - O) score; `marks` are features.rule_marks() for the tokens."""
        return list(zip(*self._margins(tokens, marks), strict=True))

    def _margins(self, tokens: list[str], marks: list[str] | None) -> tuple[list[int], list[int]]:
        """`margins`, as the list of B margins and the list of I margins."""
        if not tokens:
            return [], []
        cache = self._cache
        table = [cache.get(token) or self._token(token) for token in tokens]
        columns = list(zip(*table, strict=True))  # own B, own I, then sentence start's B and I, p1's, … (TOKEN_SLOTS)
        b, i = (_column(columns, k, self._edges, self.bias[k]) for k in (0, 1))
        starts_b, starts_i = columns[2], columns[3]
        b[0] += starts_b[0]
        i[0] += starts_i[0]
        last = len(tokens) - 1
        for end in SENTENCE_END.intersection(tokens):  # the token after each sentence end opens a sentence
            at = tokens.index(end)
            while at < last:
                b[at + 1] += starts_b[at + 1]
                i[at + 1] += starts_i[at + 1]
                try:
                    at = tokens.index(end, at + 1, last)
                except ValueError:
                    break
        pronoun = _AT["h1"] if has_pronoun(tokens) else _AT["h0"]
        for at, token in enumerate(tokens):
            if token[:1].isupper():  # only a capitalised token reads the message (token_features)
                row = table[at]
                acts = _AT["v00"] + 4 * acts_after(tokens, at) + 2 * starts_sentence(tokens, at)
                b[at] += row[pronoun] + row[acts]
                i[at] += row[pronoun + 1] + row[acts + 1]
        if marks and any(marks):
            for at, mark in enumerate(marks):
                if mark:
                    weights = self._marks.get(mark) or tuple(self.weights.get(f"r:{mark}", (0, 0)))
                    b[at] += weights[0]
                    i[at] += weights[1]
        return b, i

    def spans(self, tokens: list[str], marks: list[str] | None = None) -> list[tuple[int, int]]:
        """(first, last) token indexes of each tagged span, in order; an I after O opens a span."""
        if self.transitions is not None:
            return _viterbi(*self._margins(tokens, marks), self.transitions)
        found: list[tuple[int, int]] = []
        start = -1
        for i, (b, m) in enumerate(self.margins(tokens, marks)):
            if m > 0 and m >= b and start >= 0:
                continue
            if start >= 0:
                found.append((start, i - 1))
                start = -1
            if b > 0 or m > 0:
                start = i
        if start >= 0:
            found.append((start, len(tokens) - 1))
        return found

    @staticmethod
    def _decoded(margins: list[tuple[int, int]], table: tuple[tuple[int, ...], ...]) -> list[tuple[int, int]]:
        """Viterbi over O, B, I with the transition table (I never after O): the best tagging's spans."""
        if not margins:
            return []
        b, i = zip(*margins, strict=True)
        return _viterbi(list(b), list(i), table)


def _viterbi(margins_b: list[int], margins_i: list[int], table: tuple[tuple[int, ...], ...]) -> list[tuple[int, int]]:
    """Tagger._decoded over the B and I margins apart, with `_best` written out inline: this loop runs for every
    token of every message. Each step keeps the best tag before O, B and I packed in one int (2 bits each)."""
    if not margins_b:
        return []
    (oo, ob, _), (bo, bb, bi), (io, ib, ii), (so, sb, _) = table
    o, b, i = so, sb + margins_b[0], -math.inf
    back: list[int] = []  # per token after the first: the best tag before O | before B << 2 | before I << 4
    append = back.append
    for mb, mi in zip(margins_b[1:], margins_i[1:], strict=True):
        x, y, z = o + oo, b + bo, i + io
        if x >= y and x >= z:
            to_o, pointers = x, 0
        elif y >= z:
            to_o, pointers = y, 1
        else:
            to_o, pointers = z, 2
        x, y, z = o + ob, b + bb, i + ib
        if x >= y and x >= z:
            to_b = x
        elif y >= z:
            to_b, pointers = y, pointers | 4
        else:
            to_b, pointers = z, pointers | 8
        y, z = b + bi, i + ii
        if y >= z:
            to_i, pointers = y, pointers | 16
        else:
            to_i, pointers = z, pointers | 32
        append(pointers)
        o, b, i = to_o, to_b + mb, to_i + mi
    tag = 0 if o >= b and o >= i else 1 if b >= i else 2
    tags = [tag]
    for pointers in reversed(back):
        tag = (pointers >> (2 * tag)) & 3
        tags.append(tag)
    found: list[tuple[int, int]] = []
    if 1 not in tags:
        return found
    for n, tag in enumerate(reversed(tags)):
        if tag == 1:
            found.append((n, n))
        elif tag == 2:
            found[-1] = (found[-1][0], n)
    return found


def _column(columns: list[tuple[int, ...]], k: int, edges: tuple[tuple[int, ...], ...], bias: int) -> list[int]:
    """Each token's B (k=0) or I (k=1) margin from its own weights and its neighbours', without the sentence
    start and rule marks: a sum of shifted columns, so the loop runs in C. Ints: the order of the sums is
    immaterial."""
    size = len(columns[0])
    (p1, p2, n1, n2) = (edge[k] for edge in edges)
    return list(
        map(
            sum,
            zip(
                columns[k],
                (p1, *columns[4 + k][:-1]),
                (p2, p2, *columns[6 + k][:-2])[:size],
                (*columns[8 + k][1:], n1),
                (*columns[10 + k][2:], n2, n2)[:size],
                repeat(bias, size),
                strict=True,
            ),
        )
    )


@dataclass(frozen=True, slots=True)
class Learned:
    """The analyzer's learned parts, as read from one artefact."""

    signals: SignalModel
    tagger: Tagger
    meta: Mapping[str, Any]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Learned:
        if data.get("format") != FORMAT:
            raise ValueError(f"analyzer artefact format {data.get('format')!r}, expected {FORMAT}")
        return cls(SignalModel(data["signals"]), Tagger(data["tagger"]), data.get("meta", {}))

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> Learned:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
