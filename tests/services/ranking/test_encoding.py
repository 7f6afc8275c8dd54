"""Stored embeddings follow the texts: encoded once, re-encoded only when a text changes."""

import numpy as np
import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from matching.competences import INFERRED_MIN_SCORE
from matching.embedders import SentenceTransformerEmbedder
from models import ClaimSource, queries
from models.tables import CompetenceClaim
from services.ranking import encoding
from services.ranking.inference import Inference
from services.runtime import get_suggester
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


def test_competences_are_inferred_with_the_encoding_and_follow_the_text(
    session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    suggester = get_suggester()
    profile = make_profile(
        session,
        headline="Administrateur systèmes et réseaux",
        about="Je gère les serveurs Linux, les sauvegardes et le réseau d'une PME depuis dix ans; "
        "je réponds aux incidents et je forme les utilisateurs au support.",
    )
    need = make_need(session, description="Notre site est vieux et illisible sur téléphone.")
    session.commit()
    encoding.sync_embeddings(session, embedder, after_batch=Inference(session, suggester))
    assert profile.id is not None
    assert need.id is not None

    claims = queries.matching.claim_statements(session, [profile.id])[profile.id]
    assert claims
    assert all(source == ClaimSource.INFERRED for *_, source, _ in claims)
    assert all(INFERRED_MIN_SCORE <= (confidence or 0) <= 1 for *_, confidence in claims)
    assert queries.matching.requirement_statements(session, [need.id])[need.id]

    profile.headline, profile.about = "Graphiste", "Je dessine des logos et des affiches."
    session.add(profile)
    session.commit()
    encoding.sync_embeddings(session, embedder, after_batch=Inference(session, suggester))
    again = queries.matching.claim_statements(session, [profile.id])[profile.id]
    assert {code for _, code, *_ in again} != {code for _, code, *_ in claims}


def test_a_new_reader_infers_again_what_an_older_one_read(
    session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    suggester = get_suggester()
    profiles = [
        make_profile(session, about="Je maintiens le site WordPress de trois associations."),
        make_profile(session, about="I keep our office laptops and the wifi running."),
    ]
    session.commit()
    encoding.sync_embeddings(session, embedder, after_batch=Inference(session, suggester))
    # As if the first profile had been read by an earlier bank or setting of the reader.
    session.execute(
        sa.update(CompetenceClaim)
        .where(col(CompetenceClaim.profile_id) == profiles[0].id)
        .values(inferred_by="ecf-lr-000000000000")
    )
    session.commit()

    again = encoding.sync_embeddings(session, embedder, after_batch=Inference(session, suggester))
    assert (again["profile"].encoded, again["profile"].unchanged) == (1, 1)
    versions = session.execute(
        sa.select(col(CompetenceClaim.profile_id), col(CompetenceClaim.inferred_by)).distinct()
    ).all()
    assert sorted(versions) == sorted((p.id, suggester.version) for p in profiles)
    # Without a reader, only the texts and the model count.
    plain = encoding.sync_embeddings(session, embedder)
    assert (plain["profile"].encoded, plain["need"].encoded) == (0, 0)
