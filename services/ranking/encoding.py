"""Keeping the stored embeddings of profiles and needs in step with their texts.

Long work: it goes in batches, commits after each one (an interruption loses at most one batch,
and a re-run carries on where it stopped) and reports progress to the caller.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session

from matching.embedders import Embedder, Vectors
from models import queries
from models.queries.embeddings import Owner

Progress = Callable[[int], object]  # told how many texts were just encoded


class AfterBatch(Protocol):
    """Told each encoded batch before it is committed (`services.ranking.inference.Inference`)."""

    # The reader it infers with: a text whose stored inferences another version made is done
    # again, as if its text had changed (a new training bank or setting changes the reading).
    version: str

    def __call__(self, owner: Owner, rows: list[tuple[int, str]], vectors: Vectors) -> None: ...


@dataclass(frozen=True)
class EncodeReport:
    encoded: int
    unchanged: int


@dataclass(frozen=True)
class _Stale:
    owner: Owner
    rows: list[tuple[int, str, str]]  # id, text, text hash
    total: int


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def profile_text(headline: str, about: str) -> str:
    """What is encoded for a volunteer."""
    return f"{headline}. {about}"


def need_text(title: str, description: str, deliverable: str) -> str:
    """What is encoded for a need."""
    return " ".join(part for part in (f"{title}.", description, deliverable) if part)


def _text(owner: Owner, parts: tuple[str, ...]) -> str:
    return profile_text(*parts) if owner == "profile" else need_text(*parts)


def _stale(session: Session, embedder: Embedder, owner: Owner, reader: str | None) -> _Stale:
    read = queries.embeddings.profile_texts if owner == "profile" else queries.embeddings.need_texts
    rows = [
        (id_, _text(owner, parts), sha, version, inferred_by)
        for id_, parts, sha, version, inferred_by in read(session, embedder.name)
    ]
    stale = [
        (id_, text, text_sha256(text))
        for id_, text, sha, version, inferred_by in rows
        if sha != text_sha256(text)
        or version != embedder.version
        or (reader is not None and inferred_by != reader)
    ]
    # Texts of like length in one batch: less padding, as the model's own encode does over all
    # texts at once (bench/encoding.py measures the difference).
    stale.sort(key=lambda row: len(row[1]))
    return _Stale(owner, stale, len(rows))


def _encode(embedder: Embedder, owner: Owner, texts: list[str], batch_size: int) -> Vectors:
    # A need is what we search with (a query); a profile is what we search in (a document).
    if owner == "need":
        return embedder.encode_queries(texts, batch_size=batch_size)
    return embedder.encode_documents(texts, batch_size=batch_size)


def sync_embeddings(
    session: Session,
    embedder: Embedder,
    *,
    batch_size: int = 64,
    on_total: Callable[[int], None] | None = None,
    progress: Progress | None = None,
    after_batch: AfterBatch | None = None,
) -> dict[Owner, EncodeReport]:
    """Encodes every profile and need whose text or model version changed since it was stored
    (and, with `after_batch`, infers their competences in the same transaction, and does again
    those another version of the reader inferred)."""
    reader = None if after_batch is None else after_batch.version
    work = [_stale(session, embedder, "profile", reader), _stale(session, embedder, "need", reader)]
    if on_total is not None:
        on_total(sum(len(item.rows) for item in work))
    for item in work:
        for start in range(0, len(item.rows), batch_size):
            batch = item.rows[start : start + batch_size]
            vectors = _encode(embedder, item.owner, [text for _, text, _ in batch], batch_size)
            queries.embeddings.save_vectors(
                session,
                item.owner,
                [(id_, sha) for id_, _, sha in batch],
                vectors,
                model=embedder.name,
                model_version=embedder.version,
            )
            if after_batch is not None:
                after_batch(item.owner, [(id_, text) for id_, text, _ in batch], vectors)
            session.commit()
            if progress is not None:
                progress(len(batch))
    return {item.owner: EncodeReport(len(item.rows), item.total - len(item.rows)) for item in work}


def refresh_one(
    session: Session,
    embedder: Embedder,
    owner: Owner,
    owner_id: int,
    text: str,
    *,
    after_batch: AfterBatch | None = None,
) -> None:
    """Encodes one profile or need just saved (a page's save), so that it is matchable at once
    instead of at the next `probono embed`; commits."""
    vectors = _encode(embedder, owner, [text], 1)
    queries.embeddings.save_vectors(
        session,
        owner,
        [(owner_id, text_sha256(text))],
        vectors,
        model=embedder.name,
        model_version=embedder.version,
    )
    if after_batch is not None:
        after_batch(owner, [(owner_id, text)], vectors)
    session.commit()
