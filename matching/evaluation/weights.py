"""`probono eval`, need → volunteers: the choice of the ranking weights on the training split,
by folds (`tune_weights`), scored by matrix products over the features of every pair."""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import NDArray

from matching import metrics
from matching.evaluation.ranking import EvalNeed, Ranker, weight_vector
from matching.scoring import GUESSED, STATED, Weights


@dataclass(frozen=True)
class Tuning:
    situation: str  # "declared" or "inferred only": which product weights it tunes
    best: Weights  # on the whole training split
    best_ndcg: float
    product: Weights
    product_ndcg: float
    cross_validated: metrics.Estimate  # nDCG@10 of weights chosen on the other folds
    folds: int


# Among volunteers who cover a need equally (common in a large pool, rare in this set), only
# the text tells them apart: semantic similarity keeps at least this weight.
MIN_SEMANTIC = 0.15
_PENALTY_STEPS = (0.0, 0.1, 0.2, 0.4, 0.8)


def _grid() -> list[Weights]:
    """Semantic, coverage, lexical and ESCO overlap in steps of 0.05 summing to 0.9, each soft
    penalty among `_PENALTY_STEPS`."""
    steps = [i / 20 for i in range(19)]
    return [
        Weights(
            semantic=s,
            coverage=c,
            lexical=lexical,
            esco=max(0.0, round(0.9 - s - c - lexical, 2)),
            hours=hours,
            place=place,
        )
        for s, c, lexical in product(steps, steps, steps)
        if s >= MIN_SEMANTIC and 0.9 - s - c - lexical >= -1e-9
        for hours, place in product(_PENALTY_STEPS, _PENALTY_STEPS)
    ]


def _ndcg_by_weights(
    ranker: Ranker, need: EvalNeed, declared: bool, grid: Sequence[Weights]
) -> NDArray[np.float64]:
    """nDCG@10 of one wording of a need under every weight set at once (the same order as
    `engine`: the excluded left out, ties broken by the pool's order)."""
    found = ranker.features(need, declared=declared)
    weights = np.stack([weight_vector(w, found.no_competence) for w in grid])  # (W, F)
    scores = found.matrix @ weights.T  # (profiles, W)
    scores[found.excluded] = -np.inf
    gains = ranker.data.gains(need.id)
    gain = np.asarray([2.0 ** gains.get(p, 0.0) - 1 for p in ranker.profile_ids])
    ideal = np.sort(gain)[::-1][:10]
    discount = 1 / np.log2(np.arange(2, 12))
    best = float(ideal @ discount[: len(ideal)])
    if not best:
        return np.zeros(len(grid))
    top = np.argsort(-scores, axis=0, kind="stable")[:10]  # (10, W)
    taken = np.where(np.isfinite(np.take_along_axis(scores, top, axis=0)), gain[top], 0.0)
    ndcg: NDArray[np.float64] = (taken * discount[: len(top), None]).sum(axis=0) / best
    return ndcg


def tune_weights(ranker: Ranker, *, folds: int = 4, samples: int, seed: int = 0) -> list[Tuning]:
    """A search of the ranking weights — semantic, coverage, lexical (summing to 0.9;
    responsiveness and fairness stay at 0.05 each: constant on this set) and the two soft
    penalties — on the TRAINING split only, once for each situation the product tells apart:
    the need's competences declared (`scoring.STATED`), or only inferred from its text
    (`scoring.GUESSED`), each with a cross-validated estimate of the weights so chosen.

    The objective is nDCG@10 with every training need asked in each language it exists in (its
    own words and the team's translation): weights that win in one language by the model's pull
    towards texts of that language do not win here."""
    data = ranker.data
    train = data.split("train")
    grid = _grid()
    n = len(train)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    wordings = [
        [need, *([data.translated[need.id]] if need.id in data.translated else [])]
        for need in train
    ]
    tunings = []
    for declared, situation, in_product in (
        (True, "declared", STATED),
        (False, "inferred only", GUESSED),
    ):

        def per_need(weights: Sequence[Weights], declared: bool = declared) -> NDArray[np.float64]:
            """(weights, needs): each training need's nDCG@10, averaged over its wordings."""
            return np.stack(
                [
                    np.mean([_ndcg_by_weights(ranker, w, declared, weights) for w in words], 0)
                    for words in wordings
                ],
                axis=1,
            )

        found = per_need(grid)
        best = int(np.argmax(found.mean(axis=1)))
        held_out = np.zeros(n)
        for fold in range(folds):
            test = order[fold::folds]
            kept = [i for i in order if i not in set(test)]
            chosen = int(np.argmax(found[:, kept].mean(axis=1)))
            held_out[test] = found[chosen, test]
        tunings.append(
            Tuning(
                situation,
                grid[best],
                float(found[best].mean()),
                in_product,
                float(per_need([in_product]).mean()),
                metrics.bootstrap(held_out.tolist(), samples=samples),
                folds,
            )
        )
    return tunings


def _weights(w: Weights) -> str:
    return (
        f"semantic {w.semantic:.2f}, coverage {w.coverage:.2f}, lexical {w.lexical:.2f}, "
        f"ESCO {w.esco:.2f}, hours -{w.hours:.2f}, place -{w.place:.2f}"
    )


def format_tuning(tuning: Sequence[Tuning]) -> str:
    lines: list[str] = []
    lines.append(
        f"\n## ranking weights, chosen on the training split (semantic ≥ {MIN_SEMANTIC}; "
        "nDCG@10 of every training need asked in each of its languages)\n"
    )
    lines.append(
        "| situation | best on the training split | nDCG@10 | product weights | nDCG@10 | "
        "chosen on the other folds, held-out nDCG@10 |"
    )
    lines.append("|---|---|---|---|---|---|")
    for t in tuning:
        lines.append(
            f"| {t.situation} | {_weights(t.best)} | {t.best_ndcg:.3f} | {_weights(t.product)} | "
            f"{t.product_ndcg:.3f} | {t.cross_validated} ({t.folds} folds) |"
        )
    return "\n".join(lines)
