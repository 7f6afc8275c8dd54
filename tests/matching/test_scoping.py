"""The scoping assistant's reading of plain texts into common needs, with the real model."""

import json

import pytest

from matching.scoping import TOLD, Scoper, _cuts, load_common_needs, specific_title, told_clauses
from services.runtime import get_scoper
from tests.conftest import DATA_DIR

COMMON = {need.key: need for need in load_common_needs(DATA_DIR)}


def test_every_way_to_cut_clauses_into_at_most_three_runs() -> None:
    assert _cuts(1) == [(0, 1)]
    assert _cuts(3) == [(0, 3), (0, 1, 3), (0, 2, 3), (0, 1, 2, 3)]
    assert len(_cuts(8)) == 1 + 7 + 21  # never four runs


def test_the_training_scoping_texts_are_learned_clause_by_clause() -> None:
    rows = [
        {"text": "Our site is old, nobody can update it.", "needs": ["website"]},
        {
            "text": "A new website, a monthly newsletter, and our backups sorted out.",
            "needs": ["website", "it"],
        },
        {"text": "Help with digital things", "needs": []},
    ]
    assert told_clauses(rows) == [
        (f"{TOLD}0", "website", "Our site is old, nobody can update it."),
        (f"{TOLD}0", "website", "Our site is old"),
        (f"{TOLD}0", "website", "nobody can update it"),
        (f"{TOLD}1", "website", "A new website"),  # the middle clause could be either
        (f"{TOLD}1", "it", "our backups sorted out"),
    ]


def test_the_sealed_test_texts_are_never_learned_from() -> None:
    scoping = json.loads((DATA_DIR / "scoping" / "eval.json").read_text("utf-8"))
    learned = {text for need in COMMON.values() for _, text in need.sentences}
    assert {row["text"] for row in scoping["train"] if len(row["needs"]) == 1} <= learned
    assert not {row["text"] for row in scoping["test"]} & learned


def test_a_title_says_what_the_text_asks_of_the_common_need() -> None:
    site, letter = COMMON["website"], COMMON["newsletter"]
    assert (
        specific_title(site, "Notre site est vieux et moche.", "fr") == "Refaire le site internet"
    )
    assert specific_title(site, "Our WordPress site is broken.", "en") == "Fix the website"
    assert specific_title(letter, "We would like a newsletter.", "en") == "Launch a newsletter"
    assert specific_title(letter, "On voudrait une newsletter.", "fr") == "Lancer une newsletter"
    assert specific_title(site, "Quelque chose pour le public.", "fr") == "Un site internet"


def test_the_common_needs_know_what_competences_their_kind_takes() -> None:
    assert "D.6" in COMMON["newsletter"].usual
    assert not {"A.7", "E.1"} & set(COMMON["newsletter"].usual)


@pytest.fixture(scope="module")
def scoper() -> Scoper:
    return get_scoper()


def _keys(scoper: Scoper, text: str) -> list[str]:
    return [part.need.key for part in scoper.parts(text) if part.need]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une newsletter",
        "our website is old and nobody knows how to update it, and we would like a newsletter",
    ],
)
def test_a_text_asking_for_two_things_is_two_needs(scoper: Scoper, text: str) -> None:
    parts = scoper.parts(text)
    assert [part.need.key for part in parts if part.need] == ["website", "newsletter"]
    assert "newsletter" in parts[1].text.lower()
    assert "newsletter" not in parts[0].text.lower()


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "key"),
    [
        (
            "Nos adhérents sont répartis dans quatre fichiers Excel différents. On voudrait une "
            "seule base.",
            "crm",
        ),
        ("Notre site date de 2012, et personne ne sait le mettre à jour", "website"),
        ("Our member list is spread across three spreadsheets. We want one database.", "crm"),
    ],
)
def test_a_short_trailing_clause_stays_with_its_neighbour(
    scoper: Scoper, text: str, key: str
) -> None:
    assert _keys(scoper, text) == [key]


@pytest.mark.model
@pytest.mark.parametrize(
    "text", ["On a besoin d'aide pour le numérique", "we need help with digital stuff"]
)
def test_a_vague_text_asks_for_detail(scoper: Scoper, text: str) -> None:
    reading = scoper.read([text])[0]
    assert scoper.confidence(reading) < scoper.vague_below
    assert scoper.parts(text) == []


@pytest.mark.model
def test_the_baseline_is_kept_beside_the_new_reading(scoper: Scoper) -> None:
    text = "our website is old, and we would like a newsletter"
    assert [p.need.key for p in scoper.parts_by_margin(text) if p.need] == ["website", "newsletter"]
    assert scoper.parts_by_margin("we need help with digital stuff")  # never vague
