"""Organisations, their programmes, and the people who act for them."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import Cause, IdentifierKind, MemberRole, OrganisationKind, Verification
from models.tables.base import COUNTRY_CODE_LENGTH
from models.types import AwareDateTime, enum_type, utcnow


class Organisation(SQLModel, table=True):
    """An association (needs help), a company (employs volunteers) or a foundation."""

    __table_args__ = (
        sa.CheckConstraint("staff_size IS NULL OR staff_size >= 0", name="staff_size"),
        sa.CheckConstraint("length(country) = 2", name="country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200)
    kind: OrganisationKind = Field(sa_type=enum_type(OrganisationKind, "kind"))
    cause: Cause | None = Field(default=None, sa_type=enum_type(Cause, "cause"))
    city: str = Field(max_length=120)
    country: str = Field(max_length=COUNTRY_CODE_LENGTH)
    staff_size: int | None = None
    website: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # Associations: the identifier they gave, and its check by a platform admin.
    identifier_kind: IdentifierKind | None = Field(
        default=None, sa_type=enum_type(IdentifierKind, "identifier_kind")
    )
    identifier: str | None = Field(default=None, max_length=40)
    verification: Verification = Field(
        default=Verification.PENDING, sa_type=enum_type(Verification, "verification")
    )
    verified_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    verified_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    verification_note: str = Field(default="", max_length=500)


class AssociationDocument(SQLModel, table=True):
    """What an association without a register number sends to prove it exists (statutes, a
    prefecture's receipt): read by a platform admin only."""

    __tablename__ = "association_document"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    content: bytes = Field(sa_type=sa.LargeBinary)
    uploaded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Programme(SQLModel, table=True):
    """A company's skills-based volunteering programme, run by the company or its foundation."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200)
    company_id: int = Field(foreign_key="organisation.id", index=True)
    run_by_id: int = Field(foreign_key="organisation.id", index=True)
    description: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Account(SQLModel, table=True):
    """A person who signs in. Emails are stored lower-cased so that uniqueness ignores case."""

    __table_args__ = (
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        sa.CheckConstraint("locale IN ('fr', 'en')", name="locale"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=120)
    password_hash: str | None = Field(default=None, max_length=255)
    locale: str = Field(default="fr", max_length=2)
    is_platform_admin: bool = False
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # Where the person lives, for the times of a call (IANA name); none: the platform's.
    timezone: str | None = Field(default=None, max_length=64)
    # The weekly email of new needs (volunteers) or volunteers (associations) that fit.
    weekly_digest: bool = False
    # The mail server refused this address for good: shown to its owner, no email is tried.
    bounced_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    bounce_detail: str | None = Field(default=None, max_length=500)


class Membership(SQLModel, table=True):
    """An account acting for an organisation: association member or company/foundation manager."""

    __table_args__ = (sa.UniqueConstraint("account_id", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    role: MemberRole = Field(sa_type=enum_type(MemberRole, "role"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token an account calls the API with. Only its SHA-256 is stored: the token
    itself is shown once, when it is made (`probono token create`)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    token_sha256: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class WebSession(SQLModel, table=True):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
    copy of the database opens no session."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    expires_at: datetime = Field(sa_type=AwareDateTime)


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, to slow down password guessing by account and by address."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.Index("ix_login_attempt_email_at", "email", "at"),
        sa.Index("ix_login_attempt_address_at", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    address: str = Field(max_length=64)  # the client's IP address
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    succeeded: bool = False
