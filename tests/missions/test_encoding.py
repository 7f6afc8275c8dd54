"""Stored embeddings follow the texts: encoded once, re-encoded only when a text changes."""

import numpy as np
import pytest
from sqlmodel import Session

from matching.embedders import SentenceTransformerEmbedder
from missions import encoding
from models import queries
from tests.factories import make_need, make_profile

pytestmark = pytest.mark.model


def test_encode_once_then_only_what_changed(
    session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    profiles = [make_profile(session, about=f"I build websites, project {n}.") for n in range(3)]
    make_need(session, description="Notre site est vieux.")
    session.commit()
    seen: list[int] = []
    first = encoding.sync_embeddings(session, embedder, batch_size=2, progress=seen.append)
    assert (first["profile"].encoded, first["need"].encoded) == (3, 1)
    assert sum(seen) == 4

    again = encoding.sync_embeddings(session, embedder)
    assert (again["profile"].encoded, again["need"].encoded) == (0, 0)

    profiles[1].about = "I teach older people to use their smartphones."
    session.add(profiles[1])
    session.commit()
    changed = encoding.sync_embeddings(session, embedder)
    assert (changed["profile"].encoded, changed["profile"].unchanged) == (1, 2)

    ids, matrix = queries.embeddings.load_vectors(session, "profile", model=embedder.name)
    assert list(ids) == [p.id for p in profiles]
    expected = embedder.encode_documents([f"{p.headline}. {p.about}" for p in profiles])
    assert np.allclose(matrix, expected, atol=1e-5)
    count, latest = queries.embeddings.vectors_state(session, "profile", model=embedder.name)
    assert count == 3
    assert latest is not None
