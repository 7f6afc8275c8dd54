"""Data Integrity proofs with the cryptosuite eddsa-rdfc-2022 (W3C VC Data Integrity EdDSA
Cryptosuites v1.0, §3.2), the embedded proof that wallets and verifiers without a VC-JWT path
(DCC verifier-core, the Learner Credential Wallet) check.

The signature covers sha256(canonical proof options) followed by sha256(canonical document):
both canonicalised as RDF datasets (RDFC-1.0, which pyld calls URDNA2015) against the local
copies of the contexts, so a term no context defines would be dropped from what is signed;
issuing refuses such documents before this point (badges.conformance). Keys are Ed25519,
written as Multikey (multibase base58-btc of the multicodec `ed25519-pub` key).
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from multiformats import multibase, multicodec
from pyld import jsonld

from badges.errors import InvalidBadge

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PURPOSE = "assertionMethod"
_ED25519_PUB = "ed25519-pub"

# Relative IRIs are resolved against this, so that they can be found (see _canonical_text).
_RELATIVE = "https://relative-iri.invalid/"  # RFC 2606: a name that never resolves
# pyld's document loader: (url, options) -> {"document": …, "documentUrl": …}
Loader = Callable[[str, dict[str, Any]], dict[str, Any]]


def multikey(key: Ed25519PublicKey) -> str:
    """The key as a Multikey `publicKeyMultibase` ("z6Mk…")."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return str(multibase.encode(multicodec.wrap(_ED25519_PUB, raw), "base58btc"))


def public_key(multibase_key: str) -> Ed25519PublicKey:
    """Raises:
    InvalidBadge: not a base58-btc Multikey of an Ed25519 public key."""
    try:
        if not multibase_key.startswith("z"):
            raise ValueError("not base58-btc")
        codec, raw = multicodec.unwrap(multibase.decode(multibase_key))
    except (ValueError, KeyError) as exc:
        raise InvalidBadge(f"the key {multibase_key[:20]!r}… is not a Multikey: {exc}") from exc
    if codec.name != _ED25519_PUB or len(raw) != 32:
        raise InvalidBadge(f"the key is a {codec.name} key, not an Ed25519 one")
    return Ed25519PublicKey.from_public_bytes(raw)


def _canonical(document: Mapping[str, Any], loader: Loader) -> bytes:
    return _canonical_text(json.dumps(document, sort_keys=True, ensure_ascii=False), loader)


# Canonicalization is most of a proof's cost (about 25 ms for a badge): a badge checked again
# (its page, a verifier asked twice) is not canonicalized twice. The result depends only on the
# document and the local contexts.
@lru_cache(maxsize=256)
def _canonical_text(text: str, loader: Loader) -> bytes:
    try:
        nquads = jsonld.normalize(
            json.loads(text),
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": loader,
                "base": _RELATIVE,
            },
        )
    except jsonld.JsonLdError as exc:
        raise InvalidBadge(f"the document cannot be read as linked data: {exc}") from exc
    if _RELATIVE in nquads:
        # pyld has no safe mode (jsonld.js has, and Data Integrity verifiers use it): a type or
        # id that is no absolute IRI would be signed here and refused there.
        raise InvalidBadge("the document has a type or id that is not an absolute IRI")
    return str(nquads).encode("utf-8")


def _signed_bytes(
    unsecured: Mapping[str, Any], options: Mapping[str, Any], loader: Loader
) -> bytes:
    config = {"@context": unsecured["@context"], **options}
    return (
        hashlib.sha256(_canonical(config, loader)).digest()
        + hashlib.sha256(_canonical(unsecured, loader)).digest()
    )


def unsecured(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document without its proofs."""
    return {k: v for k, v in document.items() if k != "proof"}


def sign(
    document: Mapping[str, Any],
    key: Ed25519PrivateKey,
    *,
    verification_method: str,
    created: str,
    loader: Loader,
) -> dict[str, Any]:
    """The document with one eddsa-rdfc-2022 proof, as an array (the 1EdTech schema wants
    `proof` to be one). A proof it carried already is replaced."""
    bare = unsecured(document)
    options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PURPOSE,
    }
    signature = key.sign(_signed_bytes(bare, options, loader))
    return {**bare, "proof": [{**options, "proofValue": multibase.encode(signature, "base58btc")}]}


def proofs(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's proofs (one object or an array), whatever their kind."""
    found = document.get("proof")
    listed = found if isinstance(found, list) else [] if found is None else [found]
    return [p for p in listed if isinstance(p, dict)]


@dataclass(frozen=True)
class Proof:
    """An eddsa-rdfc-2022 proof as read from a document, not yet checked."""

    options: dict[str, Any]  # every member but proofValue
    signature: bytes

    @property
    def verification_method(self) -> str:
        return str(self.options.get("verificationMethod", ""))

    @property
    def purpose(self) -> str:
        return str(self.options.get("proofPurpose", ""))


def read(proof: Mapping[str, Any]) -> Proof:
    """Raises:
    InvalidBadge: not a DataIntegrityProof of the eddsa-rdfc-2022 suite, or no readable
    proofValue."""
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise InvalidBadge(
            f"a {proof.get('type')} proof ({proof.get('cryptosuite')}) is not supported: "
            f"only {PROOF_TYPE} with {CRYPTOSUITE}"
        )
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise InvalidBadge("the proof has no base58-btc proofValue")
    try:
        signature = bytes(multibase.decode(value))
    except (ValueError, KeyError) as exc:
        raise InvalidBadge(f"the proofValue cannot be decoded: {exc}") from exc
    if not isinstance(proof.get("verificationMethod"), str):
        raise InvalidBadge("the proof names no verificationMethod")
    options = {k: v for k, v in proof.items() if k not in ("proofValue", "@context")}
    return Proof(options, signature)


def holds(document: Mapping[str, Any], proof: Proof, key: Ed25519PublicKey, loader: Loader) -> bool:
    """Whether `key` made the proof over the document (its other proofs set aside).

    Raises:
        InvalidBadge: the document cannot be canonicalised."""
    try:
        key.verify(proof.signature, _signed_bytes(unsecured(document), proof.options, loader))
    except InvalidSignature:
        return False
    return True
