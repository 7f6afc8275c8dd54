"""The scoping assistant's proposals, with the real model: one per thing asked, none for a
vague text, competences of the common need at a small association's levels."""

import pytest

from services.people import scoping
from services.runtime import get_scoper

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "language", "titles"),
    [
        (
            "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une "
            "newsletter",
            "fr",
            ["Refaire le site internet", "Lancer une newsletter"],
        ),
        (
            "our website is old and nobody knows how to update it, and we would like a newsletter",
            "en",
            ["Rebuild the website", "Launch a newsletter"],
        ),
    ],
)
def test_two_things_asked_are_two_proposals(text: str, language: str, titles: list[str]) -> None:
    proposals = scoping.propose(text, language)
    assert [p.key for p in proposals] == ["website", "newsletter"]
    assert [p.title for p in proposals] == titles
    common = {need.key: need for need in get_scoper().common}
    for proposal in proposals:
        need = common[proposal.key]
        assert proposal.deliverable == need.deliverable[language]
        assert proposal.hours_estimate == need.hours_estimate
        own = [code for framework, code, _ in need.competences if framework == "ecf"]
        codes = [code for code, _ in proposal.competences]
        assert codes[: len(own)] == own  # the common need's own competences first
        assert set(codes) <= set(own) | set(need.usual)  # read ones only if plausible
        assert {level for _, level in proposal.competences} <= {1, 2, 3}


def test_a_newsletter_gets_no_implausible_competence() -> None:
    [letter] = scoping.propose("We would like to launch a monthly newsletter.", "en")
    codes = {code for code, _ in letter.competences}
    assert "D.6" in codes
    assert not {"A.7", "E.1"} & codes


@pytest.mark.parametrize(
    ("text", "language"),
    [("On a besoin d'aide pour le numérique", "fr"), ("we need help with digital stuff", "en")],
)
def test_a_vague_text_gets_no_invented_proposal(text: str, language: str) -> None:
    assert scoping.propose(text, language) == []


def test_a_one_thing_text_with_a_short_trailing_clause_is_one_proposal() -> None:
    [base] = scoping.propose(
        "Nos adhérents sont répartis dans quatre fichiers Excel différents. On voudrait une "
        "seule base.",
        "fr",
    )
    assert base.key == "crm"
    assert base.title == "Rassembler les adhérents dans une seule base"
    assert "seule base" in base.description
