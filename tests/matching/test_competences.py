"""Competence inference on French and English texts, with the real model."""

import pytest

from matching import load_ecf
from matching.competences import CompetenceSuggester, expected_level
from matching.errors import MatchingError
from missions.runtime import get_suggester
from tests.conftest import DATA_DIR

ECF = {c.code: c for c in load_ecf(DATA_DIR).competences}


def test_seniority_cues() -> None:
    assert expected_level("12 ans d'expérience en développement") == 4.0
    assert expected_level("3 years of experience") == 2.0
    assert expected_level("Étudiante en informatique") == 1.5
    assert expected_level("Lead developer") == 3.5
    assert expected_level("J'aime aider") is None


@pytest.fixture(scope="module")
def suggester() -> CompetenceSuggester:
    return get_suggester()


@pytest.mark.model
def test_french_and_english_texts_get_in_range_levels(suggester: CompetenceSuggester) -> None:
    texts = [
        "Notre site internet date de 2012 et nous voudrions le refaire, avec un formulaire "
        "d'inscription pour les familles.",
        "Senior data engineer with 12 years of experience building data pipelines and dashboards.",
    ]
    website, engineer = suggester.suggest(texts, top_k=10)
    for found in (website, engineer):
        assert len(found.ecf) == 10
        assert len(found.esco) == 10
        for suggestion in found.ecf:
            competence = ECF[suggestion.code]
            assert suggestion.level is not None
            assert competence.level_min is not None
            assert competence.level_max is not None
            assert competence.level_min <= suggestion.level <= competence.level_max
            assert 0.0 <= suggestion.score <= 1.0
        assert all(
            s.uri and s.uri.startswith("http://data.europa.eu/esco/skill/") for s in found.esco
        )
        assert [s.score for s in found.ecf] == sorted((s.score for s in found.ecf), reverse=True)
    assert {"B.1", "B.4", "A.6"} & {s.code for s in website.ecf[:3]}
    assert engineer.ecf[0].code == "D.7"
    assert engineer.ecf[0].level is not None
    assert engineer.ecf[0].level >= 3  # "senior", "12 years"
    assert any("data" in s.label for s in engineer.esco[:3])


@pytest.mark.model
def test_digcomp_appears_for_training_needs_only(suggester: CompetenceSuggester) -> None:
    training, website = suggester.suggest(
        [
            "Nous voudrions former nos bénévoles à aider les personnes âgées à utiliser leur "
            "smartphone et à faire leurs démarches administratives en ligne.",
            "We need a developer to rebuild our website in WordPress.",
        ]
    )
    assert training.digcomp
    assert not website.digcomp


def test_misuse_is_a_clear_error() -> None:
    unfitted = CompetenceSuggester.__new__(CompetenceSuggester)
    with pytest.raises(MatchingError, match="fit"):
        unfitted.suggest(["x"])
