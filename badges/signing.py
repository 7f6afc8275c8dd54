"""Signatures: OB 3.0 credentials as VC-JWTs, OB 2.0 assertions as compact JWS.

VC-JWT (OB 3.0 integrity rules): the header holds `alg`, `kid` (a URL serving the one public
JWK) and `typ: JWT` and nothing else; the payload is the credential itself plus `iss`, `jti`,
`sub`, `nbf` (and `exp`) mapped from it. Decoding pins the algorithm to the key's own and
leaves the dates to the verifier's report, so that it can say "expired" instead of "invalid".
"""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jwt
from jwt import api_jws

from badges.errors import InvalidBadge
from badges.keys import Algorithm, PrivateKey, VerifyingKey

# The only JOSE header members an OB 3.0 VC-JWT may carry.
ALLOWED_HEADER = frozenset({"alg", "kid", "typ", "jwk"})
ALLOWED_ALGORITHMS: tuple[Algorithm, ...] = ("RS256", "ES256")


def epoch(moment: str) -> int:
    """Seconds since the epoch of an ISO 8601 date-time with a time zone."""
    parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise InvalidBadge(f"the date {moment!r} has no time zone")
    return int(parsed.timestamp())


def _issuer_id(credential: Mapping[str, Any]) -> str:
    issuer = credential["issuer"]
    return str(issuer["id"] if isinstance(issuer, Mapping) else issuer)


def registered_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The JWT claims the spec maps from the credential's own fields."""
    claims: dict[str, Any] = {
        "iss": _issuer_id(credential),
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": epoch(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = epoch(credential["validUntil"])
    return claims


def sign_credential(credential: Mapping[str, Any], key: PrivateKey) -> str:
    """A VC-JWT of the credential (which is not changed)."""
    claims = {**credential, **registered_claims(credential)}
    return jwt.encode(claims, key.key, algorithm=key.algorithm, headers={"kid": key.kid})


def sign_assertion(assertion: Mapping[str, Any], key: PrivateKey) -> str:
    """A signed OB 2.0 assertion: compact JWS, RS256 (the only algorithm OB 2.0 verifiers
    know), the assertion JSON as payload."""
    if key.algorithm != "RS256":
        raise InvalidBadge("OB 2.0 signed assertions use RS256 keys only")
    payload = json.dumps(assertion, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return api_jws.encode(payload, key.key, algorithm="RS256")


def header(token: str) -> dict[str, Any]:
    """The unverified JOSE header.

    Raises:
        InvalidBadge: not a compact JWS.
    """
    try:
        found: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidBadge(f"not a compact JWS/JWT: {exc}") from exc
    return found


def unverified_payload(token: str) -> dict[str, Any]:
    """The payload, not checked: to find the issuer and the key before verifying."""
    try:
        payload = api_jws.decode_complete(token, options={"verify_signature": False})["payload"]
        found = json.loads(payload)
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidBadge(f"the token's payload is not JSON: {exc}") from exc
    if not isinstance(found, dict):
        raise InvalidBadge("the token's payload is not a JSON object")
    return found


def verify_token(token: str, key: VerifyingKey, algorithm: Algorithm) -> dict[str, Any]:
    """The payload of a JWS whose signature `key` makes with `algorithm` (pinned: the header's
    own `alg` is never trusted to choose).

    Raises:
        InvalidBadge: the signature does not verify, or the payload is not a JSON object.
    """
    try:
        payload = api_jws.decode(token, key, algorithms=[algorithm])
        found = json.loads(payload)
    except jwt.InvalidSignatureError as exc:
        raise InvalidBadge("the signature does not match the content") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidBadge(f"the signature cannot be checked: {exc}") from exc
    if not isinstance(found, dict):
        raise InvalidBadge("the signed payload is not a JSON object")
    return found
