from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

import models
from api import create_app
from api.deps import get_session
from config import Settings
from services.demo import dataset
from tests.conftest import DATA_DIR


def test_health_reports_database_schema_and_reference_data(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"]
    assert body["schema_revision"]["ok"]
    assert body["reference_data"]["ok"]
    assert body["competences"]["ecf-4.0"] == 41
    assert body["embedding_model"]["ok"]
    assert "multilingual-e5-small loaded" in body["embedding_model"]["detail"]


def test_health_on_a_database_never_set_up_says_what_to_run(
    tmp_path: Path, settings: Settings
) -> None:
    """Not a 500: every check answers, the schema's says `probono init`."""
    engine = models.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    app = create_app(settings)
    with Session(engine) as session:
        app.dependency_overrides[get_session] = lambda: session
        with TestClient(app) as client:
            response = client.get("/api/v1/health")
    engine.dispose()
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"]
    assert not body["schema_revision"]["ok"]
    assert "run `probono init`" in body["schema_revision"]["detail"]


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/swagger-ui/swagger-ui-bundle.js" in docs.text  # local assets, no CDN
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/health" in paths
    assert "/api/v1/frameworks/{framework_id}/competences/{code}" in paths


def test_frameworks_carry_their_licence(client: TestClient) -> None:
    frameworks = {f["id"]: f for f in client.get("/api/v1/frameworks").json()}
    assert frameworks["esco-1.1.1"]["attribution"].startswith(
        "This service uses the ESCO classification"
    )
    assert frameworks["digcomp-2.2"]["competences"] == 21


def test_a_competence_with_its_levels_in_both_languages(client: TestClient) -> None:
    body = client.get("/api/v1/frameworks/ecf-4.0/competences/A.10").json()
    assert body["uri"] == "https://probono.test/frameworks/ecf/4.0/A.10"
    assert [level["code"] for level in body["levels"]] == ["e-2", "e-3", "e-4"]
    assert all(level["descriptor_fr"] for level in body["levels"])
    assert body["groups"] == ["Plan"]


def test_competence_search_in_french(client: TestClient) -> None:
    codes = [
        c["code"]
        for c in client.get(
            "/api/v1/frameworks/digcomp-2.2/competences", params={"q": "données"}
        ).json()
    ]
    assert "4.2" in codes or "1.3" in codes


def test_unknown_things_are_clear_404s(client: TestClient) -> None:
    response = client.get("/api/v1/frameworks/ecf-4.0/competences/Z.99")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "ecf-4.0 has no competence 'Z.99'"}
    assert client.get("/api/v1/needs/999999").status_code == 404


def test_bad_parameters_are_422_with_a_message(client: TestClient) -> None:
    response = client.get("/api/v1/needs", params={"limit": 0})
    assert response.status_code == 422
    assert "limit" in response.text


def test_published_needs_after_the_demo(client: TestClient, session: Session) -> None:
    dataset.load_demo(session, DATA_DIR, seed=3, today=date(2026, 6, 1))
    needs = client.get("/api/v1/needs", params={"limit": 500}).json()
    assert 40 <= len(needs) < 60  # drafts are not published
    first = client.get(f"/api/v1/needs/{needs[0]['id']}").json()
    assert first["title"] == needs[0]["title"]
    assert first["languages"]
    associations = client.get("/api/v1/organisations", params={"kind": "association"}).json()
    assert len(associations) == 15
    # The demo's associations are verified: their missions issue badges.
    assert {a["verification"] for a in associations} == {"verified"}
    assert all(a["verified_at"] for a in associations)


@pytest.mark.model
def test_skills_suggest_endpoint(client: TestClient) -> None:
    response = client.post(
        "/api/v1/skills/suggest",
        json={"text": "Mettre notre fichier d'adhérents en conformité avec le RGPD", "top_k": 5},
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["ecf"]) == 5
    assert body["ecf"][0]["level"] is not None
    assert body["esco"][0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    empty = client.post("/api/v1/skills/suggest", json={"text": ""})
    assert empty.status_code == 422
