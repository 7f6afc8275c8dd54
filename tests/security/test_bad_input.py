"""Bad input everywhere gets a clear error in the one error shape, and writes nothing: bodies
past the size limit (declared or chunked), text past its length, bytes that are not UTF-8,
odd Unicode, broken JSON, files that are not what they claim, XML with entities, and JWTs
whose headers ask the verifier to fetch, trust or skip something."""

import base64
import json
import struct
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from config import Settings
from models import CompanyYear, Credential, HoursLog, InvalidData, OrganisationKind, utcnow
from reporting import costs
from services.actors import create_token
from services.credentials import verification
from tests import factories, webforms
from tests.factories import Cast


def _today() -> str:
    """Read when used, not at import: a run may cross midnight, and hours of a day before the
    mission was proposed are refused."""
    return utcnow().date().isoformat()


@pytest.fixture
def people(session: Session) -> Cast:
    return factories.cast(session)


@pytest.fixture
def mission(session: Session, people: Cast) -> int:
    return factories.mission_in_progress(session, people)


def _bearer(session: Session, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, email)}"}


def _hours(session: Session, mission_id: int) -> int:
    return int(
        session.execute(
            sa.select(sa.func.count()).where(col(HoursLog.mission_id) == mission_id)
        ).scalar_one()
    )


def _refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert len(body["detail"]) > 10, body
    return dict(body)


def test_a_body_past_the_limit_is_refused_declared_or_chunked(
    client: TestClient, session: Session, people: Cast, mission: int, settings: Settings
) -> None:
    headers = _bearer(session, people.volunteer.email) | {"Content-Type": "application/json"}
    before = _hours(session, mission)
    big = json.dumps(
        {"work_date": _today(), "hours": "2", "description": "x" * settings.max_request_bytes}
    ).encode()
    url = f"/api/v1/missions/{mission}/hours"
    body = _refused(client.post(url, content=big, headers=headers), 413, "too_large")
    assert "KB" in body["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    _refused(client.post(url, content=chunks(), headers=headers), 413, "too_large")
    assert _hours(session, mission) == before


def test_text_past_its_length_names_the_field(
    client: TestClient, session: Session, people: Cast, mission: int
) -> None:
    response = client.post(
        f"/api/v1/missions/{mission}/hours",
        json={"work_date": _today(), "hours": "2", "description": "x" * 2001},
        headers=_bearer(session, people.volunteer.email),
    )
    body = _refused(response, 422, "invalid")
    assert body["field"] == "description"
    assert _hours(session, mission) == 1  # the factory's day only


def test_bytes_that_are_not_utf8_and_broken_json_say_so(
    client: TestClient, session: Session, people: Cast, mission: int
) -> None:
    headers = _bearer(session, people.volunteer.email) | {"Content-Type": "application/json"}
    url = f"/api/v1/missions/{mission}/hours"
    latin1 = json.dumps({"work_date": _today(), "hours": "2", "description": "café"})
    latin1_bytes = latin1.replace("\\u00e9", "é").encode("latin-1")
    body = _refused(client.post(url, content=latin1_bytes, headers=headers), 400, "http_error")
    assert "UTF-8" in body["detail"]
    broken = b'{"work_date": "2026-01-01", "hours": '
    body = _refused(client.post(url, content=broken, headers=headers), 422, "invalid")
    assert body["field"] == "body"
    assert "not valid JSON" in body["detail"]
    assert _hours(session, mission) == 1  # the factory's day only


@pytest.mark.parametrize(
    "text",
    [
        "na\u0308ive cafe\u0301",  # combining accents
        "\u202egnp.exe",  # right-to-left override
        "👩🏽‍💻 bénévole",  # emoji with a skin tone and a zero-width joiner
        "\ufeffbom and \u200bzero width",
    ],
)
def test_odd_unicode_is_kept_as_it_was_sent(
    client: TestClient, session: Session, people: Cast, mission: int, text: str
) -> None:
    response = client.post(
        f"/api/v1/missions/{mission}/hours",
        json={"work_date": _today(), "hours": "1.5", "description": text},
        headers=_bearer(session, people.volunteer.email),
    )
    assert response.status_code == 201, response.text
    assert response.json()["description"] == text


def test_a_nul_character_is_refused_on_every_backend(
    client: TestClient, session: Session, people: Cast, mission: int
) -> None:
    """PostgreSQL cannot store U+0000 in text; SQLite could: both refuse it alike."""
    response = client.post(
        f"/api/v1/missions/{mission}/hours",
        json={"work_date": _today(), "hours": "1", "description": "before\u0000after"},
        headers=_bearer(session, people.volunteer.email),
    )
    body = _refused(response, 422, "invalid")
    assert body["field"] == "description"
    assert "U+0000" in body["detail"]
    session.rollback()  # as the request's own session does when it closes (shared here)
    assert _hours(session, mission) == 1  # the factory's day only


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("badge.png", b"GIF89a not a png at all"),
        ("badge.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        ("badge.svg", b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IEND", b"")),
        ("badge.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><unclosed></svg>"),
        (
            "badge.svg",
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>',
        ),
    ],
)
def test_files_that_are_not_what_they_claim_get_a_report_that_says_why(
    client: TestClient, name: str, content: bytes
) -> None:
    response = client.post("/api/v1/verify/upload", files={"file": (name, content)})
    assert response.status_code == 200, response.text  # a report, whatever the file
    report = response.json()
    assert report["valid"] is False
    failed = [c for c in report["checks"] if c["outcome"] == "failed"]
    assert failed, report
    assert all(len(c["message"]) > 10 for c in failed), failed
    assert "root:" not in response.text  # no entity was resolved


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "extra",
    [
        {"jku": "http://127.0.0.1:9/attacker-keys.json"},
        {"x5u": "http://127.0.0.1:9/attacker-cert.pem"},
        {"jwk": {"kty": "oct", "k": "c2VjcmV0"}},
        {"crit": ["exp-unknown"], "exp-unknown": True},
        {"kid": "../../../../etc/passwd"},
        {"kid": "x" * 5000},
        {"zip": "DEF"},
    ],
    ids=["jku", "x5u", "embedded-jwk", "unknown-crit", "kid-path", "kid-huge", "zip"],
)
def test_jwt_headers_that_ask_for_trust_are_refused(
    session: Session, settings: Settings, people: Cast, extra: dict[str, Any]
) -> None:
    credential: Credential = factories.completed(session, settings, people)
    header_b64, payload, signature = credential.ob3_jwt.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    token = f"{_b64(header | extra)}.{payload}.{signature}"
    report = verification.verify_badge(session, settings, token)
    assert not report.valid
    failed = {c.name: c.message for c in report.checks if c.outcome == "failed"}
    assert failed, report
    assert all(len(message) > 10 for message in failed.values()), failed


def test_a_cost_csv_that_cannot_be_read_is_refused_whole_and_lines_are_the_files(
    session: Session,
) -> None:
    company = factories.make_organisation(session, kind=OrganisationKind.COMPANY, slug="acme-bad")
    huge = "x" * 200_000  # past the csv module's cell limit: nothing is read, nothing saved
    with pytest.raises(InvalidData, match=r"line \d+: the CSV cannot be read"):
        costs.import_costs(
            session, company, f"kind,year,annual_cost\nturnover,2026,1\nband,{huge}\n"
        )
    assert session.exec(select(CompanyYear)).all() == []
    # A band after the employees is read first, but each error keeps its line in the file.
    report = costs.import_costs(
        session,
        company,
        "kind,year,name,email,annual_cost,band\n"
        "employee,2026,,nobody@acme.example,1000,\n"
        'band,2026,"Senior\nstaff",,53560,\n'
        "employee,2026,,x@acme.example,-5,\n"
        "band,2026,Nul\x00band,,1000,\n",
    )
    reasons = {e.line: e.reason for e in report.errors}
    assert sorted(reasons) == [2, 5, 6]
    assert "U+0000" in reasons[6]
    assert report.saved == 1  # the good band is kept


def test_an_unknown_query_parameter_is_named_with_those_the_route_takes(
    client: TestClient, session: Session, people: Cast
) -> None:
    headers = _bearer(session, people.member.email)
    url = f"/api/v1/needs/{people.need_id}/matches"
    body = _refused(client.get(f"{url}?top-k=3", headers=headers), 422, "invalid")
    assert body["field"] == "top-k"
    assert "top_k" in body["detail"]  # what was meant is in the list
    assert client.get(f"{url}?top_k=3", headers=headers).status_code != 422


def test_a_nul_character_in_a_lookup_is_a_clear_error(client: TestClient) -> None:
    """Not only writes: PostgreSQL refuses U+0000 in any statement (an email to look up)."""
    response = client.post(
        "/api/v1/verify", json={"badge": "https://example.org/\u0000badge"}
    )  # a URL of ours would be looked up; this one is not ours
    assert response.status_code < 500
    signed_in = webforms.post(client, "/signin", {"email": "a\u0000@example.org", "password": "x"})
    assert signed_in.status_code == 422, signed_in.text
    assert "U+0000" in signed_in.text


@pytest.mark.parametrize(
    "path", ["/keys/a%00b", "/keys/é", "/issuers/0", "/issuers/x", "/status/1/99999999999999"]
)
def test_a_public_document_at_an_impossible_id_is_a_404_document(
    client: TestClient, path: str
) -> None:
    """What no badge can point to is never looked up: the API's error shape, not a 500."""
    response = client.get(path)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    assert "nothing is published" in response.json()["detail"]


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_a_badge_nested_past_any_real_one_is_refused_not_a_500(
    client: TestClient, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    as_json = '{"@context": [], "credentialSubject": ' + nested + "}"
    payload = base64.urlsafe_b64encode(as_json.encode()).decode().rstrip("=")
    as_token = f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln"
    for badge in (as_json, as_token):
        refused = client.post("/api/v1/verify", json={"badge": badge})
        assert refused.status_code == 422, refused.text[:300]
        assert "nested deeper than 32 levels" in refused.json()["detail"]
    uploaded = client.post(
        "/api/v1/verify/upload", files={"file": ("deep.json", as_json.encode(), "application/json")}
    )
    assert uploaded.status_code == 422
    page = webforms.post(client, "/verify", {"badge": as_json}, headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert "nested far deeper than any badge" in page.text
    # The request itself nested that deep: the JSON parser's own limit, a clear 4xx as well.
    outer = client.post(
        "/api/v1/verify",
        content='{"badge": ' + nested + "}",
        headers={"Content-Type": "application/json"},
    )
    assert 400 <= outer.status_code < 500
