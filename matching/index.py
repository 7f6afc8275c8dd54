"""Top-k search over unit vectors (dot product = cosine), by id, with inserts, updates and
deletes.

`ExactIndex` keeps one contiguous float32 matrix with some spare rows, so a search is one
matrix-vector product and one partial sort: the numpy floor plus bookkeeping. Beyond about
100,000 vectors, `AnnIndex` (an HNSW graph, hnswlib) answers in a millisecond or two with
recall@10 above 0.98 up to a million, and is saved to disk so that a restart loads it instead
of rebuilding it.
The library and its parameters were chosen by measurement: bench/ann_libraries.py and
bench/ranking_latency.py (bench/README.md).
"""

import json
import math
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.errors import MatchingError

Ids = NDArray[np.int64]
Matrix = NDArray[np.float32]
Scores = NDArray[np.float32]

EXACT_LIMIT = 100_000  # exact search stays within 1.5x the numpy floor and ~20 ms up to here
# Spare rows: a tenth at most, so that with the id map (~100 bytes an id) the exact index
# stays within 1.2x the raw vector bytes; ten copies of each row amortised over its growth.
_GROWTH = 1.1
# Graph degree: at 1M profiles M 16 did not reach recall@10 0.98 below ef_search 512, M 24 does
# at 256 with a graph 1.14x the raw vectors, M 32 at 192 but 1.18x (docs/performance.md).
HNSW_M = 24
HNSW_EF_CONSTRUCTION = 200
HNSW_EF_SEARCH = 384  # recall@10 0.996 at 1M, p95 under 2 ms (bench/ranking_latency.py)
SCALE_SAMPLE = 5_000  # vectors an approximate index keeps to give a query's scale


class Hits(NamedTuple):
    """What a search finds: the ids and their cosines, best first, and the query's cosines over
    the whole index (exact) or a fixed sample of it (approximate): the scale a similarity is
    calibrated on (`matching.scoring.semantic_signal`)."""

    ids: Ids
    cosines: Scores
    scale: Scores


class VectorIndex(Protocol):
    """Cosine top-k by id over L2-normalised float32 vectors."""

    dimension: int
    approximate: bool  # worth saving: rebuilding it from the vectors takes minutes

    def __len__(self) -> int: ...

    def upsert(self, ids: Ids, vectors: Matrix) -> None: ...

    def remove(self, ids: Ids) -> None: ...

    def search(self, query: NDArray[np.float32], k: int, allowed: Ids | None = None) -> Hits:
        """The k ids most similar to the query among `allowed` (None: all), best first."""
        ...

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None: ...


def _batch(ids: Ids, vectors: Matrix, dimension: int) -> tuple[Ids, Matrix]:
    """Checked arrays; an id named twice keeps its last vector, as one upsert after another
    would."""
    ids = np.asarray(ids, dtype=np.int64).reshape(-1)
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape != (ids.size, dimension):
        raise MatchingError(
            f"expected {ids.size} vectors of dimension {dimension}, got shape {vectors.shape}"
        )
    if np.unique(ids).size != ids.size:
        _, first_from_end = np.unique(ids[::-1], return_index=True)
        keep = np.sort(ids.size - 1 - first_from_end)
        ids, vectors = ids[keep], vectors[keep]
    return ids, vectors


def _query(query: NDArray[np.float32], dimension: int) -> NDArray[np.float32]:
    query = np.asarray(query, dtype=np.float32)
    if query.shape != (dimension,):
        raise MatchingError(f"expected a query of dimension {dimension}, got shape {query.shape}")
    return query


def _empty() -> tuple[Ids, Scores]:
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)


def _top(ids: Ids, sims: Scores, k: int) -> tuple[Ids, Scores]:
    """The k best of these, best first (a partial sort, then a sort of k)."""
    if k <= 0:
        return _empty()
    if k < sims.size:
        top = np.argpartition(sims, sims.size - k)[sims.size - k :]  # no negated copy
        ids, sims = ids[top], sims[top]
    order = np.argsort(-sims, kind="stable")
    return ids[order], sims[order]


def _allowed(allowed: Ids | None) -> Ids | None:
    return None if allowed is None else np.asarray(allowed, dtype=np.int64).reshape(-1)


class ExactIndex:
    """Exact cosine top-k over one contiguous float32 matrix.

    Args:
        dimension: length of every vector.
        capacity: rows to reserve at once (e.g. the number about to be loaded).
    """

    approximate = False

    def __init__(self, dimension: int, *, capacity: int = 0) -> None:
        self.dimension = dimension
        self._matrix: Matrix = np.empty((capacity, dimension), dtype=np.float32)
        self._ids: Ids = np.empty(capacity, dtype=np.int64)
        self._rows: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def nbytes(self) -> int:
        """The arrays' bytes, spare rows included (the id map is not counted)."""
        return self._matrix.nbytes + self._ids.nbytes

    def upsert(self, ids: Ids, vectors: Matrix) -> None:
        """Inserts new ids, replaces the vectors of known ones."""
        ids, vectors = _batch(ids, vectors, self.dimension)
        rows = np.fromiter((self._rows.get(i, -1) for i in ids.tolist()), np.int64, ids.size)
        new = rows < 0
        size, added = len(self._rows), int(np.count_nonzero(new))
        if size + added > self._matrix.shape[0]:
            self._grow(size + added)
        rows[new] = np.arange(size, size + added)
        self._ids[size : size + added] = ids[new]
        self._rows.update(zip(ids[new].tolist(), range(size, size + added), strict=True))
        self._matrix[rows] = vectors

    def _grow(self, needed: int) -> None:
        capacity = max(needed, math.ceil(self._matrix.shape[0] * _GROWTH))
        size = len(self._rows)
        matrix = np.empty((capacity, self.dimension), dtype=np.float32)
        matrix[:size] = self._matrix[:size]
        ids = np.empty(capacity, dtype=np.int64)
        ids[:size] = self._ids[:size]
        self._matrix, self._ids = matrix, ids

    def remove(self, ids: Ids) -> None:
        """Forgets the given ids; unknown ones are ignored."""
        for id_ in np.asarray(ids, dtype=np.int64).reshape(-1).tolist():
            row = self._rows.pop(id_, None)
            if row is None:
                continue
            last = len(self._rows)  # the last row fills the hole: rows stay contiguous
            if row != last:
                moved = int(self._ids[last])
                self._matrix[row], self._ids[row] = self._matrix[last], moved
                self._rows[moved] = row

    def scores(self, query: NDArray[np.float32]) -> tuple[Ids, Scores]:
        """Every id with its cosine to the query, in storage order.

        The ids are a read-only view: valid until the next upsert or remove.
        """
        size = len(self._rows)
        ids = self._ids[:size]
        ids.flags.writeable = False
        sims: Scores = self._matrix[:size] @ _query(query, self.dimension)
        return ids, sims

    def search(self, query: NDArray[np.float32], k: int, allowed: Ids | None = None) -> Hits:
        """The k ids most similar to the query among `allowed` (None: all; all of them if
        fewer), best first, and the query's cosines over the whole index."""
        ids, sims = self.scores(query)
        scale, allowed = sims, _allowed(allowed)
        if allowed is not None:
            keep = np.isin(ids, allowed)
            ids, sims = ids[keep], sims[keep]
        return Hits(*_top(ids, sims, k), scale)

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        """Nothing to save: an exact index is rebuilt from its vectors in milliseconds."""


class AnnIndex:
    """Approximate cosine top-k (HNSW graph, hnswlib), persistent, with replace and delete.

    Args:
        dimension: length of every vector.
        capacity: vectors to reserve room for at once.
        ef_search: candidates kept while searching; more is slower and finds more.
        threads: threads to insert with (searches use one: a request is one query).
        exact_within: a search among at most this many allowed ids is exact over their
            vectors, rather than hoping the approximate neighbours include enough of them.
    """

    approximate = True

    def __init__(
        self,
        dimension: int,
        *,
        capacity: int = 1024,
        ef_search: int = HNSW_EF_SEARCH,
        threads: int | None = None,
        exact_within: int = EXACT_LIMIT,
    ) -> None:
        import hnswlib  # a C++ extension: only processes past the exact limit load it

        self.dimension = dimension
        self.ef_search = ef_search
        self.exact_within = exact_within
        self.threads = threads or os.cpu_count() or 1
        self._scale: Matrix | None = None
        self._graph = hnswlib.Index(space="ip", dim=dimension)
        self._graph.init_index(
            max_elements=max(capacity, 16), M=HNSW_M, ef_construction=HNSW_EF_CONSTRUCTION
        )
        # hnswlib keeps a deleted vector in the graph, marked, and its slot; re-adding the id
        # revives it in place.
        self._deleted: set[int] = set()

    def __len__(self) -> int:
        return int(self._graph.element_count) - len(self._deleted)

    def upsert(self, ids: Ids, vectors: Matrix) -> None:
        """Inserts new ids, replaces the vectors of known (or removed) ones."""
        ids, vectors = _batch(ids, vectors, self.dimension)
        needed = self._graph.element_count + ids.size  # known ids need less: harmless slack
        if needed > self._graph.max_elements:
            self._graph.resize_index(max(needed, math.ceil(self._graph.max_elements * _GROWTH)))
        self._graph.add_items(vectors, ids, num_threads=self.threads)
        self._deleted.difference_update(ids.tolist())

    def remove(self, ids: Ids) -> None:
        """Hides the given ids from searches; unknown ones are ignored."""
        for id_ in np.asarray(ids, dtype=np.int64).reshape(-1).tolist():
            if id_ in self._deleted:
                continue
            try:
                self._graph.mark_deleted(id_)
            except RuntimeError:  # never added
                continue
            self._deleted.add(id_)

    def search(self, query: NDArray[np.float32], k: int, allowed: Ids | None = None) -> Hits:
        """The k ids most similar to the query among `allowed` (None: all; all of them if
        fewer), best first, and the query's cosines over a fixed sample of the index."""
        query = _query(query, self.dimension)
        if self._scale is None:
            # A scale, not a census: drawn once, it stays while vectors come and go.
            self._scale = self.sample(SCALE_SAMPLE)
        scale: Scores = self._scale @ query
        allowed = _allowed(allowed)
        if allowed is not None and allowed.size <= self.exact_within:
            return Hits(*self._exact_among(query, k, allowed), scale)
        ids, sims = self._approximate(query, k if allowed is None else 4 * k)
        if allowed is not None:
            keep = np.isin(ids, allowed)
            ids, sims = ids[keep][:k], sims[keep][:k]
        return Hits(ids, sims, scale)

    def _exact_among(self, query: NDArray[np.float32], k: int, allowed: Ids) -> tuple[Ids, Scores]:
        labels = np.unique(allowed)
        if self._deleted:  # hnswlib still gives a removed label's vector
            labels = labels[~np.isin(labels, np.fromiter(self._deleted, np.int64))]
        try:
            vectors = np.asarray(self._graph.get_items(labels), dtype=np.float32)
        except RuntimeError:  # some have no vector (or a removed one): those that do
            labels = np.fromiter((i for i in labels.tolist() if self._holds(i)), np.int64)
            if labels.size == 0:
                return _empty()
            vectors = np.asarray(self._graph.get_items(labels), dtype=np.float32)
        return _top(labels, vectors @ query, k)

    def _holds(self, label: int) -> bool:
        try:
            self._graph.get_items([label])
        except RuntimeError:
            return False
        return True

    def _approximate(self, query: NDArray[np.float32], k: int) -> tuple[Ids, Scores]:
        k = min(k, len(self))
        if k <= 0:
            return _empty()
        # Deleted vectors are walked through but never returned: widen the search by their
        # share, so that k live ones come back with the recall measured without deletions.
        ef = max(self.ef_search, k) * self._graph.element_count / len(self)
        try:
            self._graph.set_ef(math.ceil(ef))
            labels, distances = self._graph.knn_query(query, k=k, num_threads=1)
        except RuntimeError:  # fewer than k reached in a graph thinned by deletions
            self._graph.set_ef(self._graph.element_count)
            labels, distances = self._graph.knn_query(query, k=k, num_threads=1)
        # hnswlib's inner-product distance is 1 - dot.
        return labels[0].astype(np.int64), (1.0 - distances[0]).astype(np.float32)

    def sample(self, size: int, *, seed: int = 0) -> Matrix:
        """Up to `size` of the stored vectors, drawn at random (the scale of similarities)."""
        labels = np.asarray(self._graph.get_ids_list(), dtype=np.int64)
        if self._deleted:
            labels = labels[~np.isin(labels, np.fromiter(self._deleted, np.int64))]
        if labels.size > size:
            labels = np.sort(np.random.default_rng(seed).choice(labels, size, replace=False))
        if labels.size == 0:
            return np.empty((0, self.dimension), dtype=np.float32)
        return np.asarray(self._graph.get_items(labels), dtype=np.float32)

    def save(self, path: Path, extra: dict[str, Any] | None = None) -> None:
        """Saves the index to `path` (a small description) and a graph file beside it.

        The graph goes to a new file first; replacing the description is the one atomic
        step, so a crash leaves the previous save whole. `extra` (JSON) comes back at load.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        graph = path.with_name(f"{path.name}.{uuid.uuid4().hex}.graph")
        previous = _previous_graph(path)
        meta = {
            "dimension": self.dimension,
            "graph": graph.name,
            "elements": int(self._graph.element_count),
            "deleted": sorted(self._deleted),
            "extra": extra or {},
        }
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".partial")
        try:
            self._graph.save_index(str(graph))
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(meta, file)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            graph.unlink(missing_ok=True)
            raise
        if previous is not None:
            previous.unlink(missing_ok=True)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        dimension: int | None = None,
        ef_search: int = HNSW_EF_SEARCH,
        exact_within: int = EXACT_LIMIT,
    ) -> tuple["AnnIndex", dict[str, Any]]:
        """The index saved at `path`, and the `extra` saved with it.

        Args:
            path: what `save` was given.
            dimension: the dimension expected, if known.
            ef_search, exact_within: as in the constructor.

        Raises:
            MatchingError: the files are missing, unreadable, of another dimension, or do not
                belong together.
        """
        import hnswlib

        try:
            meta = json.loads(path.read_text(encoding="utf-8"))
            saved, graph_path = int(meta["dimension"]), path.with_name(str(meta["graph"]))
            deleted, extra = {int(i) for i in meta["deleted"]}, dict(meta["extra"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MatchingError(f"cannot read the saved index {path}: {exc}") from exc
        if dimension is not None and saved != dimension:
            raise MatchingError(
                f"the saved index {path} holds vectors of dimension {saved}, not {dimension}"
            )
        graph = hnswlib.Index(space="ip", dim=saved)
        try:
            graph.load_index(str(graph_path))
        except (OSError, RuntimeError) as exc:
            raise MatchingError(f"cannot load the saved graph {graph_path}: {exc}") from exc
        if graph.element_count != meta["elements"]:
            raise MatchingError(f"the saved graph {graph_path} does not match {path}")
        index = cls.__new__(cls)
        index.dimension, index.ef_search, index.threads = saved, ef_search, os.cpu_count() or 1
        index.exact_within, index._scale = exact_within, None
        index._graph, index._deleted = graph, deleted
        return index, extra


def _previous_graph(path: Path) -> Path | None:
    try:
        return path.with_name(str(json.loads(path.read_text(encoding="utf-8"))["graph"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def build_index(
    dimension: int,
    expected_size: int,
    *,
    exact_limit: int = EXACT_LIMIT,
    ef_search: int = HNSW_EF_SEARCH,
) -> ExactIndex | AnnIndex:
    """An empty index fit for `expected_size` vectors: exact up to `exact_limit`, approximate
    beyond, with room reserved for them."""
    if expected_size <= exact_limit:
        return ExactIndex(dimension, capacity=expected_size)
    return AnnIndex(
        dimension, capacity=expected_size, ef_search=ef_search, exact_within=exact_limit
    )
