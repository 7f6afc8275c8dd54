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


def real_comparison(real: NDArray[np.float32], *, queries_count: int = 300) -> list[str]:
    """How hard HNSW finds the true top 10 in real e5 vectors and in synthetic ones of the same
    number, with the product's graph parameters: recall@10 by ef_search."""
    import hnswlib

    from bench.timing import exact_top, recall_at
    from matching.index import HNSW_EF_CONSTRUCTION, HNSW_M

    order = np.random.default_rng(1).permutation(real.shape[0])
    n = real.shape[0] - queries_count
    sets = {
        "real (ESCO labels, multilingual-e5-small)": (
            np.ascontiguousarray(real[order[:n]]),
            np.ascontiguousarray(real[order[n:]]),
        ),
        "synthetic (bench/synthetic.py)": (profiles(n), queries(queries_count)),
    }
    sweep = (10, 16, 24, 32, 48, 64)
    lines = [
        f"\n# HNSW (M {HNSW_M}, ef_construction {HNSW_EF_CONSTRUCTION}) on {n:,} vectors, "
        f"{queries_count} queries: recall@10 by ef_search",
        "| vectors | " + " | ".join(f"ef {ef}" for ef in sweep) + " |",
        "|---|" + "---|" * len(sweep),
    ]
    for name, (data, qs) in sets.items():
        graph = hnswlib.Index(space="ip", dim=data.shape[1])
        graph.init_index(max_elements=n, M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION)
        graph.add_items(data, np.arange(n))
        truth = exact_top(data, qs, 10)
        cells = []
        for ef in sweep:
            graph.set_ef(ef)
            labels, _ = graph.knn_query(qs, k=10)
            cells.append(f"{recall_at(list(labels.astype(np.int64)), truth):.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    """Prints how the synthetic vectors compare: the cosines a ranking sees, and (with
    `--compare-real`) how hard an approximate index finds neighbours, beside real vectors."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 profiles")
    parser.add_argument(
        "--compare-real",
        action="store_true",
        help="also compare with the real ESCO label vectors `probono model build` cached",
    )
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
    if args.compare_real:
        from config import get_settings

        found = sorted((get_settings().model_cache_dir / "vectors").glob("esco-*-labels-*.npy"))
        if not found:
            raise SystemExit("no cached ESCO vectors: run `probono model build` first")
        real = np.load(found[-1]).astype(np.float32)
        for line in real_comparison(real):
            print(line)


if __name__ == "__main__":
    main()
