"""The bar of outside verification: the demo badges and badges issued here, RS256, ES256 and
Ed25519 (the Data Integrity proof), before and after `probono keys rotate`, checked by DCC
verifier-core (Data Integrity), openbadgeslib (VC-JWT with its status check) and our own
verifier: valid ones valid, the revoked one revoked. A badge of one issuer signed with
another's key is refused by all three."""

import base64
import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlmodel import col, select

from badges import dataintegrity, signing
from badges.record import iso
from models import (
    Credential,
    Endorsement,
    KeyAlgorithm,
    Organisation,
    SigningKey,
    persisted_id,
    queries,
    utcnow,
)
from services.credentials import issuers
from services.credentials.urls import PublicUrls
from tests.factories import cast, completed
from tests.interop import verifiers
from tests.interop.conftest import Site
from tests.interop.verifiers import Verdict


@dataclass(frozen=True)
class Copy:
    """A badge as its holder downloaded it: both OB 3.0 forms."""

    credential_id: str
    revoked: bool
    document: dict[str, Any]  # the .json, with its Data Integrity proof
    token: str  # the .jwt

    @property
    def issuer(self) -> str:
        return str(self.document["issuer"]["id"])


def _download(site: Site, credential_id: str, revoked: bool) -> Copy:
    url = f"{site.public}/credentials/{credential_id}"
    status, media, document = site.get(url + ".json")
    assert (status, media) == (200, "application/vc")
    status, media, token = site.get(url + ".jwt")
    assert (status, media) == (200, "application/vc+jwt")
    return Copy(credential_id, revoked, json.loads(document), token.decode("ascii"))


def _all(site: Site) -> list[Copy]:
    with site.session() as session:
        rows = session.exec(select(Credential).order_by(col(Credential.issued_at))).all()
        found = [(c.id, c.revoked_at is not None) for c in rows]
    return [_download(site, credential_id, revoked) for credential_id, revoked in found]


def _issue(site: Site, algorithm: str = "RS256") -> str:
    """A badge issued now, through the workflow; ES256 by an association's own issuer."""
    settings = site.settings.model_copy(update={"badge_algorithm": algorithm})
    with site.session() as session:
        people = cast(session)
        if algorithm != "RS256":
            organisation = session.get(Organisation, people.organisation_id)
            assert organisation is not None
            issuers.own_issuer(session, organisation, settings)
            session.commit()
        return completed(session, settings, people).id


def _expect(verdict: Verdict, copy: Copy, who: str) -> None:
    if copy.revoked:
        assert not verdict.valid, (who, copy.credential_id, verdict)
        assert verdict.revoked, (who, copy.credential_id, verdict)
    else:
        assert verdict.valid, (who, copy.credential_id, verdict.reasons)


def _check_everywhere(site: Site, copies: list[Copy]) -> None:
    for copy in copies:
        _expect(verifiers.dcc(site, copy.document), copy, "DCC verifier-core")
        _expect(verifiers.openbadgeslib(site, copy.token), copy, "openbadgeslib")
        _expect(verifiers.ours(site, copy.token), copy, "ours (VC-JWT)")
        _expect(verifiers.ours(site, json.dumps(copy.document)), copy, "ours (Data Integrity)")


def test_outside_verifiers_agree_before_and_after_a_rotation(site: Site) -> None:
    fresh = [_issue(site), _issue(site, "ES256")]
    before = _all(site)
    assert any(c.revoked for c in before)  # the demo's revoked badge
    assert {signing.header(c.token)["alg"] for c in before} == {"RS256", "ES256"}
    assert {c.credential_id for c in before} >= set(fresh)
    _check_everywhere(site, before)

    with site.session() as session:
        rotated = sorted({persisted_id(c.issuer_id) for c in session.exec(select(Credential))})
    for issuer_id in rotated:
        site.probono("keys", "rotate", str(issuer_id), "--as", "admin@example.org")
    after = [_issue(site), _issue(site, "ES256")]
    # The copies holders downloaded before the rotation, the same badges downloaded again,
    # and badges issued since.
    again = {c.credential_id: c for c in _all(site)}
    _check_everywhere(site, [*before, *again.values()])
    for credential_id in after:
        method = again[credential_id].document["proof"][0]["verificationMethod"]
        assert method not in {c.document["proof"][0]["verificationMethod"] for c in before}


def _keys_of(site: Site, issuer_id: int) -> dict[KeyAlgorithm, SigningKey]:
    with site.session() as session:
        return queries.credentials.active_keys(session, issuer_id)


def _issuer_number(document: dict[str, Any]) -> int:
    return int(str(document["issuer"]["id"]).rsplit(":", 1)[1])


def test_a_badge_signed_with_another_issuers_key_is_refused_everywhere(site: Site) -> None:
    """Issuer A's badge, its proof and its JWT made with issuer B's keys: named as B's (the
    honest DID URL) or as A's (a key A never published)."""
    mine = _download(site, _issue(site), revoked=False)
    other = _download(site, _issue(site, "ES256"), revoked=False)
    a, b = _issuer_number(mine.document), _issuer_number(other.document)
    assert a != b
    urls = PublicUrls.of(site.public)
    theirs = _keys_of(site, b)
    proof_key = issuers.private_key(site.settings, theirs[KeyAlgorithm.EDDSA], urls)
    jwt_key = issuers.private_key(site.settings, theirs[KeyAlgorithm.ES256], urls)
    assert isinstance(proof_key.key, Ed25519PrivateKey)
    bare = dataintegrity.unsecured(mine.document)
    loader = issuers.documents(site.settings).load
    for method_id in (proof_key.kid, urls.key_id(a, proof_key.kid.split("#")[1])):
        forged = dataintegrity.sign(
            bare, proof_key.key, verification_method=method_id, created=iso(utcnow()), loader=loader
        )
        for who, verdict in (
            ("DCC verifier-core", verifiers.dcc(site, forged)),
            ("ours", verifiers.ours(site, json.dumps(forged))),
        ):
            assert not verdict.valid, (who, method_id)
        for kid in (jwt_key.kid, urls.key_id(a, jwt_key.kid.split("#")[1])):
            token = signing.sign_credential(forged, dataclasses.replace(jwt_key, kid=kid))
            for who, verdict in (
                ("openbadgeslib", verifiers.openbadgeslib(site, token)),
                ("ours", verifiers.ours(site, token)),
            ):
                assert not verdict.valid, (who, kid)
                assert verdict.revoked is False, (who, kid, verdict.reasons)
    # DCC says why: the key's controller is not the issuer.
    honest = dataintegrity.sign(
        bare, proof_key.key, verification_method=proof_key.kid, created=iso(utcnow()), loader=loader
    )
    assert any("controller" in r for r in verifiers.dcc(site, honest).reasons)
    assert "belongs to" in " ".join(verifiers.ours(site, json.dumps(honest)).reasons)


def test_a_tampered_badge_is_refused_in_either_form(site: Site) -> None:
    copy = _download(site, _issue(site), revoked=False)
    tampered = json.loads(json.dumps(copy.document))
    tampered["credentialSubject"]["achievement"]["name"] = "Chief Technology Officer"
    assert not verifiers.dcc(site, tampered).valid
    assert "does not match" in " ".join(verifiers.ours(site, json.dumps(tampered)).reasons)
    head, _, signature = copy.token.split(".")
    payload = signing.unverified_payload(copy.token)
    payload["credentialSubject"]["achievement"]["name"] = "Chief Technology Officer"
    body = base64.urlsafe_b64encode(signing.canonical(payload)).rstrip(b"=").decode()
    token = f"{head}.{body}.{signature}"
    assert not verifiers.openbadgeslib(site, token).valid
    reasons = " ".join(verifiers.ours(site, token).reasons)
    assert "does not match" in reasons


def test_every_ob3_document_meets_the_schema_and_loses_no_term(site: Site) -> None:
    """What a verifier reads as linked data: every term defined (pyld expansion drops none),
    credentials valid against the 1EdTech JSON schema, endorsed ones included."""
    documents = issuers.documents(site.settings)
    copies = _all(site)
    read: list[dict[str, Any]] = []
    for copy in copies:
        assert documents.schema_errors(copy.document) == [], copy.credential_id
        read += [copy.document, *copy.document.get("endorsement", [])]
        read.append(
            json.loads(
                site.get(
                    copy.document["credentialStatus"]["statusListCredential"],
                    accept="application/vc",
                )[2]
            )
        )
        read.append(
            json.loads(site.get(copy.document["credentialSubject"]["achievement"]["id"])[2])
        )
    assert any(c.document.get("endorsement") for c in copies)  # the demo's endorsed badge
    with site.session() as session:
        endorsements = session.exec(select(Endorsement)).all()
    for endorsement in endorsements:
        url = PublicUrls.of(site.public).endorsement(endorsement.id, ".json")
        status, media, body = site.get(url)
        assert (status, media) == (200, "application/vc")
        read.append(json.loads(body))
    for document in read:
        assert documents.undefined_terms(document) == [], document.get("id")
        assert dataintegrity.proofs(document) or "Achievement" in document["type"]
