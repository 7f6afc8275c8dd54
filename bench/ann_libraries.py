"""Which approximate index: hnswlib, usearch and FAISS (HNSW) on the same synthetic profiles,
each against the exact top 10 (numpy) of the same matrix in the same run.

For each library and size: build time, the smallest ef_search of a sweep that reaches
recall@10 >= 0.98, single-query p50/p95 latency there (one thread), index memory against the
raw vector bytes, save + load time, and the time to replace 1,000 vectors (remove + add). Each
library runs in its own process: its memory is measured alone, and a build slower than
`--build-timeout` is stopped and reported. Run: `python -m bench.ann_libraries [--quick]`.
"""

import argparse
import json
import os
import select
import subprocess
import sys
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
from matching.index import HNSW_EF_CONSTRUCTION, HNSW_M

M, EF_CONSTRUCTION = HNSW_M, HNSW_EF_CONSTRUCTION  # the product's, for every library
SWEEP = (10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
TARGET = 0.98
THREADS = os.cpu_count() or 1


@dataclass
class Library:
    name: str
    build: Callable[[NDArray[np.float32]], Any]
    set_ef: Callable[[Any, int], None]
    search: Callable[[Any, NDArray[np.float32], int], NDArray[np.int64]]
    save: Callable[[Any, Path], None]
    load: Callable[[Path, int], Any]
    replace: Callable[[Any, NDArray[np.int64], NDArray[np.float32]], None] | None


def _hnswlib() -> Library:
    import hnswlib

    def build(data: NDArray[np.float32]) -> Any:
        index = hnswlib.Index(space="ip", dim=data.shape[1])
        index.init_index(max_elements=data.shape[0], M=M, ef_construction=EF_CONSTRUCTION)
        index.add_items(data, np.arange(data.shape[0]), num_threads=THREADS)
        index.set_num_threads(1)
        return index

    def load(path: Path, dim: int) -> Any:
        index = hnswlib.Index(space="ip", dim=dim)
        index.load_index(str(path))
        return index

    return Library(
        "hnswlib",
        build,
        lambda index, ef: index.set_ef(ef),
        lambda index, q, k: index.knn_query(q, k=k)[0][0].astype(np.int64),
        lambda index, path: index.save_index(str(path)),
        load,
        lambda index, ids, vectors: index.add_items(vectors, ids),  # in place, by label
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
        index.add(np.arange(data.shape[0]), data, threads=THREADS)
        return index

    def set_ef(index: Any, ef: int) -> None:
        index.expansion_search = ef

    def replace(index: Any, ids: NDArray[np.int64], vectors: NDArray[np.float32]) -> None:
        index.remove(ids)  # the high-level wrapper refuses duplicate keys
        index.add(ids, vectors, threads=THREADS)

    return Library(
        "usearch",
        build,
        set_ef,
        lambda index, q, k: np.asarray(index.search(q, k, threads=1).keys, dtype=np.int64),
        lambda index, path: index.save(str(path)),
        lambda path, dim: Index.restore(str(path)),
        replace,
    )


def _faiss() -> Library:
    import faiss

    def build(data: NDArray[np.float32]) -> Any:
        faiss.omp_set_num_threads(THREADS)
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
        lambda path, dim: faiss.read_index(str(path)),
        None,  # IndexHNSWFlat cannot remove a vector: replacing one means a rebuild
    )


LIBRARIES = {"hnswlib": _hnswlib, "usearch": _usearch, "faiss": _faiss}


def _rss() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _sweep(
    library: Library, index: Any, qs: NDArray[np.float32], truth: list[set[int]]
) -> dict[str, Any]:
    for q in qs[:50]:  # warm the caches before anything is timed
        library.search(index, q, 10)
    for ef in SWEEP:
        library.set_ef(index, ef)
        found, latencies = [], []
        for q in qs:
            t0 = time.perf_counter()
            found.append(library.search(index, q, 10))
            latencies.append(time.perf_counter() - t0)
        recall = recall_at(found, truth)
        if recall >= TARGET or ef == SWEEP[-1]:
            p50, p95 = percentiles(latencies)
            return {"ef": ef, "recall": recall, "p50": p50, "p95": p95}
    raise AssertionError("unreachable")


def measure(name: str, folder: Path) -> dict[str, Any]:
    """One library on the data saved in `folder`; prints `built` as soon as the graph is."""
    library = LIBRARIES[name]()
    data = np.load(folder / "profiles.npy")
    qs = np.load(folder / "queries.npy")
    truth = [set(map(int, row)) for row in np.load(folder / "truth.npy")]
    before = _rss()
    started = time.perf_counter()
    index = library.build(data)
    result: dict[str, Any] = {"build_s": time.perf_counter() - started}
    result["rss_ratio"] = (_rss() - before) / data.nbytes
    print(json.dumps({"built": result["build_s"]}), flush=True)
    result |= _sweep(library, index, qs, truth)
    if library.replace is not None:
        ids = np.arange(0, data.shape[0], data.shape[0] // 1000, dtype=np.int64)[:1000]
        t0 = time.perf_counter()
        library.replace(index, ids, data[ids])
        result["replace_s"] = time.perf_counter() - t0
    path = folder / f"{name}.index"
    t0 = time.perf_counter()
    library.save(index, path)
    result["save_s"] = time.perf_counter() - t0
    result["file_ratio"] = path.stat().st_size / data.nbytes
    del index
    t0 = time.perf_counter()
    library.load(path, data.shape[1])
    result["load_s"] = time.perf_counter() - t0
    path.unlink()
    return result


def _prepare(n: int, queries: int, folder: Path) -> None:
    data = synthetic.profiles(n)
    qs = synthetic.queries(queries)
    np.save(folder / "profiles.npy", data)
    np.save(folder / "queries.npy", qs)
    np.save(folder / "truth.npy", np.array([sorted(t) for t in exact_top(data, qs, 10)]))


def _child(name: str, folder: Path, build_timeout: float) -> dict[str, Any]:
    """Runs `measure` in a fresh process; stops it if the build outlasts `build_timeout`."""
    command = [
        sys.executable,
        "-m",
        "bench.ann_libraries",
        "--m",
        str(M),
        "--child",
        name,
        str(folder),
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        deadline: float | None = time.monotonic() + build_timeout
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([process.stdout], [], [], wait)
            if not ready:
                process.kill()
                return {"error": f"build stopped after {build_timeout / 60:.0f} min"}
            line = process.stdout.readline()
            if not line:
                return {"error": f"failed (exit code {process.wait()})"}
            message = json.loads(line)
            if "built" in message:
                deadline = None
            else:
                return dict(message)


def _available(name: str) -> str | None:
    try:
        LIBRARIES[name]()
    except ImportError as exc:
        return f"not installed: {exc}"
    return None


def _row(name: str, n: int, r: dict[str, Any]) -> str:
    if "error" in r:
        return f"| {name} | {n:,} | {r['error']} | | | | | | | | | |"
    replace = f"{r['replace_s']:.2f}" if "replace_s" in r else "cannot remove"
    return (
        f"| {name} | {n:,} | {r['build_s']:.1f} | {r['ef']} | {r['recall']:.3f} | "
        f"{r['p50'] * 1e3:.2f} | {r['p95'] * 1e3:.2f} | {r['rss_ratio']:.2f} | "
        f"{r['file_ratio']:.2f} | {r['save_s']:.2f} | {r['load_s']:.2f} | {replace} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--libraries", default=",".join(LIBRARIES))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--build-timeout", type=float, default=15 * 60, help="seconds")
    parser.add_argument("--quick", action="store_true", help="10,000 profiles, 200 queries")
    parser.add_argument(
        "--m", type=int, default=HNSW_M, help="graph degree (default: the product's)"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global M  # the libraries' builders read it, in this process and in each child
    M = args.m
    if args.child:
        print(json.dumps(measure(args.child[0], Path(args.child[1]))), flush=True)
        return
    sizes = [10_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    queries = 200 if args.quick else args.queries
    print(f"# ANN libraries: M={M}, ef_construction={EF_CONSTRUCTION}, {THREADS} build threads,")
    print(f"# 1 search thread, {queries} queries, target recall@10 >= {TARGET} against exact numpy")
    print(
        "| library | profiles | build s | ef_search | recall@10 | p50 ms | p95 ms | "
        "RSS / raw | file / raw | save s | load s | replace 1k s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            _prepare(n, queries, Path(folder))
            for name in args.libraries.split(","):
                missing = _available(name)
                result = (
                    {"error": missing}
                    if missing
                    else _child(name, Path(folder), args.build_timeout)
                )
                print(_row(name, n, result), flush=True)


if __name__ == "__main__":
    main()
