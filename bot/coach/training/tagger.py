"""The stakeholder tagger as a linear-chain CRF over B/I/O, fitted by L-BFGS (scipy).

Each token's emission scores are sums of feature weights, the features being those of
`features.sequence_features` (the token, its shape and word classes, two words either side, its place in the
sentence, what the message says around it, and where the rules found someone). A first-order transition score
links neighouring tags; I never follows O or opens a message. Training minimises the tag sequences' negative
log-likelihood with an L2 penalty, cost-augmented (softmax-margin): a wrong tag is scored up by `cost`, more on a
person's token than on an O token, so the weights learn a wider margin where a person would be missed.

The artefact keeps the per-token layout the run-time `Tagger` reads (margins over O, integers scaled by SCALE;
subtracting O's score from every tag of a token leaves the best sequence unchanged) and the transition table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from threadpoolctl import threadpool_limits

from bot.coach.features import common_words, sequence_features

TAGS = ("O", "B", "I")
SCALE = 1000
_ALLOWED = np.array([[1, 1, 0], [1, 1, 1], [1, 1, 1], [1, 1, 0]], dtype=bool)  # from O, B, I, start: to O, B, I
_BATCH = 256  # messages whose forward-backward runs together, padded to the longest


def _batches(lengths: Sequence[int]) -> list[np.ndarray]:
    """Messages grouped by length: per group, a (messages x longest) matrix of token rows (-1 where padded)."""
    sizes = np.asarray(lengths)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    order = [n for n in np.argsort(sizes, kind="stable") if sizes[n] > 0]
    found = []
    for at in range(0, len(order), _BATCH):
        chosen = order[at : at + _BATCH]
        longest = int(sizes[chosen].max())
        rows = np.full((len(chosen), longest), -1, dtype=np.int64)
        for r, n in enumerate(chosen):
            rows[r, : sizes[n]] = np.arange(offsets[n], offsets[n + 1])
        found.append(rows)
    return found


def _expectations(
    emissions: np.ndarray, transitions: np.ndarray, batches: list[np.ndarray]
) -> tuple[float, np.ndarray, np.ndarray]:
    """Forward-backward, scaled: the summed log-partition, each token's tag marginals, and the expected count of
    each transition (rows O, B, I and the start)."""
    step = np.where(_ALLOWED[:3], np.exp(np.where(_ALLOWED[:3], transitions[:3], 0.0)), 0.0)
    start = np.where(_ALLOWED[3], np.exp(np.where(_ALLOWED[3], transitions[3], 0.0)), 0.0)
    marginals = np.zeros_like(emissions)
    pairs = np.zeros((4, 3))
    log_z = 0.0
    for rows in batches:
        n, longest = rows.shape
        valid = rows >= 0
        scores = emissions[np.maximum(rows, 0)]
        top = scores.max(axis=2)
        odds = np.exp(scores - top[:, :, None])
        alpha = np.empty((n, longest, 3))
        norm = np.ones((n, longest))
        a = start * odds[:, 0]
        norm[:, 0] = a.sum(axis=1)
        alpha[:, 0] = a / norm[:, 0, None]
        for t in range(1, longest):
            a = (alpha[:, t - 1] @ step) * odds[:, t]
            total = a.sum(axis=1)
            live = valid[:, t]
            norm[:, t] = np.where(live, total, 1.0)
            alpha[:, t] = np.where(live[:, None], a / norm[:, t, None], alpha[:, t - 1])
        log_z += float(np.log(norm).sum() + top[valid].sum())
        beta = np.ones((n, longest, 3))
        ahead = odds / norm[:, :, None]  # the next token's odds, scaled as alpha was
        for t in range(longest - 2, -1, -1):
            b = (ahead[:, t + 1] * beta[:, t + 1]) @ step.T
            beta[:, t] = np.where(valid[:, t + 1, None], b, 1.0)
        posterior = alpha * beta
        marginals[rows[valid]] = posterior[valid]
        pairs[3] += posterior[:, 0].sum(axis=0)
        if longest > 1:
            following = ahead[:, 1:] * beta[:, 1:] * valid[:, 1:, None]
            pairs[:3] += np.einsum("nti,ntj->ij", alpha[:, :-1], following) * step
    return log_z, marginals, pairs


def fit_crf_tagger(
    words: Sequence[list[str]],
    marks: Sequence[list[str]],
    tags: Sequence[list[str]],
    *,
    c2: float = 0.3,
    cost: tuple[float, float] = (1.0, 3.0),
    iterations: int = 300,
    prune: float = 0.002,
) -> dict:
    """The CRF fitted on these messages' tokens; its artefact (see the module docstring). `cost` is training's
    extra score for a wrong tag on an O token and on a person's token; `c2` the L2 penalty's weight."""
    common = common_words(words)
    index: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for tokens, marked in zip(words, marks, strict=True):
        for row in sequence_features(tokens, common, marked):
            columns.extend(sorted({index.setdefault(f, len(index)) for f in row}))
            indptr.append(len(columns))
    gold = np.array([TAGS.index(tag) for sequence in tags for tag in sequence], dtype=np.int64)
    size, tokens_in = len(index), len(gold)
    x = sp.csr_matrix((np.ones(len(columns)), np.array(columns), np.array(indptr)), shape=(tokens_in, size))
    xt = x.T.tocsr()
    truth = np.zeros((tokens_in, 3))
    truth[np.arange(tokens_in), gold] = 1.0
    augment = np.where(gold[:, None] > 0, cost[1], cost[0]) * (1.0 - truth)
    gold_pairs = np.zeros((4, 3))
    at = 0
    for sequence in tags:
        if sequence:
            ids = gold[at : at + len(sequence)]
            gold_pairs[3, ids[0]] += 1
            np.add.at(gold_pairs, (ids[:-1], ids[1:]), 1)
        at += len(sequence)
    gold_emitted = xt @ truth
    batches = _batches([len(sequence) for sequence in tags])
    allowed = _ALLOWED.astype(float)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        weights = theta[: size * 3].reshape(size, 3)
        transitions = theta[size * 3 :].reshape(4, 3) * allowed
        emissions = x @ weights + augment
        log_z, marginals, pairs = _expectations(emissions, transitions, batches)
        gold_score = float((emissions * truth).sum() + (transitions * gold_pairs).sum())
        value = log_z - gold_score + c2 * float((weights * weights).sum() + (transitions * transitions).sum())
        grad_w = xt @ marginals - gold_emitted + 2 * c2 * weights
        grad_t = (pairs - gold_pairs + 2 * c2 * transitions) * allowed
        return value, np.concatenate([grad_w.ravel(), grad_t.ravel()])

    with threadpool_limits(1):  # one BLAS thread: sums in one order, so the same corpus gives the same artefact
        result = minimize(loss, np.zeros(size * 3 + 12), jac=True, method="L-BFGS-B", options={"maxiter": iterations})
    weights = result.x[: size * 3].reshape(size, 3)
    transitions = result.x[size * 3 :].reshape(4, 3) * allowed
    names = sorted(index, key=index.__getitem__)
    margins = weights[:, 1:] - weights[:, :1]
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
        "transitions": [[round(float(v) * SCALE) for v in row] for row in transitions],
    }
