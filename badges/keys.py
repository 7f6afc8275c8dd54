"""Signing keys: generation, the public JWK a verifier fetches, and the private key at rest.

A private key is only ever stored as PKCS#8 PEM encrypted with the key-encryption secret
(AES-256-CBC under a PBKDF2-derived key, `cryptography`'s best available encryption), whether
the service keeps it in the database or in a file: a copy of either alone signs nothing.
"""

import json
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from badges.errors import SigningKeyError

# RS256 and ES256 sign JWTs (VC-JWT, OB 2.0 JWS); EdDSA (Ed25519) signs Data Integrity proofs.
Algorithm = Literal["RS256", "ES256", "EdDSA"]
ALGORITHMS: tuple[Algorithm, ...] = ("RS256", "ES256", "EdDSA")
RSA_BITS = 3072  # NIST SP 800-57: 128-bit security, valid beyond 2030 (credentials last years)
# Members a public JWK may carry; anything else (notably d, p, q, dp, dq, qi) is never published.
PUBLIC_MEMBERS = frozenset({"kty", "n", "e", "crv", "x", "y", "kid", "alg", "use", "iss"})

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
VerifyingKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
_PRIVATE_TYPES: dict[str, type] = {
    "RS256": rsa.RSAPrivateKey,
    "ES256": ec.EllipticCurvePrivateKey,
    "EdDSA": ed25519.Ed25519PrivateKey,
}


@dataclass(frozen=True)
class GeneratedKey:
    public_jwk: dict[str, Any]
    encrypted_pem: str  # PKCS#8, encrypted with the key-encryption secret


@dataclass(frozen=True)
class PrivateKey:
    """A decrypted key, ready to sign; never stored or logged."""

    kid: str
    algorithm: Algorithm
    key: SigningKey

    def __repr__(self) -> str:  # keeps the key material out of logs and tracebacks
        return f"PrivateKey(kid={self.kid!r}, algorithm={self.algorithm!r})"


def generate(algorithm: Algorithm, *, kid: str, issuer: str, secret: str) -> GeneratedKey:
    """A new key pair: its public JWK (with `kid`, `alg`, `use` and the issuer as `iss`, so
    one JWKS can hold many issuers' keys) and the private key encrypted with `secret`."""
    key: SigningKey
    if algorithm == "RS256":
        key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    elif algorithm == "ES256":
        key = ec.generate_private_key(ec.SECP256R1())
    elif algorithm == "EdDSA":
        key = ed25519.Ed25519PrivateKey.generate()
    else:
        raise SigningKeyError(f"unsupported signing algorithm {algorithm!r}")
    return GeneratedKey(public_jwk(key.public_key(), kid=kid, issuer=issuer), encrypt(key, secret))


def public_jwk(key: VerifyingKey, *, kid: str, issuer: str) -> dict[str, Any]:
    if isinstance(key, rsa.RSAPublicKey):
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key))
        alg = "RS256"
    elif isinstance(key, ed25519.Ed25519PublicKey):
        jwk = json.loads(OKPAlgorithm.to_jwk(key))
        alg = "EdDSA"
    else:
        jwk = json.loads(ECAlgorithm.to_jwk(key))
        alg = "ES256"
    jwk.pop("key_ops", None)
    return {**jwk, "kid": kid, "alg": alg, "use": "sig", "iss": issuer}


def encrypt(key: SigningKey, secret: str) -> str:
    if not secret:
        raise SigningKeyError("an empty key-encryption secret cannot protect a signing key")
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(secret.encode("utf-8")),
    ).decode("ascii")


def decrypt(encrypted_pem: str, secret: str, *, kid: str, algorithm: Algorithm) -> PrivateKey:
    """Raises:
    SigningKeyError: wrong secret, damaged PEM, or a key of another kind than `algorithm`."""
    try:
        key: PrivateKeyTypes = serialization.load_pem_private_key(
            encrypted_pem.encode("ascii"), password=secret.encode("utf-8")
        )
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(
            f"cannot decrypt the signing key {kid}: wrong key-encryption secret or damaged key"
        ) from exc
    if not isinstance(key, _PRIVATE_TYPES[algorithm]) or not isinstance(
        key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise SigningKeyError(f"the signing key {kid} is not an {algorithm} key")
    return PrivateKey(kid, algorithm, key)


def verifying_key(jwk: dict[str, Any]) -> VerifyingKey:
    """The public key of a JWK.

    Raises:
        SigningKeyError: not an RSA, P-256 or Ed25519 public key, or private members present.
    """
    if set(jwk) & {"d", "p", "q", "dp", "dq", "qi"}:
        raise SigningKeyError("a published key must not carry private members")
    try:
        key: object
        if jwk.get("kty") == "RSA":
            key = RSAAlgorithm.from_jwk(jwk)
        elif jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            key = ECAlgorithm.from_jwk(jwk)
        elif jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            key = OKPAlgorithm.from_jwk(jwk)
        else:
            raise SigningKeyError(f"unsupported key type {jwk.get('kty')!r}")
    except (ValueError, KeyError, TypeError) as exc:
        raise SigningKeyError(f"malformed public key: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise SigningKeyError("the key is not a public key")
    return key


def public_pem(jwk: dict[str, Any]) -> str:
    """The key as SubjectPublicKeyInfo PEM (OB 2.0's `publicKeyPem`)."""
    return (
        verifying_key(jwk)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
