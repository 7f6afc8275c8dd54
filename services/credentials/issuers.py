"""Issuer profiles and their signing keys: creation, decryption for signing, rotation.

Each association may be an issuer of its own (with its own keys); otherwise the platform's
issuer signs on its behalf and the credential says so. Private keys are encrypted with the
key-encryption key from the settings, in the database or in files (`signing_key_store`).
Nothing here commits: the use-cases that call it do.
"""

import dataclasses
import os
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlmodel import Session

from badges import conformance, dataintegrity, did, keys, signing
from badges.errors import SigningKeyError
from badges.record import IssuerProfile, iso
from config import Settings
from models import (
    Conflict,
    Issuer,
    KeyAlgorithm,
    KeyStatus,
    Organisation,
    OrganisationKind,
    SigningKey,
    persisted_id,
    queries,
    utcnow,
)
from models.queries.issuance import IssuerRow, KeyRow
from services.credentials import addresses
from services.credentials.urls import PublicUrls

# A key as the database holds it: the ORM row, or the plain row issuing reads.
StoredKey = SigningKey | KeyRow


def platform_issuer(session: Session, settings: Settings) -> Issuer:
    found = queries.credentials.platform_issuer(session)
    if found is not None:
        return found
    issuer = Issuer(
        name=settings.platform_name,
        url=settings.public_base_url,
        email=settings.platform_email,
        description=(
            f"{settings.platform_name} issues the badges of associations that have no issuer "
            "profile of their own, on their behalf; each badge names the association."
        ),
    )
    session.add(issuer)
    session.flush()
    return issuer


def own_issuer(session: Session, organisation: Organisation, settings: Settings) -> Issuer:
    """The association's own issuer profile, made on first use."""
    if organisation.kind is not OrganisationKind.ASSOCIATION:
        raise Conflict(f"{organisation.name} is not an association: it issues no badges")
    found = queries.credentials.issuer_of_organisation(session, persisted_id(organisation.id))
    if found is not None:
        return found
    urls = PublicUrls.of(settings.public_base_url)
    issuer = Issuer(
        organisation_id=organisation.id,
        name=organisation.name,
        url=organisation.website or urls.organisation(organisation.slug),
        email=settings.platform_email,
        description=organisation.description or f"{organisation.name}, an association.",
    )
    session.add(issuer)
    session.flush()
    return issuer


def profile(issuer: Issuer | IssuerRow, urls: PublicUrls, settings: Settings) -> IssuerProfile:
    issuer_id = persisted_id(issuer.id)
    return IssuerProfile(
        ob3_id=urls.issuer_did(issuer_id),
        ob2_id=urls.ob2_issuer(issuer_id),
        name=issuer.name,
        url=issuer.url,
        email=issuer.email or settings.platform_email,
        description=issuer.description,
    )


def key_uuid(key: StoredKey) -> str:
    return key.kid.rsplit("/", 1)[-1]


def create_key(
    session: Session, settings: Settings, issuer: Issuer, algorithm: KeyAlgorithm
) -> SigningKey:
    urls = PublicUrls.of(settings.public_base_url)
    addresses.record(session, settings)  # the address this key's badges will name
    name = str(uuid.uuid4())
    made = keys.generate(
        algorithm.value,
        kid=urls.key(name),
        issuer=urls.issuer(persisted_id(issuer.id)),
        secret=settings.secret("key_encryption_key").get_secret_value(),
    )
    key = SigningKey(
        kid=urls.key(name),
        issuer_id=persisted_id(issuer.id),
        algorithm=algorithm,
        public_jwk=made.public_jwk,
    )
    if settings.signing_key_store == "files":
        key.private_key_path = str(_write_key_file(settings.signing_key_dir, name, made))
    else:
        key.private_key_encrypted = made.encrypted_pem
    session.add(key)
    session.flush()
    return key


def _write_key_file(folder: Path, name: str, made: keys.GeneratedKey) -> Path:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{name}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(made.encrypted_pem)
    return path


def signing_key(
    session: Session, settings: Settings, issuer: Issuer, algorithm: KeyAlgorithm
) -> SigningKey:
    """The issuer's active key for that algorithm, made on first use."""
    found = queries.credentials.active_key(session, persisted_id(issuer.id), algorithm)
    return found or create_key(session, settings, issuer, algorithm)


def signing_keys(
    session: Session, settings: Settings, issuer: Issuer, *algorithms: KeyAlgorithm
) -> list[SigningKey]:
    """The issuer's active key for each algorithm (one query), made on first use."""
    active = queries.credentials.active_keys(session, persisted_id(issuer.id))
    for algorithm in algorithms:
        if algorithm not in active:
            active[algorithm] = create_key(session, settings, issuer, algorithm)
    return [active[a] for a in algorithms]


def private_key(settings: Settings, key: StoredKey, urls: PublicUrls) -> keys.PrivateKey:
    """The decrypted key, ready to sign, named at the address it signs for: a verification
    method of its issuer's DID document.

    Decrypting costs a deliberately slow key derivation (about 140 ms): each process keeps
    the keys it has decrypted, by key and by key-encryption secret, so a changed secret is
    never served from memory.

    Raises:
        SigningKeyError: the key file is missing, or the key cannot be decrypted.
    """
    if key.private_key_encrypted is not None:
        encrypted = key.private_key_encrypted
    else:
        try:
            encrypted = Path(str(key.private_key_path)).read_text(encoding="ascii")
        except OSError as exc:
            raise SigningKeyError(f"the private key file of {key.kid} cannot be read") from exc
    secret = settings.secret("key_encryption_key").get_secret_value()
    found = _decrypted(key.kid, key.algorithm.value, encrypted, secret)
    return dataclasses.replace(found, kid=urls.key_id(key.issuer_id, key_uuid(key)))


@lru_cache(maxsize=256)
def _decrypted(kid: str, algorithm: keys.Algorithm, encrypted: str, secret: str) -> keys.PrivateKey:
    return keys.decrypt(encrypted, secret, kid=kid, algorithm=algorithm)


def public_jwk(key: SigningKey, urls: PublicUrls) -> dict[str, Any]:
    """What verifiers see of a key: its public members, named at the address it is read at,
    and whether it is retired."""
    jwk = {k: v for k, v in key.public_jwk.items() if k in keys.PUBLIC_MEMBERS}
    jwk["kid"], jwk["iss"] = urls.key(key_uuid(key)), urls.issuer(key.issuer_id)
    if key.status is KeyStatus.RETIRED:
        jwk["retired"] = True  # RFC 7517: verifiers ignore members they do not know
    return jwk


def documents(settings: Settings) -> conformance.Documents:
    """The local contexts and schema (Data Integrity proofs are made and checked with them)."""
    return conformance.local(settings.data_dir / "openbadges")


def secure(
    document: dict[str, Any],
    settings: Settings,
    urls: PublicUrls,
    *,
    jwt_key: StoredKey,
    proof_key: StoredKey,
) -> tuple[dict[str, Any], str]:
    """The document with its Data Integrity proof (eddsa-rdfc-2022), and the VC-JWT of that
    document, proof included: one credential, two ways to check it."""
    proved = prove(document, settings, urls, proof_key)
    return proved, signing.sign_credential(proved, private_key(settings, jwt_key, urls))


def prove(
    document: dict[str, Any], settings: Settings, urls: PublicUrls, proof_key: StoredKey
) -> dict[str, Any]:
    """The document with a Data Integrity proof (eddsa-rdfc-2022) made now by `proof_key`."""
    signer = private_key(settings, proof_key, urls)
    if not isinstance(signer.key, Ed25519PrivateKey):
        raise SigningKeyError(f"the key {proof_key.kid} is not an Ed25519 key")
    return dataintegrity.sign(
        document,
        signer.key,
        verification_method=signer.kid,
        created=iso(utcnow()),
        loader=documents(settings).load,
    )


def did_methods(stored: list[SigningKey], urls: PublicUrls) -> list[did.Method]:
    """Every key the issuer ever had, as verification methods of its DID document: what one
    signed stays verifiable after it is retired."""
    methods = []
    for key in stored:
        method_id = urls.key_id(key.issuer_id, key_uuid(key))
        public = keys.verifying_key(key.public_jwk)
        if isinstance(public, Ed25519PublicKey):
            methods.append(did.Method(method_id, multibase=dataintegrity.multikey(public)))
        else:
            jwk = {k: v for k, v in key.public_jwk.items() if k in keys.PUBLIC_MEMBERS}
            jwk.pop("iss", None)
            methods.append(did.Method(method_id, jwk={**jwk, "kid": method_id}))
    return methods


def retire(key: SigningKey) -> None:
    key.status, key.retired_at = KeyStatus.RETIRED, utcnow()
    session = Session.object_session(key)
    if session is not None:
        session.flush()  # the active slot is free before a new key takes it
