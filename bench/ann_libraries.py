"""Which approximate index: hnswlib, usearch and FAISS (HNSW) on the same synthetic profiles,
each against the exact top 10 (numpy) of the same matrix in the same run.

For each library and size: build time, the smallest ef_search (of a sweep) that reaches
recall@10 >= 0.98, single-query p50/p95 latency there, index memory against the raw vector
bytes, and save + load time. Run: `python -m bench.ann_libraries [--sizes 100000,1000000]`.
"""

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench import synthetic
from bench.timing import exact_top, percentiles, recall_at

M, EF_CONSTRUCTION = 16, 200  # the same graph parameters for every library
SWEEP = (16, 32, 48, 64, 96, 128, 192, 256)
TARGET = 0.98


@dataclass
class Library:
    name: str
    build: Callable[[NDArray[np.float32]], Any]
    set_ef: Callable[[Any, int], None]
    search: Callable[[Any, NDArray[np.float32], int], NDArray[np.int64]]
    save: Callable[[Any, Path], None]
    load: Callable[[Path, int, int], Any]


def _hnswlib() -> Library:
    import hnswlib

    def build(data: NDArray[np.float32]) -> Any:
        index = hnswlib.Index(space="ip", dim=data.shape[1])
        index.init_index(max_elements=data.shape[0], M=M, ef_construction=EF_CONSTRUCTION)
        index.add_items(data, np.arange(data.shape[0]), num_threads=os.cpu_count() or 1)
        index.set_num_threads(1)
        return index

    def load(path: Path, dim: int, n: int) -> Any:
        index = hnswlib.Index(space="ip", dim=dim)
        index.load_index(str(path), max_elements=n)
        return index

    return Library(
        "hnswlib",
        build,
        lambda index, ef: index.set_ef(ef),
        lambda index, q, k: index.knn_query(q, k=k)[0][0].astype(np.int64),
        lambda index, path: index.save_index(str(path)),
        load,
    )


def _usearch() -> Library:
    from usearch.index import Index

    def build(data: NDArray[np.float32]) -> Any:
        index = Index(
            ndim=data.shape[1],
            metric="ip",
            dtype="f32",
            connectivity=M,
            expansion_add=EF_CONSTRUCTION,
        )
        index.add(np.arange(data.shape[0]), data, threads=os.cpu_count() or 1)
        return index

    def set_ef(index: Any, ef: int) -> None:
        index.expansion_search = ef

    def load(path: Path, dim: int, n: int) -> Any:
        return Index.restore(str(path))

    return Library(
        "usearch",
        build,
        set_ef,
        lambda index, q, k: np.asarray(index.search(q, k, threads=1).keys, dtype=np.int64),
        lambda index, path: index.save(str(path)),
        load,
    )


def _faiss() -> Library:
    import faiss

    def build(data: NDArray[np.float32]) -> Any:
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        index = faiss.IndexHNSWFlat(data.shape[1], M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = EF_CONSTRUCTION
        index.add(data)
        faiss.omp_set_num_threads(1)
        return index

    def set_ef(index: Any, ef: int) -> None:
        index.hnsw.efSearch = ef

    return Library(
        "faiss",
        build,
        set_ef,
        lambda index, q, k: index.search(q[None, :], k)[1][0].astype(np.int64),
        lambda index, path: faiss.write_index(index, str(path)),
        lambda path, dim, n: faiss.read_index(str(path)),
    )


LIBRARIES = {"hnswlib": _hnswlib, "usearch": _usearch, "faiss": _faiss}


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def run(name: str, n: int, queries: int) -> dict[str, Any]:
    try:
        library = LIBRARIES[name]()
    except ImportError as exc:
        return {"library": name, "n": n, "error": f"not installed ({exc})"}
    data = synthetic.profiles(n)
    qs = synthetic.queries(queries)
    truth = exact_top(data, qs, 10)
    before = _rss_mb()
    started = time.perf_counter()
    index = library.build(data)
    build_s = time.perf_counter() - started
    index_mb = _rss_mb() - before
    chosen: dict[str, Any] = {}
    for ef in SWEEP:
        library.set_ef(index, ef)
        found = [library.search(index, q, 10) for q in qs[:200]]
        recall = recall_at(found, truth[:200])
        if recall >= TARGET or ef == SWEEP[-1]:
            latencies = []
            all_found = []
            for q in qs:
                t0 = time.perf_counter()
                all_found.append(library.search(index, q, 10))
                latencies.append(time.perf_counter() - t0)
            p50, p95 = percentiles(latencies)
            chosen = {"ef": ef, "recall": recall_at(all_found, truth), "p50": p50, "p95": p95}
            break
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.bin"
        t0 = time.perf_counter()
        library.save(index, path)
        save_s = time.perf_counter() - t0
        file_mb = path.stat().st_size / 2**20
        del index
        t0 = time.perf_counter()
        library.load(path, data.shape[1], n)
        load_s = time.perf_counter() - t0
    raw_mb = data.nbytes / 2**20
    return {
        "library": name,
        "n": n,
        "build_s": build_s,
        **chosen,
        "memory_ratio": max(index_mb, file_mb) / raw_mb,
        "save_s": save_s,
        "load_s": load_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--libraries", default=",".join(LIBRARIES))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="10,000 profiles, 200 queries")
    args = parser.parse_args()
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 200 if args.quick else args.queries
    print(f"# ANN libraries, M={M}, ef_construction={EF_CONSTRUCTION}, target recall@10 {TARGET}")
    print(
        "| library | profiles | build s | ef_search | recall@10 | p50 ms | p95 ms | "
        "memory / raw | save s | load s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        for name in args.libraries.split(","):
            r = run(name, n, queries)
            if "error" in r:
                print(f"| {name} | {n:,} | {r['error']} |")
                continue
            print(
                f"| {name} | {n:,} | {r['build_s']:.1f} | {r['ef']} | {r['recall']:.3f} | "
                f"{r['p50'] * 1e3:.2f} | {r['p95'] * 1e3:.2f} | {r['memory_ratio']:.2f} | "
                f"{r['save_s']:.2f} | {r['load_s']:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
