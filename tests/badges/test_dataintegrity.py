"""Data Integrity proofs (eddsa-rdfc-2022) and did:web, on their own: what is signed, what
breaks a proof, and which DID document a key must come from."""

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from badges import dataintegrity, did
from badges.conformance import Documents
from badges.errors import InvalidBadge
from config import REPOSITORY

DOCUMENTS = Documents(REPOSITORY / "data" / "openbadges")
DID = "did:web:badges.example.org:issuers:7"


def _credential() -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:1e1d5c8e-4a53-4b0e-8f7c-0f6c2b3f0a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": DID, "type": ["Profile"], "name": "Les Amis du Quartier"},
        "validFrom": "2026-12-06T10:00:00Z",
        "name": "Un site pour la troupe",
        "credentialSubject": {
            "id": "urn:uuid:5f0b7d0e-2f4c-4c38-9d0a-6c7e9b1d2a33",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Un site pour la troupe",
                "description": "Mission de mécénat de compétences",
                "criteria": {"narrative": "Refaire le site"},
            },
        },
    }


def _signed(key: Ed25519PrivateKey, method: str = f"{DID}#k1") -> dict[str, Any]:
    return dataintegrity.sign(
        _credential(),
        key,
        verification_method=method,
        created="2026-12-06T10:00:01Z",
        loader=DOCUMENTS.load,
    )


def test_a_proof_holds_for_its_key_and_breaks_on_any_change() -> None:
    key = Ed25519PrivateKey.generate()
    signed = _signed(key)
    [proof] = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")
    read = dataintegrity.read(proof)
    assert dataintegrity.holds(signed, read, key.public_key(), DOCUMENTS.load)
    # The same content in another key order is the same RDF dataset: still holds.
    shuffled = json.loads(json.dumps(signed, sort_keys=True))
    assert dataintegrity.holds(shuffled, read, key.public_key(), DOCUMENTS.load)
    changed = json.loads(json.dumps(signed))
    changed["credentialSubject"]["achievement"]["name"] = "Chief Technology Officer"
    assert not dataintegrity.holds(changed, read, key.public_key(), DOCUMENTS.load)
    later = dataintegrity.read({**proof, "created": "2030-01-01T00:00:00Z"})
    assert not dataintegrity.holds(signed, later, key.public_key(), DOCUMENTS.load)
    other = Ed25519PrivateKey.generate().public_key()
    assert not dataintegrity.holds(signed, read, other, DOCUMENTS.load)


def test_only_eddsa_rdfc_2022_proofs_are_read() -> None:
    proof = _signed(Ed25519PrivateKey.generate())["proof"][0]
    for wrong in (
        {**proof, "cryptosuite": "ecdsa-rdfc-2019"},
        {**proof, "type": "Ed25519Signature2020"},
        {**proof, "proofValue": "uAAAA"},
        {k: v for k, v in proof.items() if k != "verificationMethod"},
    ):
        with pytest.raises(InvalidBadge):
            dataintegrity.read(wrong)


def test_a_multikey_round_trips_and_other_keys_are_refused() -> None:
    public = Ed25519PrivateKey.generate().public_key()
    written = dataintegrity.multikey(public)
    assert written.startswith("z6Mk")
    assert dataintegrity.public_key(written) == public
    for wrong in ("uAAAA", "z" + "1" * 10, written[:-4]):
        with pytest.raises(InvalidBadge):
            dataintegrity.public_key(wrong)


@pytest.mark.parametrize(
    ("url", "expected", "document"),
    [
        (
            "https://badges.example.org/issuers/7",
            DID,
            "https://badges.example.org/issuers/7/did.json",
        ),
        (
            "http://localhost:8000/probono/issuers/2",
            "did:web:localhost%3A8000:probono:issuers:2",
            "https://localhost:8000/probono/issuers/2/did.json",
        ),
        ("https://example.org/", "did:web:example.org", "https://example.org/.well-known/did.json"),
    ],
)
def test_did_web_names_an_address_and_back(url: str, expected: str, document: str) -> None:
    assert did.of_url(url) == expected
    assert did.document_url(expected + "#key") == document


def test_a_key_counts_only_if_its_issuers_document_lists_it_for_assertions() -> None:
    mine = did.Method(f"{DID}#k1", multibase="z6Mkexample")
    document = did.document(DID, [mine], also_known_as=["https://badges.example.org/issuers/7"])
    assert document["@context"][0] == "https://www.w3.org/ns/did/v1"  # DID Core: first
    assert did.assertion_method(document, DID, f"{DID}#k1")["publicKeyMultibase"] == "z6Mkexample"
    other = "did:web:badges.example.org:issuers:8"
    with pytest.raises(InvalidBadge, match="belongs to"):
        did.assertion_method(document, DID, f"{other}#k1")
    with pytest.raises(InvalidBadge, match="does not list"):
        did.assertion_method(document, DID, f"{DID}#k2")
    with pytest.raises(InvalidBadge, match="another's"):
        did.assertion_method({**document, "id": other}, DID, f"{DID}#k1")
    not_for_assertions = {**document, "assertionMethod": []}
    with pytest.raises(InvalidBadge, match="does not list"):
        did.assertion_method(not_for_assertions, DID, f"{DID}#k1")
    for wrong in ("did:key:z6Mk", "did:web:", "did:web:example.org::x"):
        with pytest.raises(InvalidBadge):
            did.document_url(wrong)


def test_the_local_contexts_are_all_a_proof_needs(tmp_path: Path) -> None:
    """Signing never fetches: a context with no local copy is an error, not a download."""
    unknown = {**_credential(), "@context": ["https://example.org/unknown-context.json"]}
    with pytest.raises(InvalidBadge, match="cannot be read as linked data"):
        dataintegrity.sign(
            unknown,
            Ed25519PrivateKey.generate(),
            verification_method=f"{DID}#k1",
            created="2026-12-06T10:00:01Z",
            loader=Documents(tmp_path).load,
        )


def test_a_type_no_context_defines_is_refused_before_it_is_signed() -> None:
    """Data Integrity verifiers read JSON-LD in safe mode (DCC refused our credentials over
    `1EdTechJsonSchemaValidator2019` before its context was named): such a badge is never
    signed, nor accepted by our verifier."""
    relative = {
        **_credential(),
        "credentialSchema": [{"id": "https://example.org/s.json", "type": "UnknownValidator"}],
    }
    with pytest.raises(InvalidBadge, match="not an absolute IRI"):
        dataintegrity.sign(
            relative,
            Ed25519PrivateKey.generate(),
            verification_method=f"{DID}#k1",
            created="2026-12-06T10:00:01Z",
            loader=DOCUMENTS.load,
        )
