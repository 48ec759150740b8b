"""The learned parts of the analyzer at run time: linear models read from a JSON artefact, standard library only.

`make model` writes the artefact (bot/coach/model/analyzer.json) from the labelled corpus; see
bot/coach/training/. Both models are sums of per-feature weights, and every feature depends on one word or
one message, so each word's weights are summed once and cached (bounded) per model instance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from bot.coach.features import SENTENCE_END, TOKEN_SLOTS, message_words, token_features, word_features

ARTEFACT = Path(__file__).resolve().parent / "model" / "analyzer.json"
FORMAT = 1
_CACHE_LIMIT = 50_000


def _logit(probability: float) -> float:
    probability = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(probability / (1 - probability))


def sigmoid(value: float) -> float:
    return 1 / (1 + math.exp(-value)) if value > -60 else 0.0


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

    Weights stay the integers the artefact stores (scaled by `scale`): sums of small ints are cheap, and
    nothing is converted at load time.
    """

    __slots__ = (
        *("_cache", "_cuts", "_rule_cuts", "bias", "char_range", "labels", "pairs", "policies", "scale"),
        "weights",
    )

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
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
        self._cache: dict[str, Sequence[int] | None] = {}

    def _word(self, word: str) -> Sequence[int] | None:
        if self.char_range is None:
            return self.weights.get(f"w:{word}")
        cached = self._cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        rows = [row for f in word_features(word, self.char_range) if (row := self.weights.get(f)) is not None]
        summed = tuple(map(sum, zip(*rows, strict=True))) if rows else None
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[word] = summed
        return summed

    def scores(self, tokens: Iterable[str], context: Iterable[str]) -> list[int]:
        """Each label's log-odds for a message, times `scale`, given its tokens and its context features."""
        words, pairs = message_words(tokens)
        get = self.weights.get
        rows = [get("w:" + w) for w in words] if self.char_range is None else [self._word(w) for w in words]
        if self.pairs:
            rows += map(get, pairs)
        rows += map(get, context)
        found = [row for row in rows if row is not None]
        return [sum(column) for column in zip(self.bias, *found, strict=True)]

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
        if not tokens:
            return []
        cache = self._cache
        table = [cache.get(token) or self._token(token) for token in tokens]
        columns = list(zip(*table, strict=True))  # own B, own I, then sentence start's B and I, p1's, … (TOKEN_SLOTS)
        b, i = (_column(columns, k, self._edges, self.bias[k]) for k in (0, 1))
        b[0] += columns[2][0]
        i[0] += columns[3][0]
        for at, token in enumerate(tokens[:-1], 1):
            if token in SENTENCE_END:
                b[at] += columns[2][at]
                i[at] += columns[3][at]
        if marks:
            for at, mark in enumerate(marks):
                if mark:
                    weights = self._marks.get(mark) or tuple(self.weights.get(f"r:{mark}", (0, 0)))
                    b[at] += weights[0]
                    i[at] += weights[1]
        return list(zip(b, i, strict=True))

    def spans(self, tokens: list[str], marks: list[str] | None = None) -> list[tuple[int, int]]:
        """(first, last) token indexes of each tagged span, in order; an I after O opens a span."""
        if self.transitions is not None:
            return self._decoded(self.margins(tokens, marks), self.transitions)
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
        (oo, ob, _), (bo, bb, bi), (io, ib, ii), (so, sb, _) = table
        o, b, i = so, sb + margins[0][0], -math.inf
        back: list[tuple[int, int, int]] = []  # per token after the first: the best tag before each of O, B, I
        for mb, mi in margins[1:]:
            to_o, to_b, to_i = (
                _best(o + oo, b + bo, i + io),
                _best(o + ob, b + bb, i + ib),
                _best(-math.inf, b + bi, i + ii),
            )
            back.append((to_o[1], to_b[1], to_i[1]))
            o, b, i = to_o[0], to_b[0] + mb, to_i[0] + mi
        tag = _best(o, b, i)[1]
        tags = [tag]
        for pointers in reversed(back):
            tag = pointers[tag]
            tags.append(tag)
        found: list[tuple[int, int]] = []
        for n, tag in enumerate(reversed(tags)):
            if tag == 1:
                found.append((n, n))
            elif tag == 2:
                found[-1] = (found[-1][0], n)
        return found


def _best(o: float, b: float, i: float) -> tuple[float, int]:
    """The largest of three scores and its place (0 O, 1 B, 2 I); the first on ties."""
    if o >= b and o >= i:
        return o, 0
    return (b, 1) if b >= i else (i, 2)


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
