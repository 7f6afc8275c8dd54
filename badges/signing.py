"""Signatures: OB 3.0 credentials as VC-JWTs, OB 2.0 assertions as compact JWS.

VC-JWT (OB 3.0 integrity rules): the header holds `alg`, `kid` (a URL serving the one public
JWK) and `typ: JWT` and nothing else; the payload is the credential itself plus `iss`, `jti`,
`sub`, `nbf` (and `exp`) mapped from it. Decoding pins the algorithm to the key's own and
leaves the dates to the verifier's report, so that it can say "expired" instead of "invalid".
"""

import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import api_jws
from jwt.utils import base64url_decode

from badges import jsontext
from badges.errors import InvalidBadge
from badges.keys import Algorithm, PrivateKey, VerifyingKey

# The claims a VC-JWT adds to the credential it carries.
REGISTERED_CLAIMS = frozenset({"iss", "jti", "sub", "nbf", "exp"})
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
    return api_jws.encode(canonical(assertion), key.key, algorithm="RS256")


def canonical(value: Mapping[str, Any]) -> bytes:
    """Compact UTF-8 JSON, as signed payloads carry it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Parsed:
    """A compact JWS read once: its header, its payload, and what its signature covers."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def parse(token: str) -> Parsed:
    """Raises:
    InvalidBadge: not a compact JWS whose header and payload are JSON objects."""
    try:
        signing_input, _, signature = token.encode("ascii").rpartition(b".")
        head, _, body = signing_input.partition(b".")
        header = jsontext.loads(base64url_decode(head))
        payload = jsontext.loads(base64url_decode(body))
        signed = base64url_decode(signature)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise InvalidBadge(f"not a compact JWS/JWT: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidBadge("the token's header and payload must be JSON objects")
    return Parsed(header, payload, signing_input, signed)


def header(token: str) -> dict[str, Any]:
    """The unverified JOSE header."""
    return parse(token).header


def unverified_payload(token: str) -> dict[str, Any]:
    """The payload, not checked: to find the issuer and the key before verifying."""
    return parse(token).payload


def signature_holds(parsed: Parsed, key: VerifyingKey, algorithm: Algorithm) -> bool:
    """Whether `key` made the signature with `algorithm` (pinned by the caller: the header's
    own `alg` never chooses)."""
    expected = {"RS256": rsa.RSAPublicKey, "ES256": ec.EllipticCurvePublicKey}.get(algorithm)
    if expected is None or not isinstance(key, expected):
        return False  # a key of another kind never vouches for this algorithm
    verifier = jwt.get_algorithm_by_name(algorithm)
    return bool(verifier.verify(parsed.signing_input, key, parsed.signature))


def verify_token(token: str, key: VerifyingKey, algorithm: Algorithm) -> dict[str, Any]:
    """The payload of a JWS whose signature `key` makes with `algorithm`.

    Raises:
        InvalidBadge: not a JWS, or the signature does not verify.
    """
    parsed = parse(token)
    if not signature_holds(parsed, key, algorithm):
        raise InvalidBadge("the signature does not match the content")
    return parsed.payload
