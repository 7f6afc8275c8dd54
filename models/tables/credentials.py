"""Issuers, their signing keys, and the credentials issued for completed missions."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import KeyAlgorithm, KeyStatus
from models.types import AwareDateTime, JSONDocument, enum_type, utcnow


class PublicAddress(SQLModel, table=True):
    """An address (PROBONO_PUBLIC_BASE_URL) this service has published badges at. Badges
    carry it for years in their issuer, key and status URLs: the service keeps answering for
    every one of them, and refuses to start at an address that is not one (a typo, or a move
    not made with `probono issuers move-address`)."""

    __tablename__ = "public_address"

    id: int | None = Field(default=None, primary_key=True)
    base: str = Field(max_length=300, unique=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Issuer(SQLModel, table=True):
    """An issuer profile: an association, or the platform (no organisation) on its behalf."""

    __table_args__ = (
        sa.CheckConstraint(
            "status_list >= 1 AND status_list_used >= 0", name="status_list_position"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", unique=True)
    name: str = Field(max_length=200)
    url: str = Field(max_length=300)
    email: str | None = Field(default=None, max_length=254)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # The status list new credentials go into, and how many entries it has given: kept here
    # so that issuing reads one row instead of counting the issuer's credentials.
    status_list: int = 1
    status_list_used: int = 0


class SigningKey(SQLModel, table=True):
    __tablename__ = "signing_key"
    __table_args__ = (
        sa.CheckConstraint("(status = 'retired') = (retired_at IS NOT NULL)", name="retired"),
        # The private key lives encrypted in the database or in a file, never both nor neither.
        sa.CheckConstraint(
            "(private_key_encrypted IS NULL) <> (private_key_path IS NULL)", name="private_key"
        ),
        # One active key per issuer and algorithm: the one new credentials are signed with.
        sa.Index(
            "uq_signing_key_active",
            "issuer_id",
            "algorithm",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The URL that serves the public JWK: credentials carry it in their header for years.
    kid: str = Field(max_length=400, unique=True)
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    algorithm: KeyAlgorithm = Field(sa_type=enum_type(KeyAlgorithm, "algorithm"))
    public_jwk: dict[str, Any] = Field(sa_type=JSONDocument)
    private_key_encrypted: str | None = Field(default=None, sa_type=sa.Text)
    private_key_path: str | None = Field(default=None, max_length=500)
    status: KeyStatus = Field(default=KeyStatus.ACTIVE, sa_type=enum_type(KeyStatus, "status"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    retired_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Credential(SQLModel, table=True):
    """The one credential of a completed mission, in both Open Badges representations."""

    __table_args__ = (
        sa.CheckConstraint("(revoked_at IS NULL) = (revocation_reason IS NULL)", name="revocation"),
        sa.CheckConstraint("status_list_index >= 0", name="status_list_index"),
        # Each issuer has its own status lists (a list is signed by the credentials' issuer).
        sa.UniqueConstraint("issuer_id", "status_list", "status_list_index"),
    )

    id: str = Field(primary_key=True, max_length=36)  # UUID, also the public id in URLs
    # Unique: a retried or concurrent completion can never issue a second credential.
    mission_id: int = Field(foreign_key="mission.id", unique=True)
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    # Set when the platform issues for an association that has no issuer profile of its own.
    on_behalf_of_id: int | None = Field(default=None, foreign_key="organisation.id")
    signing_key_id: int = Field(foreign_key="signing_key.id")  # of the OB 3.0 VC-JWT
    ob2_signing_key_id: int = Field(foreign_key="signing_key.id")  # RS256, re-signed on rotation
    subject_id: str = Field(max_length=45)  # "urn:uuid:…", new for each credential
    recipient_hash: str = Field(max_length=100)  # "sha256$…" of the salted email
    recipient_salt: str = Field(max_length=64)
    issued_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    valid_from: datetime = Field(sa_type=AwareDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=AwareDateTime)
    ob3_jwt: str = Field(sa_type=sa.Text)
    ob2_assertion: dict[str, Any] = Field(sa_type=JSONDocument)  # hosted
    ob2_badge_class: dict[str, Any] = Field(sa_type=JSONDocument)  # as issued, never rebuilt
    ob2_jws: str = Field(sa_type=sa.Text)  # signed
    status_list: int = Field(default=1, ge=1)
    status_list_index: int
    revoked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revocation_reason: str | None = Field(default=None, sa_type=sa.Text)


class Endorsement(SQLModel, table=True):
    """The association vouches for a mission's credential (an EndorsementCredential)."""

    id: str = Field(primary_key=True, max_length=36)
    credential_id: str = Field(
        foreign_key="credential.id", unique=True, ondelete="CASCADE", max_length=36
    )
    issuer_id: int = Field(foreign_key="issuer.id", index=True)
    signing_key_id: int = Field(foreign_key="signing_key.id")
    comment: str = Field(sa_type=sa.Text)
    jwt: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
