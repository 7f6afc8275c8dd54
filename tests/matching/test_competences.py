"""Competence inference on French and English texts, with the real model."""

import pytest

from matching import load_ecf
from matching.competences import CompetenceSuggester, inferred_statements
from matching.errors import MatchingError
from matching.reading import clauses, cues, has_scope
from services.runtime import get_suggester
from tests.conftest import DATA_DIR

ECF = {c.code: c for c in load_ecf(DATA_DIR).competences}


def test_seniority_and_scope_cues() -> None:
    assert cues("12 ans d'expérience en développement") == (0.6, 0.0, 0.0, 0.0)
    assert cues("Lead developer, 30 years") == (1.0, 1.0, 0.0, 0.0)
    assert cues("Étudiante en informatique")[2] == 1.0
    assert cues("J'aime aider") == (0.0, 0.0, 0.0, 0.0)
    assert has_scope("Notre fédération regroupe 60 antennes")
    assert has_scope("for a group of 2,000 employees")
    assert not has_scope("Notre petite association de quartier")


def test_a_text_is_read_clause_by_clause() -> None:
    assert clauses(
        "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une newsletter"
    ) == ["notre site est vieux", "on ne sait pas le mettre à jour", "on voudrait une newsletter"]
    # Short pieces stay with their neighbour: tools named in a list are one idea.
    assert clauses("I know Word and Excel. We also need a new website for our club.") == [
        "I know Word and Excel",
        "We also need a new website for our club",
    ]
    assert clauses("Bonjour") == []


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
    # A known weakness (docs/matching-quality.md): this short text reads as marketing first.
    assert {"B.1", "B.4", "A.6"} & {s.code for s in website.ecf[:5]}
    assert engineer.ecf[0].code == "D.7"
    assert engineer.ecf[0].level is not None
    assert engineer.ecf[0].level >= 3  # "senior", "12 years"
    assert any("data" in s.label for s in engineer.esco[:3])


@pytest.mark.model
def test_a_need_asking_two_things_gets_both_at_a_small_association_level(
    suggester: CompetenceSuggester,
) -> None:
    """The issue's own example: a website and a newsletter, at e-2/e-3, with ESCO skills
    about websites and newsletters; the same need in English finds the same."""
    french, english = suggester.suggest(
        [
            "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une "
            "newsletter",
            "our website is old and nobody knows how to update it, and we would like a newsletter",
        ],
        top_k=10,
        role="need",
    )
    for found in (french, english):
        top = {s.code: s.level for s in found.ecf[:4]}
        assert {"B.1", "D.6"} <= set(top) or {"B.4", "D.6"} <= set(top), top
        assert all(level in (2, 3) for code, level in top.items() if code in {"B.1", "D.6"})
        labels = " ".join(s.label for s in found.esco).lower()
        assert "web" in labels or "online" in labels
        assert "newsletter" in labels or "e-mail" in labels or "email" in labels


@pytest.mark.model
def test_the_need_stores_both_asks_as_requirements(suggester: CompetenceSuggester) -> None:
    """What a need keeps as its inferred requirements: the issue's example states the website in
    one clause only, and that ask must not fall under the threshold."""
    (found,) = suggester.suggest(
        ["notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une newsletter"],
        top_k=10,
        role="need",
    )
    stored = {s.code for s in inferred_statements(found, role="need")}
    assert "ecf:D.6" in stored
    assert stored & {"ecf:B.1", "ecf:B.4"}, stored


@pytest.mark.model
def test_the_reader_reads_the_words_beside_the_vector(suggester: CompetenceSuggester) -> None:
    """The character n-gram classifiers weigh the words themselves: one vector read with two
    texts gives each text's own competences more weight."""
    model = suggester.model_
    assert 0 < model.lexical_weight < 1
    vector = suggester.embedder.encode_queries(["Nous cherchons un peu d'aide pour l'association"])
    marketing = model.probabilities(vector, ["newsletter, réseaux sociaux, campagne d'e-mailing"])
    network = model.probabilities(vector, ["pare-feu, routeur, câblage du réseau, wifi"])
    d6 = model.codes.index("D.6")  # digital marketing
    assert marketing[0, d6] > network[0, d6]
    for found in (marketing, network):
        assert ((found >= 0) & (found <= 1)).all()


@pytest.mark.model
def test_every_inference_names_the_reader(suggester: CompetenceSuggester) -> None:
    assert suggester.version.startswith("ecf-lr-")
    assert len(suggester.bank) >= 1640


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
