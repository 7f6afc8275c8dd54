"""Badges as outside verifiers see them: both Open Badges versions conform to the standards'
own schema and contexts, verify with an independent JOSE library, and every attack or stale
badge is refused with its reason. Credentials come from the real workflow."""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from jwcrypto import jwk as jwcrypto_jwk
from jwcrypto import jws as jwcrypto_jws
from pydantic import SecretStr
from sqlmodel import Session

from badges import did, keys, signing, status
from badges.conformance import Documents
from badges.errors import SigningKeyError
from badges.record import iso
from badges.report import Report
from config import Settings
from models import Credential, KeyAlgorithm, SigningKey, queries, utcnow
from services.credentials import issuance, issuers, publication, verification
from services.credentials.urls import PublicUrls
from tests.conftest import DATA_DIR
from tests.factories import Cast, cast, completed

DOCUMENTS = Documents(DATA_DIR / "openbadges")


@pytest.fixture
def people(session: Session) -> Cast:
    return cast(session)


@pytest.fixture
def credential(session: Session, settings: Settings, people: Cast) -> Credential:
    return completed(session, settings, people)


def _failed(report: Report) -> dict[str, str]:
    return {c.name: c.message for c in report.checks if c.outcome == "failed"}


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, Any]:
    return signing.unverified_payload(token)


def _get(session: Session, settings: Settings, url: str) -> Any:
    """One of our published documents, as JSON, read the way the verifier reads it."""
    path = PublicUrls.of(settings.public_base_url).path(url)
    return json.loads(publication.serve(session, settings, path).body)


def _jwks(session: Session, settings: Settings) -> dict[str, Any]:
    return _get(session, settings, "https://probono.test/.well-known/jwks.json")  # type: ignore[no-any-return]


def _method(session: Session, settings: Settings, kid: str) -> dict[str, Any]:
    """The verification method a DID URL names, read from its issuer's DID document as any
    did:web resolver reads it."""
    document = _get(session, settings, did.document_url(kid))
    [found] = [m for m in document["verificationMethod"] if m["id"] == kid]
    assert kid in document["assertionMethod"]
    return found  # type: ignore[no-any-return]


# --- conformance ----------------------------------------------------------------------------


def test_ob3_credential_meets_the_1edtech_schema_and_contexts(credential: Credential) -> None:
    payload = _payload(credential.ob3_jwt)
    assert DOCUMENTS.schema_errors(payload) == []
    assert DOCUMENTS.undefined_terms(payload) == []
    assert isinstance(payload["type"], list)
    assert isinstance(payload["credentialSchema"], list)
    assert isinstance(payload["credentialStatus"], dict)
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CommunityService"
    [ecf] = [a for a in achievement["alignment"] if a["targetCode"].startswith("B.1")]
    assert ecf["targetFramework"] == "e-CF 4.0 (EN 16234-1:2019)"
    assert ecf["targetUrl"] == "https://probono.test/frameworks/ecf/4.0/B.1/e-3"
    [result] = payload["credentialSubject"]["result"]
    assert result["achievedLevel"].endswith("-e-3")
    identifier = payload["credentialSubject"]["identifier"][0]
    assert identifier["hashed"] is True
    assert identifier["identityHash"].startswith("sha256$")


def test_the_schema_check_is_not_a_formality(credential: Credential) -> None:
    payload = _payload(credential.ob3_jwt)
    broken = {**payload, "type": "OpenBadgeCredential", "proof": {"type": "x"}}
    errors = DOCUMENTS.schema_errors(broken)
    assert any(e.startswith("type") for e in errors)
    assert any(e.startswith("proof") for e in errors)
    assert DOCUMENTS.undefined_terms({**payload, "missionHours": 7}) == ["/missionHours"]


def test_ob2_documents_follow_the_checklist(
    session: Session, settings: Settings, credential: Credential
) -> None:
    hosted = credential.ob2_assertion
    assert hosted["id"] == f"https://probono.test/ob2/assertions/{credential.id}"
    assert hosted["verification"] == {"type": "HostedBadge"}
    assert hosted["issuedOn"].endswith("Z")
    assert hosted["recipient"]["identity"].startswith("sha256$")
    badge = credential.ob2_badge_class
    assert badge["criteria"]["narrative"]
    assert badge["issuer"].startswith("https://")
    issuer = _get(session, settings, badge["issuer"])
    signed = _payload(credential.ob2_jws)
    key = _get(session, settings, signed["verification"]["creator"])
    assert issuer["publicKey"] == signed["verification"]["creator"]  # the issuer lists the key
    assert key["owner"] == issuer["id"]  # and the key names its owner
    for document in (hosted, badge, issuer, key, signed):
        assert DOCUMENTS.undefined_terms(document) == []


def test_an_independent_jose_library_verifies_our_signatures(
    session: Session, settings: Settings, credential: Credential
) -> None:
    published = {k["kid"]: k for k in _jwks(session, settings)["keys"]}
    for token in (credential.ob3_jwt, credential.ob2_jws):
        kid = jwt.get_unverified_header(token).get("kid")
        if kid:
            public = _method(session, settings, kid)["publicKeyJwk"]
        else:
            creator = signing.unverified_payload(token)["verification"]["creator"]
            public = next(k for k in published.values() if k["kid"].endswith(creator[-36:]))
        checked = jwcrypto_jws.JWS()
        checked.deserialize(token)
        checked.verify(jwcrypto_jwk.JWK(**public))  # raises if the signature is wrong
        assert json.loads(checked.payload)["id"] == _payload(token)["id"]


def test_vc_jwt_header_and_claims_follow_the_spec(credential: Credential) -> None:
    header = jwt.get_unverified_header(credential.ob3_jwt)
    assert set(header) == {"alg", "kid", "typ"}
    assert header["alg"] == "RS256"
    assert header["typ"] == "JWT"
    assert header["kid"].startswith("did:web:probono.test:issuers:")
    payload = _payload(credential.ob3_jwt)
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"] == f"urn:uuid:{credential.id}"
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["nbf"] == signing.epoch(payload["validFrom"])


def test_no_private_key_member_is_ever_published(
    session: Session, settings: Settings, credential: Credential
) -> None:
    published = _jwks(session, settings)["keys"]
    assert published
    for key in published:
        assert not set(key) & {"d", "p", "q", "dp", "dq", "qi"}
        assert key["iss"].startswith("https://probono.test/issuers/")


# --- every form verifies ------------------------------------------------------------------


def _forms(session: Session, settings: Settings, credential: Credential) -> Iterator[bytes | str]:
    yield credential.ob3_jwt
    yield credential.ob2_jws
    yield f"https://probono.test/ob2/assertions/{credential.id}"
    yield json.dumps(credential.ob2_assertion)
    for path in (".png", ".svg"):
        yield publication.serve(session, settings, f"/credentials/{credential.id}{path}").body
        yield publication.serve(session, settings, f"/ob2/assertions/{credential.id}{path}").body


def test_every_form_verifies_then_reports_revoked(
    session: Session, settings: Settings, people: Cast, credential: Credential
) -> None:
    for form in _forms(session, settings, credential):
        report = verification.verify_badge(session, settings, form, email=people.volunteer_email)
        assert report.valid, _failed(report)
        assert {c.name for c in report.checks} >= {"status", "recipient", "validity dates"}
    issuance.revoke(session, people.member, credential.id, "the mission was not carried out")
    for form in _forms(session, settings, credential):
        report = verification.verify_badge(session, settings, form)
        assert not report.valid
        assert report.revoked
        assert "REVOKED" in _failed(report)["status"]


def test_revocation_updates_every_representation(
    session: Session, settings: Settings, people: Cast, credential: Credential
) -> None:
    issuance.revoke(session, people.member, credential.id, "fraud")
    hosted = publication.serve(session, settings, f"/ob2/assertions/{credential.id}")
    assert hosted.status == 410
    assert json.loads(hosted.body)["revoked"] is True
    ob2_list = json.loads(
        publication.serve(
            session, settings, f"/ob2/issuers/{credential.issuer_id}/revocations"
        ).body
    )
    assert ob2_list["revokedAssertions"][0]["id"] == _payload(credential.ob2_jws)["id"]
    assert len(ob2_list["revokedAssertions"]) == 2  # padded: never a one-entry list
    status_jwt = publication.serve(
        session, settings, f"/status/{credential.issuer_id}/{credential.status_list}"
    ).body.decode()
    encoded = _payload(status_jwt)["credentialSubject"]["encodedList"]
    assert status.is_set(encoded, credential.status_list_index)
    assert not status.is_set(encoded, (credential.status_list_index + 1) % 131_072)


def test_the_recipient_check_compares_the_email(
    session: Session, settings: Settings, credential: Credential
) -> None:
    report = verification.verify_badge(
        session, settings, credential.ob3_jwt, email="someone.else@example.org"
    )
    assert "not issued to" in _failed(report)["recipient"]


# --- attacks and stale badges ---------------------------------------------------------------


def _forged(
    credential: Credential, header: dict[str, Any], payload: dict[str, Any], sig: str
) -> str:
    return f"{_b64(header)}.{_b64(payload)}.{sig}"


def test_alg_none_is_refused(session: Session, settings: Settings, credential: Credential) -> None:
    payload = _payload(credential.ob3_jwt)
    token = _forged(credential, {"alg": "none", "typ": "JWT"}, payload, "")
    report = verification.verify_badge(session, settings, token)
    assert "alg none" in _failed(report)["header"]
    assert not report.valid


def test_hs256_signed_with_the_public_key_is_refused(
    session: Session, settings: Settings, credential: Credential
) -> None:
    key = queries.credentials.get_key(session, credential.signing_key_id)
    secret = keys.public_pem(key.public_jwk).encode()
    header = {"alg": "HS256", "kid": key.kid, "typ": "JWT"}
    signing_input = f"{_b64(header)}.{_b64(_payload(credential.ob3_jwt))}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    report = verification.verify_badge(session, settings, token)
    assert "HS256" in _failed(report)["header"]
    assert not report.valid


def test_an_unknown_kid_is_refused(
    session: Session, settings: Settings, credential: Credential
) -> None:
    header = jwt.get_unverified_header(credential.ob3_jwt)
    _, payload, sig = credential.ob3_jwt.split(".")
    unknown = header["kid"].split("#")[0] + "#unknown"
    token = f"{_b64({**header, 'kid': unknown})}.{payload}.{sig}"
    report = verification.verify_badge(session, settings, token)
    assert "does not list" in _failed(report)["key provenance"]
    elsewhere = f"{_b64({**header, 'kid': 'https://probono.test/keys/unknown'})}.{payload}.{sig}"
    report = verification.verify_badge(session, settings, elsewhere)
    assert "not a key of the issuer's DID" in _failed(report)["key provenance"]


def test_a_key_of_another_issuer_is_refused(
    session: Session, settings: Settings, credential: Credential
) -> None:
    """Another issuer signs a credential that claims to come from ours."""
    other = issuers.own_issuer(
        session,
        queries.credentials.organisations_by_id(session, [cast(session).organisation_id]).popitem()[
            1
        ],
        settings,
    )
    key = issuers.signing_key(session, settings, other, KeyAlgorithm.RS256)
    session.commit()
    payload = _payload(credential.ob3_jwt)
    token = signing.sign_credential(
        payload, issuers.private_key(settings, key, PublicUrls.of(settings.public_base_url))
    )
    report = verification.verify_badge(session, settings, token)
    assert "belongs to" in _failed(report)["key provenance"]
    assert not report.valid


def test_a_tampered_payload_is_refused(
    session: Session, settings: Settings, credential: Credential
) -> None:
    header, _, sig = credential.ob3_jwt.split(".")
    payload = _payload(credential.ob3_jwt)
    payload["credentialSubject"]["achievement"]["name"] = "Chief Technology Officer"
    report = verification.verify_badge(session, settings, f"{header}.{_b64(payload)}.{sig}")
    assert "does not match" in _failed(report)["signature"]
    ob2_header, _, ob2_sig = credential.ob2_jws.split(".")
    assertion = _payload(credential.ob2_jws)
    assertion["recipient"]["identity"] = "sha256$" + "0" * 64
    report = verification.verify_badge(
        session, settings, f"{ob2_header}.{_b64(assertion)}.{ob2_sig}"
    )
    assert "does not match" in _failed(report)["signature"]


def test_expired_and_not_yet_valid_are_refused(
    session: Session, settings: Settings, credential: Credential
) -> None:
    early = verification.verify_badge(
        session, settings, credential.ob3_jwt, now=credential.valid_from - timedelta(days=1)
    )
    assert "NOT YET VALID" in _failed(early)["validity dates"]
    key = queries.credentials.get_key(session, credential.signing_key_id)
    payload = _payload(credential.ob3_jwt)
    for claim in ("iss", "jti", "sub", "nbf"):
        payload.pop(claim)
    payload["validUntil"] = iso(utcnow() - timedelta(days=1))
    token = signing.sign_credential(
        payload, issuers.private_key(settings, key, PublicUrls.of(settings.public_base_url))
    )
    report = verification.verify_badge(session, settings, token)
    assert "EXPIRED" in _failed(report)["validity dates"]


def test_rotation_keeps_old_credentials_verifiable(
    session: Session, settings: Settings, people: Cast, credential: Credential
) -> None:
    admin = people.member.__class__(**{**people.member.__dict__, "is_admin": True})
    old_kid = jwt.get_unverified_header(credential.ob3_jwt)["kid"]
    made = issuance.rotate_keys(session, settings, admin, credential.issuer_id)
    assert {k.algorithm for k in made} == {KeyAlgorithm.RS256, KeyAlgorithm.EDDSA}
    session.refresh(credential)
    report = verification.verify_badge(session, settings, credential.ob3_jwt)
    assert report.valid, _failed(report)
    assert _method(session, settings, old_kid)["controller"] == old_kid.split("#")[0]
    published = {k["kid"].rsplit("/")[-1]: k for k in _jwks(session, settings)["keys"]}
    assert published[old_kid.split("#")[1]]["retired"] is True
    signed = verification.verify_badge(session, settings, credential.ob2_jws)  # re-signed
    assert signed.valid, _failed(signed)
    new = session.get(SigningKey, credential.ob2_signing_key_id)
    assert new is not None
    assert new.kid == next(k.kid for k in made if k.algorithm is KeyAlgorithm.RS256)
    fresh = completed(session, settings, cast(session))  # a new issuer: its own first key
    assert verification.verify_badge(session, settings, fresh.ob3_jwt).valid


def test_es256_credentials_verify_here_and_elsewhere(
    session: Session, settings: Settings, people: Cast
) -> None:
    es256 = settings.model_copy(update={"badge_algorithm": "ES256"})
    credential = completed(session, es256, people)
    header = jwt.get_unverified_header(credential.ob3_jwt)
    assert header["alg"] == "ES256"
    report = verification.verify_badge(session, es256, credential.ob3_jwt)
    assert report.valid, _failed(report)
    public = _method(session, es256, header["kid"])["publicKeyJwk"]
    assert public["kty"] == "EC"
    checked = jwcrypto_jws.JWS()
    checked.deserialize(credential.ob3_jwt)
    checked.verify(jwcrypto_jwk.JWK(**public))
    assert jwt.get_unverified_header(credential.ob2_jws)["alg"] == "RS256"  # OB 2.0 stays RSA


def test_keys_can_live_in_files_outside_the_database(
    session: Session, settings: Settings, people: Cast, tmp_path: Path
) -> None:
    in_files = settings.model_copy(
        update={"signing_key_store": "files", "signing_key_dir": tmp_path / "keys"}
    )
    credential = completed(session, in_files, people)
    key = queries.credentials.get_key(session, credential.signing_key_id)
    assert key.private_key_encrypted is None
    path = Path(str(key.private_key_path))
    assert path.parent == tmp_path / "keys"
    assert path.stat().st_mode & 0o077 == 0  # readable by the service only
    assert path.read_text(encoding="ascii").startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert verification.verify_badge(session, in_files, credential.ob3_jwt).valid


def test_a_wrong_key_encryption_key_is_a_clear_error(
    session: Session, settings: Settings, people: Cast
) -> None:
    completed(session, settings, people)
    issuers._decrypted.cache_clear()  # a fresh process: nothing decrypted yet
    wrong = settings.model_copy(update={"key_encryption_key": SecretStr("not the right one")})
    with pytest.raises(SigningKeyError, match="wrong key-encryption secret") as raised:
        completed(session, wrong, cast(session))
    assert "BEGIN" not in str(raised.value)


def test_an_association_named_with_a_cdata_end_still_gets_its_svg_badges(
    session: Session, settings: Settings
) -> None:
    people = cast(session, name="Les amis ]]> du code")
    made = completed(session, settings, people)
    for path in (f"/ob2/assertions/{made.id}.svg", f"/credentials/{made.id}.svg"):
        served = publication.serve(session, settings, path)
        assert served.status == 200
        report = verification.verify_badge(session, settings, served.body)
        assert report.valid, _failed(report)
