"""The stored vectors of profiles and of needs, held in memory by each process as a search index
and kept in step with the database.

Every search first asks the database for the number of vectors and their latest change (one
aggregate query over an index). When that changed, only the vectors written since are loaded
(with an overlap, so a transaction that committed late is not missed) and upserted; fewer
vectors than before means deletions, and the pool is rebuilt. Several API workers over one
PostgreSQL therefore each see a new or edited profile on their next search, without a message
bus. Up to `exact_search_limit` vectors the index is exact; beyond, approximate (HNSW), saved in
`var/index/` so that a restart loads it and only catches up with what changed.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session

from matching.embedders import Vectors
from matching.errors import MatchingError
from matching.index import AnnIndex, VectorIndex, build_index
from models import queries
from models.queries.embeddings import Owner

log = logging.getLogger(__name__)

_OVERLAP = timedelta(minutes=1)  # re-read this far back: commits do not arrive in time order
_SAVE_EVERY = 1_000  # changes after which an approximate index is saved again

State = tuple[int, datetime | None]


@dataclass(frozen=True)
class Found:
    similarity: dict[int, float]  # the candidates and their cosines, best first
    reference: NDArray[np.float32]  # the query's cosines over the pool, or a sample of it


class VectorPool:
    def __init__(self, owner: Owner, model: str, *, exact_limit: int, folder: Path) -> None:
        self.owner, self.model = owner, model
        self._exact_limit = exact_limit
        self._path = folder / f"{owner}-{model}.hnsw"
        self._lock = threading.Lock()
        self._index: VectorIndex | None = None
        self._state: State = (0, None)
        self._unsaved = 0

    def _refresh(self, session: Session) -> None:
        """Called under the lock: a search never sees an index half updated."""
        state = queries.embeddings.vectors_state(session, self.owner, model=self.model)
        if self._index is not None and state == self._state:
            return
        if self._index is None and state[0] > self._exact_limit:
            self._load_saved()
        if self._index is None or state[0] < self._state[0]:
            self._rebuild(session, state)
        else:
            self._catch_up(session, state)

    def _rebuild(self, session: Session, state: State) -> None:
        ids, matrix = queries.embeddings.load_vectors(session, self.owner, model=self.model)
        dimension = matrix.shape[1] if matrix.size else 0
        index = build_index(dimension, state[0], exact_limit=self._exact_limit)
        if ids.size:
            index.upsert(ids, matrix)
        self._index, self._state = index, state
        self._save()
        log.info("%s vectors of %s: %d loaded", self.owner, self.model, ids.size)

    def _catch_up(self, session: Session, state: State) -> None:
        assert self._index is not None
        since = None if self._state[1] is None else self._state[1] - _OVERLAP
        ids, matrix = queries.embeddings.load_vectors(
            session, self.owner, model=self.model, since=since
        )
        if ids.size and matrix.shape[1] != self._index.dimension:
            self._rebuild(session, state)  # another model version with another dimension
            return
        if ids.size:
            self._index.upsert(ids, matrix)
        if len(self._index) != state[0] or (
            not self._index.approximate and state[0] > self._exact_limit
        ):
            self._rebuild(session, state)  # deletions we did not see, or it outgrew exact
            return
        self._state = state
        self._unsaved += int(ids.size)
        if self._unsaved >= _SAVE_EVERY:
            self._save()

    def _save(self) -> None:
        self._unsaved = 0
        assert self._index is not None
        count, latest = self._state
        self._index.save(
            self._path, {"count": count, "latest": latest.isoformat() if latest else None}
        )

    def _load_saved(self) -> None:
        """Starts from the saved approximate index, if there is a sound one; `refresh` then
        only catches up with what changed since it was saved."""
        try:
            index, saved = AnnIndex.load(self._path, exact_within=self._exact_limit)
        except MatchingError as exc:
            log.info("no usable saved index for %s vectors (%s): rebuilding", self.owner, exc)
            return
        latest = saved.get("latest")
        self._index = index
        self._state = (int(saved["count"]), datetime.fromisoformat(latest) if latest else None)

    def search(self, session: Session, query: Vectors, k: int, allowed: set[int] | None) -> Found:
        """The k most similar vectors among `allowed` (None: all), and the scale to calibrate."""
        with self._lock:
            self._refresh(session)
            index = self._index
            if index is None or len(index) == 0 or (allowed is not None and not allowed):
                return Found({}, np.empty(0, dtype=np.float32))
            ids = None if allowed is None else np.fromiter(allowed, np.int64, len(allowed))
            hits = index.search(query, k, ids)
        return Found(
            {int(i): float(s) for i, s in zip(hits.ids, hits.cosines, strict=True)}, hits.scale
        )
