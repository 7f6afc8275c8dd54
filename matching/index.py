"""Top-k search over unit vectors (dot product = cosine), by id, with inserts, updates and
deletes.

`ExactIndex` keeps one contiguous float32 matrix with some spare rows, so a search is one
matrix-vector product and one partial sort — the numpy floor plus bookkeeping. Beyond about
100,000 vectors, `AnnIndex` (an HNSW graph, hnswlib) answers in a few milliseconds with
recall@10 above 0.98 and is saved to disk, so a restart loads it instead of rebuilding it. The
choice of library and of its parameters is measured in bench/ann_libraries.py
(docs/performance.md).
"""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.errors import MatchingError

Ids = NDArray[np.int64]
Matrix = NDArray[np.float32]
Scores = NDArray[np.float32]

_GROWTH = 1.1  # spare rows kept for inserts: at most a tenth more than the raw vectors
HNSW_M = 16  # graph degree: recall 0.98 at 1M within ~3 ms a query on 2 cores (measured)
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 64  # smallest measured value with recall@10 >= 0.98 at 1M, with margin


class VectorIndex(Protocol):
    dimension: int

    def __len__(self) -> int: ...

    def upsert(self, ids: Ids, vectors: Matrix) -> None: ...

    def remove(self, ids: Ids) -> None: ...

    def search(self, query: NDArray[np.float32], k: int) -> tuple[Ids, Scores]: ...


def _checked(ids: Ids, vectors: Matrix, dimension: int) -> tuple[Ids, Matrix]:
    ids = np.asarray(ids, dtype=np.int64)
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape != (ids.shape[0], dimension):
        raise MatchingError(
            f"expected {ids.shape[0]} vectors of dimension {dimension}, got {vectors.shape}"
        )
    return ids, vectors


class ExactIndex:
    """Exact cosine top-k over one contiguous float32 matrix."""

    def __init__(self, dimension: int, *, capacity: int = 0) -> None:
        self.dimension = dimension
        self._matrix: Matrix = np.empty((capacity, dimension), dtype=np.float32)
        self._ids: Ids = np.empty(capacity, dtype=np.int64)
        self._rows: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def nbytes(self) -> int:
        return self._matrix.nbytes + self._ids.nbytes

    def upsert(self, ids: Ids, vectors: Matrix) -> None:
        ids, vectors = _checked(ids, vectors, self.dimension)
        new = [i for i, id_ in enumerate(ids.tolist()) if id_ not in self._rows]
        if len(self._rows) + len(new) > self._matrix.shape[0]:
            self._grow(len(self._rows) + len(new))
        for i, id_ in enumerate(ids.tolist()):
            row = self._rows.get(id_)
            if row is None:
                row = self._rows[id_] = len(self._rows)
                self._ids[row] = id_
            self._matrix[row] = vectors[i]

    def _grow(self, needed: int) -> None:
        capacity = max(needed, int(self._matrix.shape[0] * _GROWTH))
        matrix = np.empty((capacity, self.dimension), dtype=np.float32)
        ids = np.empty(capacity, dtype=np.int64)
        size = len(self._rows)
        matrix[:size], ids[:size] = self._matrix[:size], self._ids[:size]
        self._matrix, self._ids = matrix, ids

    def remove(self, ids: Ids) -> None:
        for id_ in np.asarray(ids, dtype=np.int64).tolist():
            row = self._rows.pop(id_, None)
            if row is None:
                continue
            last = len(self._rows)  # the last used row moves into the hole
            if row != last:
                moved = int(self._ids[last])
                self._matrix[row], self._ids[row] = self._matrix[last], moved
                self._rows[moved] = row

    def scores(self, query: NDArray[np.float32]) -> tuple[Ids, Scores]:
        """Every id with its cosine to the query (a view: do not keep across updates)."""
        size = len(self._rows)
        sims: Scores = self._matrix[:size] @ query
        return self._ids[:size], sims

    def search(self, query: NDArray[np.float32], k: int) -> tuple[Ids, Scores]:
        ids, sims = self.scores(query)
        if k < sims.size:
            top = np.argpartition(-sims, k)[:k]
            ids, sims = ids[top], sims[top]
        order = np.argsort(-sims, kind="stable")
        return ids[order], sims[order]


class AnnIndex:
    """Approximate cosine top-k (HNSW graph), persistent, with replace and delete by id."""

    def __init__(
        self, dimension: int, *, capacity: int = 1024, ef_search: int = HNSW_EF_SEARCH
    ) -> None:
        import hnswlib

        self.dimension = dimension
        self.ef_search = ef_search
        self._index = hnswlib.Index(space="ip", dim=dimension)
        self._index.init_index(
            max_elements=max(capacity, 16),
            M=HNSW_M,
            ef_construction=HNSW_EF_CONSTRUCTION,
        )
        self._index.set_num_threads(os.cpu_count() or 1)
        self._deleted: set[int] = set()  # hnswlib keeps them in the graph, marked

    def __len__(self) -> int:
        return int(self._index.element_count) - len(self._deleted)

    def upsert(self, ids: Ids, vectors: Matrix) -> None:
        ids, vectors = _checked(ids, vectors, self.dimension)
        needed = self._index.element_count + ids.shape[0]
        if needed > self._index.max_elements:
            self._index.resize_index(max(needed, int(self._index.max_elements * _GROWTH)))
        for id_ in self._deleted.intersection(ids.tolist()):
            self._index.unmark_deleted(id_)  # back, with its new vector just below
            self._deleted.discard(id_)
        # Deleted slots are not reused: a pool with deletions is rebuilt (missions.vector_pool).
        self._index.add_items(vectors, ids)

    def remove(self, ids: Ids) -> None:
        for id_ in np.asarray(ids, dtype=np.int64).tolist():
            if id_ in self._deleted:
                continue
            try:
                self._index.mark_deleted(id_)
            except RuntimeError:
                continue  # never added
            self._deleted.add(id_)

    def search(self, query: NDArray[np.float32], k: int) -> tuple[Ids, Scores]:
        k = min(k, len(self))
        if k == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        self._index.set_ef(max(self.ef_search, k))
        labels, distances = self._index.knn_query(query, k=k)
        # hnswlib's inner-product distance is 1 - dot.
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        """The graph in `path`, its description (and the caller's `extra`) beside it in
        `path.json`; each written aside and moved into place, so a crash never leaves half a
        file, and a pair that does not belong together is refused at load."""
        meta = {
            "dimension": self.dimension,
            "elements": int(self._index.element_count),
            "deleted": sorted(self._deleted),
            "extra": extra or {},
        }
        _atomic(path, lambda partial: self._index.save_index(str(partial)))
        _atomic(_meta(path), lambda partial: partial.write_text(json.dumps(meta)))

    @classmethod
    def load(cls, path: Path) -> tuple["AnnIndex", dict[str, Any]]:
        """The saved index and the caller's `extra`.

        Raises:
            MatchingError: missing, unreadable, or not the index its description describes.
        """
        import hnswlib

        try:
            meta = json.loads(_meta(path).read_text(encoding="utf-8"))
            dimension = int(meta["dimension"])
            graph = hnswlib.Index(space="ip", dim=dimension)
            graph.load_index(str(path))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
            raise MatchingError(f"cannot load the saved index {path}: {exc}") from exc
        if graph.element_count != meta["elements"]:
            raise MatchingError(
                f"the saved index {path} holds {graph.element_count} vectors but its "
                f"description says {meta['elements']}: it was not saved whole"
            )
        index = cls.__new__(cls)
        index.dimension, index.ef_search, index._index = dimension, HNSW_EF_SEARCH, graph
        index._deleted = set(meta["deleted"])
        graph.set_num_threads(os.cpu_count() or 1)
        return index, dict(meta["extra"])


def _meta(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
