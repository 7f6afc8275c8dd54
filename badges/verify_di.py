"""Keys named by DID URLs, and Data Integrity proofs (eddsa-rdfc-2022).

A key is trusted for an issuer only when the issuer's own DID document lists it as one of its
assertion methods: the key's DID URL must be under the issuer's DID, and the document is read
at the address the DID names (did:web), never taken from the badge.
"""

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from badges import dataintegrity, did
from badges.conformance import Documents
from badges.errors import BadgeError, InvalidBadge
from badges.keys import verifying_key
from badges.keysets import KeySets, Published
from badges.report import FetchError, Findings, Resolver

_ACCEPT = "application/did+ld+json, application/did+json, application/json"


def method(
    method_id: str, issuer: str, resolver: Resolver, keysets: KeySets
) -> tuple[dict[str, Any], dict[str, Published]]:
    """The verification method `method_id`, as the issuer's DID document lists it, and the
    keys already read from that document (kept with it).

    Raises:
        InvalidBadge: the key is not the issuer's, or the issuer does not list it.
        FetchError: the DID document cannot be read."""
    owner = did.controller(method_id)
    if owner != issuer:
        raise InvalidBadge(f"the key {method_id} belongs to {owner}, not to the issuer {issuer}")
    body, read = keysets.document(did.document_url(owner), method_id, resolver, accept=_ACCEPT)
    return did.assertion_method(body, owner, method_id), read


def ed25519_key(found: dict[str, Any]) -> Ed25519PublicKey:
    """The Ed25519 key of a verification method (Multikey, or an OKP JWK).

    Raises:
        InvalidBadge: the method holds no Ed25519 key."""
    if isinstance(found.get("publicKeyMultibase"), str):
        return dataintegrity.public_key(found["publicKeyMultibase"])
    jwk = found.get("publicKeyJwk")
    if isinstance(jwk, dict):
        try:
            key = verifying_key(jwk)
        except BadgeError as exc:
            raise InvalidBadge(str(exc)) from exc
        if isinstance(key, Ed25519PublicKey):
            return key
    raise InvalidBadge(f"the key {found.get('id')} is not an Ed25519 key")


def proof_holds(
    document: dict[str, Any],
    issuer: str,
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
) -> str:
    """The key of the first proof of the issuer's that verifies over the document.

    Raises:
        InvalidBadge: the document carries no proof that verifies, with each proof's reason.
        FetchError: the issuer's DID document cannot be read."""
    reasons = []
    for proof in dataintegrity.proofs(document):
        try:
            read = dataintegrity.read(proof)
            if read.purpose != dataintegrity.PURPOSE:
                raise InvalidBadge(
                    f"the proof is for {read.purpose!r}, not {dataintegrity.PURPOSE}"
                )
            key = ed25519_key(method(read.verification_method, issuer, resolver, keysets)[0])
            if dataintegrity.holds(document, read, key, documents.load):
                return read.verification_method
            reasons.append(
                "the proof does not match the content: the badge was altered or signed by "
                "someone else"
            )
        except InvalidBadge as exc:
            reasons.append(str(exc))
    if not reasons:
        raise InvalidBadge("the document carries no proof")
    raise InvalidBadge("; ".join(reasons))


def check_proof(
    document: dict[str, Any],
    issuer: str,
    resolver: Resolver,
    documents: Documents,
    keysets: KeySets,
    found: Findings,
) -> bool:
    """Adds the "embedded proof" check; whether a proof verified."""
    try:
        key = proof_holds(document, issuer, resolver, documents, keysets)
    except (InvalidBadge, FetchError) as exc:
        found.failed("embedded proof", "%(error)s", error=exc)
        return False
    found.passed(
        "embedded proof",
        "eddsa-rdfc-2022 proof verified with the key %(kid)s of %(issuer)s",
        kid=key,
        issuer=issuer,
    )
    return True
