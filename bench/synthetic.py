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


def main() -> None:
    """Prints how the synthetic vectors compare: the cosines a ranking sees."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 profiles")
    args = parser.parse_args()
    n = 10_000 if args.quick else args.size
    data, qs = profiles(n), queries(200)
    sims = qs @ data.T
    top = np.sort(np.partition(sims, n - 10, axis=1)[:, n - 10 :], axis=1)
    pairs = data[:2000] @ data[:2000].T
    print(f"# {n:,} profiles x {data.shape[1]}, {_CLUSTERS} clusters, 200 queries")
    print("| cosine | mean | 5th percentile | 95th percentile |")
    print("|---|---|---|---|")
    for name, values in (
        ("query, any profile", sims),
        ("query, its top 10", top),
        ("query, its top 1", top[:, -1]),
        ("profile, profile", pairs[np.triu_indices(2000, 1)]),
    ):
        low, high = np.percentile(values, [5, 95])
        print(f"| {name} | {values.mean():.3f} | {low:.3f} | {high:.3f} |")


if __name__ == "__main__":
    main()
