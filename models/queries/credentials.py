"""Issuers, signing keys, credentials, endorsements. Nothing here commits."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.enums import KeyAlgorithm, KeyStatus
from models.errors import NotFound
from models.tables import (
    Credential,
    Endorsement,
    Issuer,
    Organisation,
    PublicAddress,
    SigningKey,
)


def get_issuer(session: Session, issuer_id: int) -> Issuer:
    issuer = session.get(Issuer, issuer_id)
    if issuer is None:
        raise NotFound(f"no issuer {issuer_id}")
    return issuer


def issuer_of_organisation(session: Session, organisation_id: int) -> Issuer | None:
    return session.exec(
        select(Issuer).where(col(Issuer.organisation_id) == organisation_id)
    ).first()


def platform_issuer(session: Session) -> Issuer | None:
    """The issuer that speaks for the platform (no organisation); the oldest if several."""
    return session.exec(
        select(Issuer).where(col(Issuer.organisation_id).is_(None)).order_by(col(Issuer.id))
    ).first()


def issuers(session: Session) -> list[Issuer]:
    return list(session.exec(select(Issuer).order_by(col(Issuer.id))))


def active_key(session: Session, issuer_id: int, algorithm: KeyAlgorithm) -> SigningKey | None:
    return session.exec(
        select(SigningKey).where(
            col(SigningKey.issuer_id) == issuer_id,
            col(SigningKey.algorithm) == algorithm,
            col(SigningKey.status) == KeyStatus.ACTIVE,
        )
    ).first()


def keys_of(session: Session, issuer_id: int) -> list[SigningKey]:
    return list(
        session.exec(
            select(SigningKey)
            .where(col(SigningKey.issuer_id) == issuer_id)
            .order_by(col(SigningKey.id))
        )
    )


def public_addresses(session: Session) -> list[str]:
    """The addresses badges were published at, oldest first."""
    return list(session.exec(select(PublicAddress.base).order_by(col(PublicAddress.id))))


def record_public_address(session: Session, base: str) -> None:
    """Records the address (flushed, not committed); nothing if it is known."""
    if session.exec(select(PublicAddress.id).where(col(PublicAddress.base) == base)).first():
        return
    session.add(PublicAddress(base=base))
    session.flush()


def find_key_at(session: Session, kids: Sequence[str]) -> SigningKey | None:
    """The key of any of these kids (one key, named at each of the service's addresses)."""
    return session.exec(select(SigningKey).where(col(SigningKey.kid).in_(kids))).first()


def published_keys(session: Session) -> list[SigningKey]:
    """Every key, active and retired: an old credential stays verifiable as long as its key
    is listed."""
    return list(session.exec(select(SigningKey).order_by(col(SigningKey.id))))


def get_key(session: Session, key_id: int) -> SigningKey:
    key = session.get(SigningKey, key_id)
    if key is None:
        raise NotFound(f"no signing key {key_id}")
    return key


def get_credential(session: Session, credential_id: str) -> Credential:
    credential = session.get(Credential, credential_id)
    if credential is None:
        raise NotFound(f"no credential {credential_id}")
    return credential


def credential_of_mission(session: Session, mission_id: int) -> Credential | None:
    return session.exec(select(Credential).where(col(Credential.mission_id) == mission_id)).first()


def credentials_of_issuer(session: Session, issuer_id: int) -> list[Credential]:
    return list(
        session.exec(
            select(Credential)
            .where(col(Credential.issuer_id) == issuer_id)
            .order_by(col(Credential.issued_at))
        )
    )


def revoked(session: Session, issuer_id: int) -> list[Credential]:
    """The issuer's revoked credentials, oldest revocation first."""
    return list(
        session.exec(
            select(Credential)
            .where(col(Credential.issuer_id) == issuer_id, col(Credential.revoked_at).is_not(None))
            .order_by(col(Credential.revoked_at), col(Credential.id))
        )
    )


def revoked_indexes(session: Session, issuer_id: int, status_list: int) -> list[int]:
    return list(
        session.exec(
            select(Credential.status_list_index).where(
                col(Credential.issuer_id) == issuer_id,
                col(Credential.status_list) == status_list,
                col(Credential.revoked_at).is_not(None),
            )
        )
    )


def endorsement_of(session: Session, credential_id: str) -> Endorsement | None:
    return session.exec(
        select(Endorsement).where(col(Endorsement.credential_id) == credential_id)
    ).first()


def get_endorsement(session: Session, endorsement_id: str) -> Endorsement:
    endorsement = session.get(Endorsement, endorsement_id)
    if endorsement is None:
        raise NotFound(f"no endorsement {endorsement_id}")
    return endorsement


def organisations_by_id(session: Session, ids: Sequence[int]) -> dict[int, Organisation]:
    return {
        o.id: o
        for o in session.exec(select(Organisation).where(col(Organisation.id).in_(ids)))
        if o.id is not None
    }


def active_keys(session: Session, issuer_id: int) -> dict[KeyAlgorithm, SigningKey]:
    return {
        key.algorithm: key
        for key in session.exec(
            select(SigningKey).where(
                col(SigningKey.issuer_id) == issuer_id, col(SigningKey.status) == KeyStatus.ACTIVE
            )
        )
    }
