"""Similarity search latency and memory per profile, against the numpy floor of the same run.

For 10k, 100k and 1M synthetic profiles: p50/p95 of `ExactIndex.search` (top 200, what
ranking asks for) and of a bare numpy matmul + argpartition on the same matrix, timed
interleaved query by query so that drift affects both alike; at 1M also the approximate index
asked for the same 200 candidates (p50/p95, and recall@10: how many of the exact top 10 are the
top 10 it returns); the built approximate index is kept in var/bench/ for the next run. Memory
per profile of each index against the raw vector bytes (384 float32 = 1,536 bytes).
Run: `python -m bench.ranking_latency [--quick]`.
"""

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench import synthetic
from bench.timing import exact_top, numpy_top, percentiles, recall_at
from config import REPOSITORY
from matching.errors import MatchingError
from matching.index import AnnIndex, ExactIndex

K = 200  # missions.ranking.CANDIDATES


def _traced(build: Callable[[], Any]) -> tuple[Any, int]:
    """The object built and the bytes it still holds (numpy and Python allocations)."""
    gc.collect()
    tracemalloc.start()
    built = build()
    held, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return built, held


def _exact(matrix: NDArray[np.float32]) -> ExactIndex:
    index = ExactIndex(matrix.shape[1], capacity=matrix.shape[0])
    index.upsert(np.arange(1, matrix.shape[0] + 1, dtype=np.int64), matrix)
    return index


def _ann(matrix: NDArray[np.float32]) -> tuple[AnnIndex, float]:
    """The index and its build time; loaded instead when an earlier run saved it."""
    path = REPOSITORY / "var" / "bench" / f"hnsw-{matrix.shape[0]}.bin"
    try:
        return AnnIndex.load(path)[0], float("nan")
    except MatchingError:
        pass
    started = time.perf_counter()
    index = AnnIndex(matrix.shape[1], capacity=matrix.shape[0])
    index.upsert(np.arange(1, matrix.shape[0] + 1, dtype=np.int64), matrix)
    build = time.perf_counter() - started
    index.save(path)
    return index, build


def run(n: int, queries: int, *, ann: bool) -> list[str]:
    matrix = synthetic.profiles(n)
    qs = synthetic.queries(queries)
    raw = matrix.nbytes
    exact, exact_bytes = _traced(lambda: _exact(matrix))
    floor, ours = [], []
    for q in qs:  # interleaved, the floor first then ours, query by query
        t0 = time.perf_counter()
        numpy_top(matrix, q, K)
        t1 = time.perf_counter()
        exact.search(q, K)
        t2 = time.perf_counter()
        floor.append(t1 - t0)
        ours.append(t2 - t1)
    f50, f95 = percentiles(floor)
    e50, e95 = percentiles(ours)
    rows = [
        f"| {n:,} | numpy matmul + argpartition (floor) | {f50 * 1e3:.2f} | {f95 * 1e3:.2f} | "
        f"1.00 | 1.00 (raw) | exact |",
        f"| {n:,} | ExactIndex.search | {e50 * 1e3:.2f} | {e95 * 1e3:.2f} | "
        f"{e95 / f95:.2f} | {exact_bytes / raw:.3f} | exact |",
    ]
    del exact
    if ann:
        index, build = _ann(matrix)
        truth = exact_top(matrix, qs, 10)
        found, latencies = [], []
        for q in qs:
            t0 = time.perf_counter()
            ids, _ = index.search(q, K)
            latencies.append(time.perf_counter() - t0)
            found.append(ids[:10] - 1)  # ids start at 1, rows at 0
        a50, a95 = percentiles(latencies)
        # hnswlib allocates in C++, out of tracemalloc's sight: count its saved size instead.
        ann_bytes = _ann_size(index) + 8 * n  # and the id of each vector
        built = "loaded" if build != build else f"built in {build:.0f} s"
        rows.append(
            f"| {n:,} | AnnIndex.search (HNSW, top {K}, ef_search {index.ef_search}, {built}) | "
            f"{a50 * 1e3:.2f} | {a95 * 1e3:.2f} | {a95 / f95:.2f} | {ann_bytes / raw:.3f} | "
            f"recall@10 {recall_at(found, truth):.3f} |"
        )
    return rows


def _ann_size(index: AnnIndex) -> int:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.hnsw"
        index.save(path)
        return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--ann-from", type=int, default=1_000_000, help="also time the ANN index")
    parser.add_argument("--quick", action="store_true", help="10k and 20k profiles, 200 queries")
    args = parser.parse_args()
    sizes = [10_000, 20_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    ann_from = 20_000 if args.quick else args.ann_from
    queries = 200 if args.quick else args.queries
    print(f"# similarity search, top {K}, {queries} queries, one process on 2 cores")
    print("| profiles | method | p50 ms | p95 ms | p95 / floor | memory / raw | quality |")
    print("|---|---|---|---|---|---|---|")
    for n in sizes:
        for row in run(n, queries, ann=n >= ann_from):
            print(row, flush=True)


if __name__ == "__main__":
    main()
