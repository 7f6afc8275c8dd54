"""Stored embeddings: what is stale, writing vectors, reading them back as a matrix."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

import numpy as np
import sqlalchemy as sa
from numpy.typing import NDArray
from sqlmodel import Session, col

from models.enums import ClaimSource
from models.tables import (
    CompetenceClaim,
    Need,
    NeedEmbedding,
    NeedRequirement,
    ProfileEmbedding,
    VolunteerProfile,
    metadata,
)
from models.types import utcnow

# (id, text parts, stored text hash, stored model version, version of the reader that inferred
# its stored competences; each None when there is none)
TextRow = tuple[int, tuple[str, ...], str | None, str | None, str | None]


def _reader_version(
    table: type[CompetenceClaim] | type[NeedRequirement], key: Any, owner: Any
) -> sa.ScalarSelect[str | None]:
    """The reader version of the owner's inferred statements (one per text: replaced together)."""
    return (
        sa.select(sa.func.max(col(table.inferred_by)))
        .where(col(key) == owner, col(table.source) == ClaimSource.INFERRED)
        .scalar_subquery()
    )


def profile_texts(session: Session, model: str) -> list[TextRow]:
    statement = (
        sa.select(
            col(VolunteerProfile.id),
            col(VolunteerProfile.headline),
            col(VolunteerProfile.about),
            col(ProfileEmbedding.text_sha256),
            col(ProfileEmbedding.model_version),
            _reader_version(
                CompetenceClaim, col(CompetenceClaim.profile_id), col(VolunteerProfile.id)
            ),
        )
        .outerjoin(
            ProfileEmbedding,
            sa.and_(
                col(ProfileEmbedding.profile_id) == col(VolunteerProfile.id),
                col(ProfileEmbedding.model) == model,
            ),
        )
        .order_by(col(VolunteerProfile.id))
    )
    return [
        (int(id_), (headline, about), sha, version, reader)
        for id_, headline, about, sha, version, reader in session.execute(statement)
        if id_ is not None
    ]


def need_texts(session: Session, model: str) -> list[TextRow]:
    statement = (
        sa.select(
            col(Need.id),
            col(Need.title),
            col(Need.description),
            col(Need.deliverable),
            col(NeedEmbedding.text_sha256),
            col(NeedEmbedding.model_version),
            _reader_version(NeedRequirement, col(NeedRequirement.need_id), col(Need.id)),
        )
        .outerjoin(
            NeedEmbedding,
            sa.and_(col(NeedEmbedding.need_id) == col(Need.id), col(NeedEmbedding.model) == model),
        )
        .order_by(col(Need.id))
    )
    return [
        (int(id_), (title, description, deliverable), sha, version, reader)
        for id_, title, description, deliverable, sha, version, reader in session.execute(statement)
        if id_ is not None
    ]


Owner = Literal["profile", "need"]


def _table(owner: Owner) -> tuple[sa.Table, sa.Column[int]]:
    """The Core table of that owner's vectors and its owner-id column."""
    table = metadata.tables[f"{owner}_embedding"]
    return table, table.c[f"{owner}_id"]


def save_vectors(
    session: Session,
    owner: Owner,
    rows: Sequence[tuple[int, str]],
    vectors: NDArray[np.float32],
    *,
    model: str,
    model_version: str,
) -> None:
    """Stores one vector per (owner id, text hash) for this model, replacing the old one."""
    table, owner_id = _table(owner)
    session.execute(
        sa.delete(table).where(owner_id.in_([id_ for id_, _ in rows]), table.c.model == model)
    )
    now = utcnow()
    session.execute(
        sa.insert(table),
        [
            {
                owner_id.name: id_,
                "model": model,
                "model_version": model_version,
                "text_sha256": sha,
                "dimension": int(vector.shape[0]),
                "vector": np.ascontiguousarray(vector, dtype="<f4").tobytes(),
                "updated_at": now,
            }
            for (id_, sha), vector in zip(rows, vectors, strict=True)
        ],
    )


def load_vectors(
    session: Session, owner: Owner, *, model: str, since: datetime | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Ids and an (n, dim) float32 matrix of the stored vectors, in id order."""
    table, owner_id = _table(owner)
    statement = sa.select(owner_id, table.c.vector).where(table.c.model == model)
    if since is not None:
        statement = statement.where(table.c.updated_at > since)
    rows = session.execute(statement.order_by(owner_id)).all()
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty((0, 0), dtype=np.float32)
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype="<f4").reshape(len(rows), -1)
    return ids, matrix.astype(np.float32, copy=True)


def vectors_state(session: Session, owner: Owner, *, model: str) -> tuple[int, datetime | None]:
    """How many vectors and the latest change: cheap to poll, tells a worker to refresh."""
    table, _ = _table(owner)
    count, latest = session.execute(
        sa.select(sa.func.count(), sa.func.max(table.c.updated_at)).where(table.c.model == model)
    ).one()
    return int(count), latest


def stored_vector(
    session: Session, owner: Owner, owner_id: int, *, model: str
) -> tuple[str, str, bytes] | None:
    """The stored (text hash, model version, vector bytes) of one profile or need, if any."""
    table, owner_column = _table(owner)
    row = session.execute(
        sa.select(table.c.text_sha256, table.c.model_version, table.c.vector).where(
            owner_column == owner_id, table.c.model == model
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def vectors_of(
    session: Session, owner: Owner, owner_ids: Sequence[int], *, model: str
) -> dict[int, NDArray[np.float32]]:
    """The stored vectors of a few profiles or needs, by id."""
    table, owner_column = _table(owner)
    rows = session.execute(
        sa.select(owner_column, table.c.vector).where(
            owner_column.in_(owner_ids), table.c.model == model
        )
    )
    return {int(id_): np.frombuffer(blob, dtype="<f4").astype(np.float32) for id_, blob in rows}
