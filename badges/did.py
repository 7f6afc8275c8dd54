"""Issuer identity by did:web (W3C did:web method; DID Core 1.0).

An issuer at https://host/issuers/3 is `did:web:host:issuers:3`, whose DID document is served
at https://host/issuers/3/did.json. The document lists every key the issuer ever signed with,
current and retired, as verification methods it controls: the Ed25519 key of Data Integrity
proofs as a Multikey, the JWS keys as JsonWebKey. A proof's `verificationMethod` and a VC-JWT's
`kid` are DID URLs into that document, so which issuer a key belongs to is said by the
standard, not by a member of our own.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from badges.errors import InvalidBadge

PREFIX = "did:web:"
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT = "https://w3id.org/security/jwk/v1"


def of_url(url: str) -> str:
    """The did:web of an https (or, in development, http) URL: its host, the port's colon
    percent-encoded, then each path segment."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"{url!r} has no host")
    segments = [quote(unquote(s), safe="") for s in parts.path.split("/") if s]
    return PREFIX + ":".join([quote(parts.netloc, safe=""), *segments])


def document_url(did: str) -> str:
    """Where the DID document of a did:web is read (always over HTTPS, as the method says).

    Raises:
        InvalidBadge: not a did:web."""
    bare = did.split("#", 1)[0]
    if not bare.startswith(PREFIX) or len(bare) == len(PREFIX):
        raise InvalidBadge(f"{did!r} is not a did:web")
    host, *path = bare[len(PREFIX) :].split(":")
    if not host or "/" in unquote(host) or any(not s for s in path):
        raise InvalidBadge(f"{did!r} is not a well-formed did:web")
    segments = "/".join(unquote(s) for s in path)
    return f"https://{unquote(host)}/{segments + '/did.json' if path else '.well-known/did.json'}"


def controller(did_url: str) -> str:
    """The DID a DID URL (`did:web:…#key`) belongs to."""
    return did_url.split("#", 1)[0]


@dataclass(frozen=True)
class Method:
    """One key as its issuer publishes it: a Multikey (`multibase`) or a JWK (`jwk`)."""

    id: str  # a DID URL: the DID, "#", the key's own name
    multibase: str | None = None
    jwk: dict[str, Any] | None = None

    def as_json(self, did: str) -> dict[str, Any]:
        if self.multibase is not None:
            return {
                "id": self.id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": self.multibase,
            }
        return {"id": self.id, "type": "JsonWebKey", "controller": did, "publicKeyJwk": self.jwk}


def document(did: str, methods: Iterable[Method], *, also_known_as: list[str]) -> dict[str, Any]:
    """The DID document: every method is the issuer's and may assert credentials (a retired
    key stays, so what it signed still verifies)."""
    listed = [m.as_json(did) for m in methods]
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT, JWK_CONTEXT],
        "id": did,
        "alsoKnownAs": also_known_as,
        "verificationMethod": listed,
        "assertionMethod": [m["id"] for m in listed],
    }


def assertion_method(document: Any, did: str, method_id: str) -> dict[str, Any]:
    """The verification method `method_id` of the DID document of `did`, if the document is
    that DID's and lets the method assert credentials on its behalf.

    Raises:
        InvalidBadge: the document is not the DID's, or does not list the method as one of
        its assertion methods controlled by the DID."""
    if not isinstance(document, dict) or document.get("id") != did:
        raise InvalidBadge(f"the DID document read for {did} is another's")
    if controller(method_id) != did:
        raise InvalidBadge(f"the key {method_id} belongs to {controller(method_id)}, not to {did}")
    methods = {
        m.get("id"): m for m in document.get("verificationMethod") or [] if isinstance(m, dict)
    }
    allowed = document.get("assertionMethod") or []
    for entry in allowed:
        embedded = entry if isinstance(entry, dict) else None
        if (embedded or {}).get("id") == method_id or entry == method_id:
            found = embedded or methods.get(method_id)
            if found is not None and found.get("controller") == did:
                return dict(found)
    raise InvalidBadge(f"{did} does not list {method_id} as a key asserting its credentials")
