"""The issue's bars through the API: completing a mission yields one OB 3.0 VC-JWT and one
OB 2.0 assertion that both verify; after revocation both report revoked; after a key
rotation the old credential still verifies; the downloaded baked PNG verifies on upload."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from models import utcnow
from services.actors import create_token
from tests.factories import Cast, cast, make_account


def _bearer(session: Session, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, email)}"}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _local(url: str) -> str:
    return url.removeprefix("https://probono.test")


def _complete(
    client: TestClient, people: Cast, volunteer: dict[str, str], member: dict[str, str]
) -> dict[str, Any]:
    mission = _ok(
        client.post("/api/v1/missions", json={"need_id": people.need_id}, headers=volunteer), 201
    )
    mid = mission["id"]
    assert mission["status"] == "proposed"
    assert (
        _ok(client.post(f"/api/v1/missions/{mid}/accept", headers=member))["status"] == "accepted"
    )
    assert (
        _ok(client.post(f"/api/v1/missions/{mid}/start", headers=volunteer))["status"]
        == "in_progress"
    )
    entry = _ok(
        client.post(
            f"/api/v1/missions/{mid}/hours",
            json={
                "work_date": utcnow().date().isoformat(),
                "hours": "4.5",
                "description": "maquettes",
            },
            headers=volunteer,
        ),
        201,
    )
    _ok(client.post(f"/api/v1/missions/{mid}/hours/{entry['id']}/approve", headers=member))
    _ok(client.post(f"/api/v1/missions/{mid}/complete", json={}, headers=volunteer))
    done = _ok(
        client.post(
            f"/api/v1/missions/{mid}/complete",
            json={"assessments": [{"competence": "ecf:B.1:e-3"}, {"competence": "ecf:A.6:e-2"}]},
            headers=member,
        )
    )
    assert done["status"] == "completed"
    assert done["credential_id"]
    return _ok(client.get(f"/api/v1/missions/{mid}/credential", headers=volunteer))  # type: ignore[no-any-return]


def _verify(client: TestClient, badge: str, email: str | None = None) -> dict[str, Any]:
    return _ok(client.post("/api/v1/verify", json={"badge": badge, "email": email}))  # type: ignore[no-any-return]


def test_the_bars_of_issuance_through_the_api(client: TestClient, session: Session) -> None:
    people = cast(session)
    volunteer, member = (
        _bearer(session, people.volunteer_email),
        _bearer(session, people.member.email),
    )
    credential = _complete(client, people, volunteer, member)
    links = credential["links"]
    jwt = client.get(_local(links["ob3_jwt"])).text
    assert jwt.count(".") == 2
    for badge in (jwt, links["ob2_hosted"], client.get(_local(links["ob2_jws"])).text):
        report = _verify(client, badge, people.volunteer_email)
        assert report["valid"], report["summary"]
        assert report["version"] in ("3.0", "2.0")
    png = client.get(_local(links["ob3_png"]))
    assert png.headers["content-type"] == "image/png"
    uploaded = _ok(
        client.post(
            "/api/v1/verify/upload", files={"file": ("badge.png", png.content, "image/png")}
        )
    )
    assert uploaded["valid"], uploaded["summary"]
    assert uploaded["source"] == "baked PNG"

    admin_account = make_account(session, is_platform_admin=True)
    session.commit()
    admin = _bearer(session, admin_account.email)
    rotated = _ok(client.post(f"/api/v1/issuers/{_issuer_id(links)}/keys/rotate", headers=admin))
    assert rotated
    assert _verify(client, jwt)["valid"]  # signed with a key that is now retired

    revoked = _ok(
        client.post(
            f"/api/v1/credentials/{credential['id']}/revoke",
            json={"reason": "the work was not done"},
            headers=member,
        )
    )
    assert revoked["revoked"]
    for badge in (jwt, links["ob2_hosted"]):
        report = _verify(client, badge)
        assert not report["valid"]
        assert report["revoked"]
    assert client.get(_local(links["ob2_hosted"])).status_code == 410


def _issuer_id(links: dict[str, str]) -> int:
    return int(links["issuer"].rsplit("/", 1)[1])


def test_actions_need_a_token_and_the_right_person(client: TestClient, session: Session) -> None:
    people, others = cast(session), cast(session)
    volunteer = _bearer(session, people.volunteer_email)
    stranger = _bearer(session, others.member.email)
    anonymous = client.post("/api/v1/missions", json={"need_id": people.need_id})
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.json()["code"] == "not_signed_in"
    bad = client.post(
        "/api/v1/missions",
        json={"need_id": people.need_id},
        headers={"Authorization": "Bearer nope"},
    )
    assert bad.status_code == 401
    mission = _ok(
        client.post("/api/v1/missions", json={"need_id": people.need_id}, headers=volunteer), 201
    )
    forbidden = client.post(f"/api/v1/missions/{mission['id']}/accept", headers=stranger)
    assert forbidden.status_code == 404  # to a stranger, the mission does not exist
    assert forbidden.json()["code"] == "not_found"
    hidden = client.get(f"/api/v1/missions/{mission['id']}", headers=stranger)
    assert hidden.status_code == 404
    early = client.post(f"/api/v1/missions/{mission['id']}/complete", json={}, headers=volunteer)
    assert early.status_code == 409
    assert "proposed" in early.json()["detail"]


def test_public_documents_and_competence_pages(client: TestClient, session: Session) -> None:
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert jwks.headers["access-control-allow-origin"] == "*"
    page = client.get("/frameworks/ecf/4.0/B.1/e-3", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<html" in page.text
    assert "B.1 Application Development" in page.text
    item = _ok(client.get("/frameworks/ecf/4.0/B.1/e-3", headers={"Accept": "application/json"}))
    assert item["humanCodingScheme"] == "B.1/e-3"
    assert item["level"]["code"] == "e-3"
    assert client.get("/frameworks/ecf/4.0/A.1/e-1").status_code == 404  # A.1 starts at e-3
    assert client.get("/credentials/00000000-0000-4000-8000-000000000000.jwt").status_code == 404


def test_verify_explains_bad_input(client: TestClient) -> None:
    report = _verify(client, "definitely not a badge")
    assert not report["valid"]
    assert report["checks"][0]["name"] == "format"
    empty = client.post("/api/v1/verify/upload", files={"file": ("x.png", b"", "image/png")})
    assert empty.status_code == 422
    assert "empty" in empty.json()["detail"]
    junk = _ok(
        client.post(
            "/api/v1/verify/upload", files={"file": ("x.png", b"\x89PNG\r\n\x1a\nxx", "image/png")}
        )
    )
    assert not junk["valid"]
    assert "PNG" in junk["summary"]


def test_revocation_needs_a_reason(client: TestClient, session: Session) -> None:
    people = cast(session)
    member = _bearer(session, people.member.email)
    response = client.post(
        "/api/v1/credentials/00000000-0000-4000-8000-000000000000/revoke",
        json={"reason": ""},
        headers=member,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    assert response.json()["errors"][0]["field"] == "reason"
