"""Synthetic profile vectors shaped like real sentence embeddings: unit vectors around a shared
mean direction (multilingual-e5 cosines crowd into 0.7-0.9), in a few hundred topic clusters,
with per-profile noise. Generated in chunks with a fixed seed, so 1M x 384 fits in memory once."""

import numpy as np
from numpy.typing import NDArray

DIMENSION = 384
_CLUSTERS = 300
_CHUNK = 100_000


def _unit(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    normed: NDArray[np.float32] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return normed


def _centres(rng: np.random.Generator, dimension: int) -> NDArray[np.float32]:
    shared = _unit(rng.standard_normal((1, dimension), dtype=np.float32))
    topics = _unit(rng.standard_normal((_CLUSTERS, dimension), dtype=np.float32))
    return _unit(2.5 * shared + topics)


def profiles(n: int, *, dimension: int = DIMENSION, seed: int = 0) -> NDArray[np.float32]:
    """n unit vectors, float32, contiguous."""
    rng = np.random.default_rng(seed)
    centres = _centres(rng, dimension)
    out = np.empty((n, dimension), dtype=np.float32)
    for start in range(0, n, _CHUNK):
        size = min(_CHUNK, n - start)
        cluster = rng.integers(0, _CLUSTERS, size)
        noise = rng.standard_normal((size, dimension), dtype=np.float32) * 0.022
        out[start : start + size] = _unit(centres[cluster] + noise)
    return out


def queries(n: int, *, dimension: int = DIMENSION, seed: int = 0) -> NDArray[np.float32]:
    """Needs near the same clusters (same centres: same seed), farther from any one profile."""
    rng = np.random.default_rng(seed)
    centres = _centres(rng, dimension)
    rng = np.random.default_rng(seed + 1)
    cluster = rng.integers(0, _CLUSTERS, n)
    noise = rng.standard_normal((n, dimension), dtype=np.float32) * 0.026
    return np.ascontiguousarray(_unit(centres[cluster] + noise))
