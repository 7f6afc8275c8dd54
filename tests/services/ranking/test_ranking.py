"""A French need, an English-writing volunteer who speaks French, and distractors."""

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from matching.constraints import Nearby
from matching.embedders import SentenceTransformerEmbedder
from models import OrganisationKind, WorkMode, queries
from models.queries.matching import Filters
from services.actors import OPERATOR, create_token
from services.people.profiles import CompetenceResolver, save_need, save_volunteer
from services.ranking import encoding
from services.ranking.rank import rank_needs, rank_volunteers
from services.ranking.vector_pool import VectorPool
from services.records import CompetenceRef, NeedRecord, VolunteerRecord
from tests import factories
from tests.factories import make_organisation

pytestmark = pytest.mark.model

TODAY = date(2026, 3, 1)
NEARBY = Nearby.of([["Nantes", "Rennes"]])


def _volunteer(email: str, about: str, languages: list[str], claims: list[str]) -> VolunteerRecord:
    return VolunteerRecord(
        email=email,
        display_name=email.split("@")[0],
        headline=about.split(".")[0],
        about=about,
        languages=languages,
        city="Nantes",
        country="FR",
        hours_per_month=10,
        competences=[CompetenceRef.model_validate(c) for c in claims],
    )


@pytest.fixture
def need_id(session: Session, embedder: SentenceTransformerEmbedder) -> int:
    make_organisation(session, slug="jardins", kind=OrganisationKind.ASSOCIATION)
    resolver = CompetenceResolver(session)
    need = save_need(
        session,
        NeedRecord(
            association="jardins",
            ref="site",
            title="Refaire notre site internet",
            description="Notre site date de 2012, il est lent et illisible sur téléphone. Nous "
            "voudrions un nouveau site où les familles peuvent s'inscrire aux ateliers.",
            hours_estimate=25,
            work_mode="remote",
            languages=["fr"],
            competences=[
                CompetenceRef.model_validate("ecf:B.1:e-3"),
                CompetenceRef.model_validate("ecf:A.6:e-2"),
            ],
        ),
        resolver,
    )
    save_volunteer(
        session,
        _volunteer(
            "ana@example.org",
            "Web developer. I design and build websites with WordPress and Django, with online "
            "registration forms, for small organisations.",
            ["en", "fr"],
            ["ecf:B.1:e-3", "ecf:A.6:e-2"],
        ),
        resolver,
    )
    save_volunteer(
        session,
        _volunteer(
            "paul@example.org",
            "Commercial. Je vends des logiciels et je tiens un petit blog WordPress sur le "
            "jardinage.",
            ["fr"],
            ["ecf:D.5:e-2"],
        ),
        resolver,
    )
    save_volunteer(
        session,
        _volunteer(
            "lea@example.org",
            "Développeuse web. Je construis des sites internet depuis six ans, surtout avec "
            "WordPress.",
            ["fr"],
            ["ecf:B.1:e-2"],
        ),
        resolver,
    )
    save_volunteer(
        session,
        _volunteer(
            "tom@example.org",
            "Web developer. I build websites and registration forms with Django.",
            ["en"],
            ["ecf:B.1:e-3", "ecf:A.6:e-2"],
        ),
        resolver,
    )
    session.commit()
    encoding.sync_embeddings(session, embedder)
    assert need.id is not None
    return need.id


def test_the_english_writing_volunteer_who_speaks_french_comes_first(
    session: Session, embedder: SentenceTransformerEmbedder, need_id: int
) -> None:
    ranked = rank_volunteers(
        session, OPERATOR, need_id, embedder=embedder, nearby=NEARBY, today=TODAY
    )
    names = [r.display_name for r in ranked]
    assert names[0] == "ana"
    assert names.index("ana") < names.index("paul")
    assert "tom" not in names  # English only: never proposed for a French-only mission
    ana = ranked[0].explanation
    assert {(m.code, m.status) for m in ana.competences} == {("ecf:B.1", "met"), ("ecf:A.6", "met")}
    lea = next(r for r in ranked if r.display_name == "lea").explanation
    b1 = next(m for m in lea.competences if m.code == "ecf:B.1")
    assert (b1.status, b1.gap) == ("below", 1)  # the gap is named
    assert "ecf:A.6" in {m.code for m in lea.competences if m.status == "missing"}


def test_excluded_volunteers_come_last_with_their_reason(
    session: Session, embedder: SentenceTransformerEmbedder, need_id: int
) -> None:
    ranked = rank_volunteers(
        session,
        OPERATOR,
        need_id,
        embedder=embedder,
        nearby=NEARBY,
        include_excluded=True,
        today=TODAY,
    )
    assert ranked[-1].display_name == "tom"
    assert ranked[-1].explanation.score == 0.0
    assert ranked[-1].explanation.exclusions[0].reason.startswith("no shared working language")


def _bearer(session: Session, email: str | None = None) -> dict[str, str]:
    """The headers of an API call by that account (a platform admin's when none is named)."""
    if email is None:
        email = factories.make_account(session, is_platform_admin=True).email
        session.commit()
    return {"Authorization": f"Bearer {create_token(session, email)}"}


def test_the_matches_endpoint(client: TestClient, session: Session, need_id: int) -> None:
    url = f"/api/v1/needs/{need_id}/matches"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=_bearer(session, "ana@example.org")).status_code == 403
    admin = _bearer(session)
    response = client.get(url, params={"include_excluded": True}, headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert body[0]["display_name"] == "ana"
    assert body[0]["explanation"]["competences"][0]["status"] in {"met", "below", "missing"}
    assert set(body[0]["explanation"]["contributions"]) == {
        "semantic",
        "coverage",
        "lexical",
        "esco",
        "responsiveness",
        "fairness",
    }
    assert body[-1]["explanation"]["exclusions"][0]["rule"] == "language"
    assert "email" not in body[0]  # no private data of volunteers
    assert client.get("/api/v1/needs/999999/matches", headers=admin).status_code == 404


def _profile_id(session: Session, email: str) -> int:
    account = queries.organisations.find_account(session, email)
    assert account is not None
    assert account.id is not None
    profile = queries.profiles.find_profile_by_account(session, account.id)
    assert profile is not None
    assert profile.id is not None
    return profile.id


def test_a_volunteer_finds_the_need_with_the_same_reasons(
    session: Session, embedder: SentenceTransformerEmbedder, need_id: int
) -> None:
    ana = _profile_id(session, "ana@example.org")
    [match] = rank_needs(session, OPERATOR, ana, embedder=embedder, nearby=NEARBY, today=TODAY)
    assert match.need_id == need_id
    assert match.association == "jardins"
    assert {(m.code, m.status) for m in match.explanation.competences} == {
        ("ecf:B.1", "met"),
        ("ecf:A.6", "met"),
    }
    tom = _profile_id(session, "tom@example.org")
    assert rank_needs(session, OPERATOR, tom, embedder=embedder, nearby=NEARBY, today=TODAY) == []
    [excluded] = rank_needs(
        session, OPERATOR, tom, embedder=embedder, nearby=NEARBY, include_excluded=True, today=TODAY
    )
    assert excluded.score == 0.0
    assert excluded.explanation.exclusions[0].rule == "language"


def test_filters_narrow_the_pool_before_ranking(
    session: Session, embedder: SentenceTransformerEmbedder, need_id: int
) -> None:
    def names(filters: Filters) -> list[str]:
        ranked = rank_volunteers(
            session,
            OPERATOR,
            need_id,
            embedder=embedder,
            nearby=NEARBY,
            filters=filters,
            today=TODAY,
        )
        return [r.display_name for r in ranked]

    assert names(Filters(competence="A.6")) == ["ana"]  # lea states B.1 only, paul D.5
    assert names(Filters(languages=frozenset({"en"}))) == ["ana"]  # tom is excluded anyway
    assert names(Filters(city="rennes")) == []
    ana = _profile_id(session, "ana@example.org")
    for filters in (Filters(work_mode=WorkMode.ONSITE), Filters(competence="E.8")):
        assert (
            rank_needs(session, OPERATOR, ana, embedder=embedder, nearby=NEARBY, filters=filters)
            == []
        )


def test_a_pool_sees_what_another_process_wrote(
    session: Session, embedder: SentenceTransformerEmbedder, need_id: int, tmp_path: Path
) -> None:
    """Two workers each hold a pool; a profile saved through one is found by the other on its
    next search. With a limit of 2 the pool is approximate, saved, and reloaded by a third."""
    model = embedder.name
    query = embedder.encode_queries(["Refaire notre site internet"])[0]
    exact = VectorPool("profile", model, exact_limit=100, folder=tmp_path)
    approximate = VectorPool("profile", model, exact_limit=2, folder=tmp_path)
    for pool in (exact, approximate):
        assert len(pool.search(session, query, 10, None).similarity) == 4
    save_volunteer(
        session,
        _volunteer(
            "zoe@example.org",
            "Développeuse web. Je refais des sites internet associatifs.",
            ["fr"],
            ["ecf:B.1:e-3"],
        ),
        CompetenceResolver(session),
    )
    session.commit()
    encoding.sync_embeddings(session, embedder)
    zoe = _profile_id(session, "zoe@example.org")
    for pool in (exact, approximate):
        found = pool.search(session, query, 10, None)
        assert zoe in found.similarity
        assert len(found.similarity) == 5
        assert found.reference.size > 0
    assert (tmp_path / f"profile-{model}.hnsw").exists()
    restarted = VectorPool("profile", model, exact_limit=2, folder=tmp_path)
    assert len(restarted.search(session, query, 10, None).similarity) == 5  # saved + caught up
    assert list(restarted.search(session, query, 2, {zoe}).similarity) == [zoe]


def test_the_volunteer_matches_endpoint(client: TestClient, session: Session, need_id: int) -> None:
    ana = _profile_id(session, "ana@example.org")
    url = f"/api/v1/volunteers/{ana}/matches"
    assert client.get(url, headers=_bearer(session, "lea@example.org")).status_code == 404
    mine = _bearer(session, "ana@example.org")
    response = client.get(url, params={"language": "fr"}, headers=mine)
    assert response.status_code == 200
    [match] = response.json()
    assert (match["need_id"], match["association"], match["work_mode"]) == (
        need_id,
        "jardins",
        "remote",
    )
    assert match["explanation"]["competences"]
    assert client.get(f"{url}?work_mode=onsite", headers=mine).json() == []
    bad = client.get(url, params={"competence": "Z.9"}, headers=mine)
    assert bad.status_code == 422
    assert (
        client.get("/api/v1/volunteers/999999/matches", headers=_bearer(session)).status_code == 404
    )
    filtered = client.get(
        f"/api/v1/needs/{need_id}/matches", params={"competence": "A.6"}, headers=_bearer(session)
    )
    assert [m["display_name"] for m in filtered.json()] == ["ana"]
