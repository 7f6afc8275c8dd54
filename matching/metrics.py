"""Ranking metrics and bootstrap confidence intervals for the evaluations."""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def precision_at(k: int, ranked: Sequence[str], relevant: set[str]) -> float:
    return sum(1 for item in ranked[:k] if item in relevant) / k


def recall_at(k: int, ranked: Sequence[str], relevant: set[str]) -> float:
    return sum(1 for item in ranked[:k] if item in relevant) / len(relevant) if relevant else 0.0


def hit_at(k: int, ranked: Sequence[str], relevant: set[str]) -> float:
    return 1.0 if any(item in relevant for item in ranked[:k]) else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: set[str]) -> float:
    for position, item in enumerate(ranked, start=1):
        if item in relevant:
            return 1.0 / position
    return 0.0


def ndcg_at(k: int, ranked: Sequence[str], gains: Mapping[str, float]) -> float:
    """Normalised discounted cumulative gain with graded gains (2^g - 1)."""

    def dcg(values: Sequence[float]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(gains.values(), reverse=True))
    return dcg([gains.get(item, 0.0) for item in ranked]) / ideal if ideal else 0.0


@dataclass(frozen=True)
class Estimate:
    mean: float
    low: float  # 2.5th percentile of the bootstrap means
    high: float  # 97.5th percentile

    def __str__(self) -> str:
        return f"{self.mean:.3f} [{self.low:.3f}, {self.high:.3f}]"


def bootstrap(values: Sequence[float], *, samples: int = 1000, seed: int = 0) -> Estimate:
    """The mean with a 95 % percentile bootstrap interval (resampling the queries)."""
    if not values:
        return Estimate(0.0, 0.0, 0.0)
    rng = random.Random(seed)
    n = len(values)
    means = sorted(sum(values[rng.randrange(n)] for _ in range(n)) / n for _ in range(samples))
    return Estimate(sum(values) / n, means[int(0.025 * samples)], means[int(0.975 * samples) - 1])
