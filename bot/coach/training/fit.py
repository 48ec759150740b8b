"""Fitting the analyzer's learned parts with scikit-learn, and writing them as the engine's JSON artefact.

`train(rows, config)` is the whole procedure `make model` runs: thresholds are tuned on predictions for
voices held out of an inner grouped cross-validation, then both models are fitted on every row given.
The voice-held-out test runs the same procedure on each outer fold's training voices.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from bot.coach.analysis import RuleReading, read_rules
from bot.coach.engine import message_context, people_of
from bot.coach.features import message_features, rule_marks
from bot.coach.learned import FORMAT, Tagger
from bot.coach.tokens import tokenize
from bot.coach.training.tagger import fit_crf_tagger
from bot.coach.when import local_now

LABELS = ("seller_pressure", "self_pitch", "customer_value", "stall", "objection", "meeting", "won", "lost", "chatter")
TAGS = ("O", "B", "I")
SCALE = 1000


@dataclass(frozen=True)
class Config:
    """The representation and fitting choices; `make model` uses the defaults."""

    char_range: tuple[int, int] | None = None
    char_labels: tuple[str, ...] = ("chatter",)  # the labels that read character n-grams (measured: only chatter gains)
    bigrams: bool = True
    rules: bool = True
    min_df: int = 2
    c: float = 4.0
    class_weight: str | None = "balanced"
    tagger_c2: float = 0.3  # the tagger's L2 penalty
    tagger_cost: tuple[float, float] = (1.0, 3.0)  # training's cost of a wrong tag on an O token, on a person's
    tagger_iterations: int = 300
    # The tagger's decision bias (added to B and I over O) is the one of these that reads stakeholders best (F1
    # of exact spans) on voices held out of an inner grouped cross-validation.
    tagger_biases: tuple[float, ...] = (-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0)
    prune: float = 0.002  # features whose every weight is smaller than this are left out of the artefact
    folds: int = 5
    inner_folds: int = 3
    or_rule: bool = True  # whether a rule hit may lower a signal's threshold (decided per signal by F1)


@dataclass
class Example:
    """One labelled row, read by the rules and tokenised once."""

    row: dict
    voice: str
    words: list[str]
    context: list[str]
    rules: RuleReading
    labels: frozenset[str]
    tags: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)


def prepare(rows: Sequence[dict]) -> list[Example]:
    """Rules, tokens and gold token tags for each row (deterministic: done once, shared by every fold)."""
    found: list[Example] = []
    for row in rows:
        now = local_now(datetime.fromisoformat(row["now"]), row["tz"])
        rules = read_rules(row["text"], now)
        tokens = tokenize(rules.plain)
        words = [token for token, _, _ in tokens]
        context = message_context(row["text"], rules) if not rules.wordless else []
        tags = gold_tags(rules.plain, tokens, row.get("stakeholders", []))
        marks = rule_marks(tokens, rules.people, rules.plain)
        found.append(Example(row, row.get("voice", ""), words, context, rules, frozenset(row["signals"]), tags, marks))
    return found


def gold_tags(plain: str, tokens: list[tuple[str, int, int]], spans: Iterable[str]) -> list[str]:
    """B/I/O per token: every occurrence of each stakeholder span, and later mentions of its name's words."""
    tags = ["O"] * len(tokens)
    starts = {start: i for i, (_, start, _) in enumerate(tokens)}
    ends = {end: i for i, (_, _, end) in enumerate(tokens)}
    names: set[str] = set()
    for span in spans:
        at = plain.find(span)
        while at >= 0:
            first, last = starts.get(at), ends.get(at + len(span))
            if first is not None and last is not None and all(t == "O" for t in tags[first : last + 1]):
                tags[first] = "B"
                for i in range(first + 1, last + 1):
                    tags[i] = "I"
            at = plain.find(span, at + 1)
        names.update(w for w, _, _ in tokenize(span) if w[:1].isupper() and w[1:2].islower() and len(w) > 2)
    for i, (word, _, _) in enumerate(tokens):
        if tags[i] == "O" and word in names:
            tags[i] = "I" if i and tags[i - 1] != "O" and tokens[i - 1][0] in names else "B"
    return tags


def folds_of(voices: Sequence[str], k: int) -> list[int]:
    """A fold number per row: voices in sorted order dealt round the k folds."""
    order = {voice: i % k for i, voice in enumerate(sorted(set(voices)))}
    return [order[voice] for voice in voices]


# -- the signal model -------------------------------------------------------------------------------


def _documents(examples: Sequence[Example], config: Config) -> list[Counter[str]]:
    return [
        Counter(message_features(e.words, config.char_range, e.context if config.rules else [], config.bigrams))
        for e in examples
    ]


@dataclass
class LinearFit:
    features: list[str]
    weights: np.ndarray  # features x labels
    bias: np.ndarray

    def logits(self, documents: Sequence[Counter[str]]) -> np.ndarray:
        index = {f: i for i, f in enumerate(self.features)}
        out = np.tile(self.bias, (len(documents), 1))
        for row, document in enumerate(documents):
            ids = [index[f] for f in document if f in index]
            if ids:
                counts = np.array([document[self.features[i]] for i in ids], dtype=float)
                out[row] += counts @ self.weights[ids]
        return out


def fit_signals(documents: Sequence[Counter[str]], gold: Sequence[frozenset[str]], config: Config) -> LinearFit:
    """One logistic regression per label over the documents' features (those seen in min_df documents)."""
    df = Counter(f for document in documents for f in document)
    kept = [{f: v for f, v in d.items() if df[f] >= config.min_df} for d in documents]
    vectorizer = DictVectorizer()
    x = _int32(vectorizer.fit_transform(kept))
    plain = np.array([not name.startswith("c:") for name in vectorizer.feature_names_])
    x_plain = _int32(x[:, plain])
    weights = np.zeros((x.shape[1], len(LABELS)))
    bias = np.zeros(len(LABELS))
    for j, label in enumerate(LABELS):
        y = np.array([label in g for g in gold])
        if y.all() or not y.any():
            bias[j] = 10.0 if y.all() else -10.0
            continue
        model = _logistic(config.c, config.class_weight)
        if label in config.char_labels:
            model.fit(x, y)
            weights[:, j] = model.coef_[0]
        else:
            model.fit(x_plain, y)
            weights[plain, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return LinearFit(list(vectorizer.feature_names_), weights, bias)


def tune(logits: np.ndarray, examples: Sequence[Example], config: Config) -> dict[str, dict]:
    """Each label's policy from out-of-fold log-odds: the threshold, and the lower one that applies when the rule
    fired, with the best F1; for chatter, the lowest threshold within the silence budget."""
    probabilities = 1 / (1 + np.exp(-logits))
    grid = np.round(np.arange(0.05, 0.951, 0.025), 3)
    policies: dict[str, dict] = {}
    for j, label in enumerate(LABELS):
        gold = np.array([label in e.labels for e in examples])
        rule = np.array([label in e.rules.signals for e in examples])
        if label == "chatter":
            # Chatter stands alone: a message with any other signal decided is an update, whatever its chatter score.
            strongest = np.zeros(len(examples))  # the most probable other signal read, 0 where none is
            for k, other in enumerate(LABELS):
                if other != "chatter":
                    decided = _decided(probabilities[:, k], policies[other], examples, other)
                    strongest = np.maximum(strongest, np.where(decided, probabilities[:, k], 0.0))
            policies[label] = _chatter_policy(probabilities[:, j], strongest, gold, grid)
            continue
        best_key: tuple = ()
        for t in grid:
            lows = [None, *[float(x) for x in (0.0, *grid) if x < t]] if config.or_rule and rule.any() else [None]
            for low in lows:
                predicted = probabilities[:, j] >= t
                if low is not None:
                    predicted = predicted | (rule & (probabilities[:, j] >= low))
                tp = int((predicted & gold).sum())
                f1 = 2 * tp / (predicted.sum() + gold.sum()) if gold.any() else 0.0
                # the best F1; among equals, the threshold nearest 0.5 and the least reliance on the rule
                key = (round(f1, 3), -abs(t - 0.5), low is None, low or 0.0)
                if key > best_key:
                    best_key = key
                    policies[label] = {"threshold": float(t), "with_rule": low}
    return policies


SILENCE_BUDGET = 0.015  # of real updates that may go unanswered, as measured on held-out voices


def _decided(probabilities: np.ndarray, policy: dict, examples: Sequence[Example], label: str) -> np.ndarray:
    found = probabilities >= policy["threshold"]
    if policy["with_rule"] is not None:
        rule = np.array([label in e.rules.signals for e in examples])
        found |= rule & (probabilities >= policy["with_rule"])
    return found


def _chatter_policy(probabilities: np.ndarray, strongest: np.ndarray, gold: np.ndarray, grid: np.ndarray) -> dict:
    """Chatter stands alone: at `threshold` when no other signal was read, and at `over` when one was but is
    less probable than chatter. The pair that leaves the least chatter answered while silencing at most
    SILENCE_BUDGET of the real updates."""
    others = strongest > 0
    allowed = int((~gold).sum() * SILENCE_BUDGET)
    best: tuple = ()
    policy = {"threshold": 0.95, "with_rule": None, "over": None}
    steps = [*(float(t) for t in grid), 0.975, 0.99]
    for t in steps:
        for over in [None, *(x for x in steps if x >= t)]:
            beats = (probabilities >= over) & (probabilities > strongest) if over is not None else False
            chatter = (probabilities >= t) & (~others | beats)
            silenced = int((chatter & ~gold).sum())
            if silenced > allowed:
                continue
            key = (-int((gold & ~chatter).sum()), -silenced, over is None, -(over or 0.0))
            if key > best:
                best = key
                policy = {"threshold": t, "with_rule": None, "over": over}
    return policy


def _logistic(c: float, class_weight: str | dict | None, dual: bool = True) -> LogisticRegression:
    """L2 logistic regression by liblinear; its dual solver is far faster where features outnumber rows."""
    return LogisticRegression(
        C=c, solver="liblinear", dual=dual, class_weight=class_weight, max_iter=2000, random_state=0
    )


def _int32(matrix):  # type: ignore[no-untyped-def]
    """liblinear takes only 32-bit sparse indices."""
    matrix = matrix.tocsr()
    matrix.indices = matrix.indices.astype(np.int32)
    matrix.indptr = matrix.indptr.astype(np.int32)
    return matrix


# -- the whole procedure ----------------------------------------------------------------------------


def out_of_fold(examples: Sequence[Example], config: Config, k: int) -> np.ndarray:
    """Each example's log-odds from a signal model fitted without its voice's fold."""
    documents = _documents(examples, config)
    folds = folds_of([e.voice for e in examples], k)
    out = np.zeros((len(examples), len(LABELS)))
    for fold in range(k):
        train = [i for i, f in enumerate(folds) if f != fold]
        test = [i for i, f in enumerate(folds) if f == fold]
        fit = fit_signals([documents[i] for i in train], [examples[i].labels for i in train], config)
        out[test] = fit.logits([documents[i] for i in test])
    return out


DEFAULT = Config()


def fit_tagger(examples: Sequence[Example], config: Config, log: Callable[[str], None] | None = None) -> dict:
    """The stakeholder tagger's artefact: the CRF fitted on every example, with the decision bias tuned on voices
    held out of an inner grouped cross-validation (config.tagger_biases)."""
    bias = tune_tagger_bias(examples, config) if len(config.tagger_biases) > 1 else config.tagger_biases[0]
    if log:
        log(f"tagger: decision bias {bias:+.2f}")
    artefact = _crf(examples, config)
    artefact["bias"] = [round(bias * artefact["scale"])] * 2
    return artefact


def _crf(examples: Sequence[Example], config: Config) -> dict:
    return fit_crf_tagger(
        [e.words for e in examples],
        [e.marks for e in examples],
        [e.tags for e in examples],
        c2=config.tagger_c2,
        cost=config.tagger_cost,
        iterations=config.tagger_iterations,
        prune=config.prune,
    )


def tune_tagger_bias(examples: Sequence[Example], config: Config) -> float:
    """The bias of config.tagger_biases whose stakeholders (through the engine's `people`) have the best F1 of
    exact spans on the inner folds' held-out voices; among equals, the one nearest 0."""
    folds = folds_of([e.voice for e in examples], config.inner_folds)
    counts = {bias: [0, 0, 0] for bias in config.tagger_biases}  # gold spans, predicted, exact hits
    for fold in range(config.inner_folds):
        held_out = [e for e, f in zip(examples, folds, strict=True) if f == fold and "chatter" not in e.labels]
        artefact = _crf([e for e, f in zip(examples, folds, strict=True) if f != fold], config)
        tagger = Tagger(artefact)
        for bias in config.tagger_biases:
            tagger.bias = (round(bias * artefact["scale"]),) * 2
            for e in held_out:
                tokens = tokenize(e.rules.plain)
                found = {p.text for p in people_of(tagger, e.rules.plain, tokens, e.words, e.marks)}
                wanted = set(e.row["stakeholders"])
                counts[bias][0] += len(wanted)
                counts[bias][1] += len(found)
                counts[bias][2] += len(wanted & found)

    def f1(bias: float) -> float:
        gold, predicted, hits = counts[bias]
        return 2 * hits / (gold + predicted) if gold + predicted else 0.0

    return max(config.tagger_biases, key=lambda bias: (round(f1(bias), 4), -abs(bias)))


def train(examples: Sequence[Example], config: Config = DEFAULT, log: Callable[[str], None] | None = None) -> dict:
    """The artefact (a JSON-ready dict) fitted on these examples, thresholds tuned by inner grouped CV."""
    say = log or (lambda _: None)
    oof = out_of_fold(examples, config, config.inner_folds)
    policies = tune(oof, examples, config)
    say("policies: " + ", ".join(f"{k} {v}" for k, v in policies.items()))
    fit = fit_signals(_documents(examples, config), [e.labels for e in examples], config)
    keep = np.abs(fit.weights).max(axis=1) >= config.prune
    features = {
        name: [round(float(w) * SCALE) for w in row]
        for name, row, kept in zip(fit.features, fit.weights, keep, strict=True)
        if kept
    }
    tagger = fit_tagger(examples, config, say)
    digest = hashlib.sha256("\n".join(json.dumps(e.row, sort_keys=True) for e in examples).encode()).hexdigest()
    return {
        "format": FORMAT,
        "meta": {"lines": len(examples), "voices": len({e.voice for e in examples}), "corpus_sha256": digest[:16]},
        "signals": {
            "labels": list(LABELS),
            "scale": SCALE,
            "char_range": list(config.char_range) if config.char_range else None,
            "bigrams": config.bigrams,
            "bias": [round(float(b) * SCALE) for b in fit.bias],
            "policies": policies,
            "features": features,
        },
        "tagger": tagger,
    }
