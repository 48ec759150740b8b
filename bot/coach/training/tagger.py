"""The stakeholder tagger as a sequence model: an averaged structured perceptron over B/I/O with tag transitions.

Each token's emission scores are sums of feature weights, the features being those of
`features.sequence_features` (the token, its shape and word classes, two words either side, its place in the
sentence and where the rules found someone). A first-order transition score links neighbouring tags, and
decoding is Viterbi with I never after O. Unlike per-token classifiers, the perceptron learns where a span ends
("the Ops Director did") from the tags around it, not only from the words.

The artefact keeps the per-token layout the run-time `Tagger` already reads (margins over O, integers scaled by
SCALE) and adds the transition table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.coach.features import common_words, sequence_features

TAGS = ("O", "B", "I")
SCALE = 1000
_ALLOWED = np.array([[1, 1, 0], [1, 1, 1], [1, 1, 1], [1, 1, 0]], dtype=bool)  # from O, B, I, start: to O, B, I


def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best tag sequence for per-token scores (tokens x 3) and a (4 x 3) transition table whose last row is
    the start; I never follows O or opens a message."""
    allowed = np.where(_ALLOWED, transitions, -np.inf)
    score = allowed[3] + emissions[0]
    back = np.zeros((len(emissions), 3), dtype=int)
    for t in range(1, len(emissions)):
        candidates = score[:, None] + allowed[:3]
        back[t] = candidates.argmax(axis=0)
        score = candidates.max(axis=0) + emissions[t]
    path = [int(score.argmax())]
    for t in range(len(emissions) - 1, 0, -1):
        path.append(int(back[t][path[-1]]))
    return path[::-1]


def fit_perceptron_tagger(
    words: Sequence[list[str]],
    marks: Sequence[list[str]],
    tags: Sequence[list[str]],
    *,
    epochs: int = 8,
    prune: float = 0.002,
    seed: int = 0,
    cost: tuple[float, float] = (0.0, 0.0),
) -> dict:
    """Averaged structured perceptron over the messages' tokens; its artefact (see the module docstring).

    `cost` makes training's decoding prefer a wrong tag by that much on an O token and on a person's token
    (cost-augmented): the weights learn a margin, wider where a person would be missed."""
    common = common_words(words)
    index: dict[str, int] = {}
    matrices: list[tuple[np.ndarray, np.ndarray]] = []  # per message: feature ids, and each token's start
    for tokens, marked in zip(words, marks, strict=True):
        rows = sequence_features(tokens, common, marked)
        ids = [[index.setdefault(f, len(index)) for f in row] for row in rows]
        indptr = np.cumsum([0, *(len(r) for r in ids)])
        flat = np.array([i for r in ids for i in r], dtype=np.int64)
        matrices.append((flat, indptr))
    gold = [np.array([TAGS.index(tag) for tag in sequence], dtype=int) for sequence in tags]
    size = len(index)
    weights = np.zeros((size, 3))
    summed = np.zeros((size, 3))  # the averaging trick: sum of c * update, subtracted at the end
    transitions = np.zeros((4, 3))
    transitions_summed = np.zeros((4, 3))
    order = np.random.RandomState(seed).permutation(len(words))
    step = 1
    for _ in range(epochs):
        for n in order:
            flat, indptr = matrices[n]
            if len(indptr) < 2:
                continue
            counts = np.diff(indptr)
            token_of = np.repeat(np.arange(len(counts)), counts)
            emissions = np.zeros((len(counts), 3))
            np.add.at(emissions, token_of, weights[flat])
            truth = gold[n]
            if cost[0] or cost[1]:  # cost-augmented: a wrong tag scores more where the gold one is a person's
                emissions += np.where(truth[:, None] > 0, cost[1], cost[0])
                emissions[np.arange(len(truth)), truth] -= np.where(truth > 0, cost[1], cost[0])
            predicted = np.array(viterbi(emissions, transitions))
            if not np.array_equal(predicted, truth):
                wrong = np.nonzero(predicted != truth)[0]
                for t in wrong:
                    ids = flat[indptr[t] : indptr[t + 1]]
                    for tag, sign in ((truth[t], 1.0), (predicted[t], -1.0)):
                        weights[ids, tag] += sign
                        summed[ids, tag] += sign * step
                for sequence, sign in ((truth, 1.0), (predicted, -1.0)):
                    previous = 3
                    for tag in sequence:
                        transitions[previous, tag] += sign
                        transitions_summed[previous, tag] += sign * step
                        previous = tag
            step += 1
    averaged = weights - summed / step
    averaged_transitions = transitions - transitions_summed / step
    names = sorted(index, key=index.__getitem__)
    margins = averaged[:, 1:] - averaged[:, :1]
    features = {
        name: [round(float(b) * SCALE), round(float(i) * SCALE)]
        for name, (b, i) in zip(names, margins, strict=True)
        if max(abs(b), abs(i)) >= prune
    }
    return {
        "scale": SCALE,
        "bias": [0, 0],
        "common": sorted(common),
        "features": dict(sorted(features.items())),
        "transitions": [[round(float(v) * SCALE) for v in row] for row in averaged_transitions],
    }
