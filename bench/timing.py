"""What every benchmark shares: the exact top-k floor, recall, percentiles, memory."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def numpy_top(matrix: NDArray[np.float32], query: NDArray[np.float32], k: int) -> NDArray[np.intp]:
    """The floor: one matmul and one argpartition, then the k sorted."""
    sims = matrix @ query
    top = np.argpartition(-sims, k)[:k]
    return top[np.argsort(-sims[top])]


def exact_top(matrix: NDArray[np.float32], queries: NDArray[np.float32], k: int) -> list[set[int]]:
    """The true top k of each query, by blocks of queries (one matmul each)."""
    truth: list[set[int]] = []
    for start in range(0, queries.shape[0], 64):
        sims = queries[start : start + 64] @ matrix.T
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        truth.extend(set(map(int, row)) for row in top)
    return truth


def recall_at(found: Sequence[NDArray[np.int64]], truth: Sequence[set[int]]) -> float:
    hits = sum(len(set(map(int, f[: len(t)])) & t) for f, t in zip(found, truth, strict=True))
    return hits / sum(len(t) for t in truth)


def percentiles(seconds: Sequence[float]) -> tuple[float, float]:
    values = np.asarray(seconds)
    return float(np.percentile(values, 50)), float(np.percentile(values, 95))
