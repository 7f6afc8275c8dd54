"""The labelled training bank of the e-CF reader: enough texts for every competence in French
and English, levels in range, written apart from the evaluation set, no templated near-copies."""

import json
from collections import Counter

import numpy as np
import pytest

from matching import load_ecf
from matching.ecf_model import Labelled, load_bank
from tests.conftest import DATA_DIR

# Character 4-gram TF-IDF cosine above which two texts are near-copies (a template with a noun
# changed scores about 0.9; two texts on one subject written apart, under 0.6).
NEAR_COPY = 0.8


@pytest.fixture(scope="module")
def bank() -> list[Labelled]:
    return load_bank(DATA_DIR, load_ecf(DATA_DIR))


def test_every_competence_has_twenty_texts_in_each_language(bank: list[Labelled]) -> None:
    counts = Counter((code, b.lang) for b in bank for code, _ in b.labels[:1])
    for competence in load_ecf(DATA_DIR).competences:
        for lang in ("fr", "en"):
            assert counts[competence.code, lang] >= 20, (competence.code, lang)
    assert len(bank) >= 1640
    assert {b.kind for b in bank} == {"need", "profile"}
    assert len({b.id for b in bank}) == len(bank)


def _max_similarity(texts: list[str], others: list[str] | None = None) -> tuple[float, int, int]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 4), sublinear_tf=True)
    matrix = vectorizer.fit_transform(texts + (others or []))
    a = matrix[: len(texts)]
    b = matrix[len(texts) :] if others else a
    sims = (a @ b.T).toarray()
    if others is None:
        np.fill_diagonal(sims, 0.0)
    i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
    return float(sims[i, j]), int(i), int(j)


def test_no_templated_near_copies_in_the_bank(bank: list[Labelled]) -> None:
    texts = [b.text for b in bank]
    found, i, j = _max_similarity(texts)
    assert found < NEAR_COPY, (found, texts[i], texts[j])


def test_the_bank_is_written_apart_from_the_evaluation_set(bank: list[Labelled]) -> None:
    data = json.loads((DATA_DIR / "eval" / "matching_fr_en.json").read_text(encoding="utf-8"))
    evaluation = [n["text"] for n in data["needs"]] + [p["text"] for p in data["profiles"]]
    sentences = json.loads(
        (DATA_DIR / "eval" / "esco" / "sentences_test_fr_en.json").read_text(encoding="utf-8")
    )["sentences"]
    evaluation += [s["text"] for s in sentences]
    found, i, j = _max_similarity([b.text for b in bank], evaluation)
    assert found < NEAR_COPY, (found, bank[i].text, evaluation[j])
