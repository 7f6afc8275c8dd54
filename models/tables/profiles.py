"""Volunteer profiles and association needs, with the competences each states."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import ClaimSource, NeedStatus, WorkMode
from models.tables.base import COUNTRY_CODE_LENGTH, LANGUAGE_CODE_LENGTH
from models.types import AwareDateTime, enum_type, utcnow

_CONFIDENCE = "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)"


class VolunteerProfile(SQLModel, table=True):
    __tablename__ = "volunteer_profile"
    __table_args__ = (
        sa.CheckConstraint("hours_per_month >= 0 AND hours_per_month <= 200", name="hours"),
        sa.CheckConstraint(
            "available_from IS NULL OR available_until IS NULL"
            " OR available_from <= available_until",
            name="window",
        ),
        sa.CheckConstraint("length(country) = 2", name="country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", unique=True, ondelete="CASCADE")
    headline: str = Field(max_length=200)
    about: str = Field(sa_type=sa.Text)  # free text in the volunteer's own words
    city: str = Field(max_length=120)
    country: str = Field(max_length=COUNTRY_CODE_LENGTH)
    timezone: str = Field(max_length=64)  # IANA name
    remote_ok: bool = True
    onsite_ok: bool = True
    hours_per_month: int
    available_from: date | None = None
    available_until: date | None = None
    employer_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    team: str | None = Field(default=None, max_length=120)  # the employee's team, for reports
    is_open: bool = True  # looking for missions
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class ProfileLanguage(SQLModel, table=True):
    """A language the volunteer can work in (ISO 639-1)."""

    __tablename__ = "profile_language"
    __table_args__ = (sa.CheckConstraint("length(code) = 2", name="code"),)

    profile_id: int = Field(
        foreign_key="volunteer_profile.id", primary_key=True, ondelete="CASCADE"
    )
    code: str = Field(primary_key=True, max_length=LANGUAGE_CODE_LENGTH)


class Need(SQLModel, table=True):
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "external_ref"),
        sa.CheckConstraint("hours_estimate > 0 AND hours_estimate <= 2000", name="hours"),
        # On-site and hybrid work happen somewhere: the place is part of the hard constraints.
        sa.CheckConstraint("work_mode = 'remote' OR city IS NOT NULL", name="place"),
        sa.CheckConstraint("country IS NULL OR length(country) = 2", name="country"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # The association's own reference; imports use it so that a re-run updates, never duplicates.
    external_ref: str = Field(max_length=80)
    title: str = Field(max_length=200)
    description: str = Field(sa_type=sa.Text)
    deliverable: str = Field(default="", sa_type=sa.Text)
    hours_estimate: int
    work_mode: WorkMode = Field(sa_type=enum_type(WorkMode, "work_mode"))
    city: str | None = Field(default=None, max_length=120)
    country: str | None = Field(default=None, max_length=COUNTRY_CODE_LENGTH)
    deadline: date | None = None
    status: NeedStatus = Field(
        default=NeedStatus.OPEN, sa_type=enum_type(NeedStatus, "status"), index=True
    )
    created_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class NeedLanguage(SQLModel, table=True):
    """A language the mission can be carried out in (ISO 639-1)."""

    __tablename__ = "need_language"
    __table_args__ = (sa.CheckConstraint("length(code) = 2", name="code"),)

    need_id: int = Field(foreign_key="need.id", primary_key=True, ondelete="CASCADE")
    code: str = Field(primary_key=True, max_length=LANGUAGE_CODE_LENGTH)


class CompetenceClaim(SQLModel, table=True):
    """A volunteer has a competence at a level (declared, inferred from text, or confirmed)."""

    __tablename__ = "competence_claim"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "competence_id", "source"),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"], ["competence_level.competence_id", "competence_level.level"]
        ),
        sa.CheckConstraint(_CONFIDENCE, name="confidence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="volunteer_profile.id", ondelete="CASCADE", index=True)
    competence_id: int = Field(foreign_key="competence.id", index=True)
    level: int | None = None  # None for frameworks without levels (ESCO)
    source: ClaimSource = Field(sa_type=enum_type(ClaimSource, "source"))
    confidence: float | None = None
    inferred_by: str | None = Field(default=None, max_length=64)  # the reader's version
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class NeedRequirement(SQLModel, table=True):
    """A need requires a competence at a level (declared, inferred from text, or confirmed)."""

    __tablename__ = "need_requirement"
    __table_args__ = (
        sa.UniqueConstraint("need_id", "competence_id", "source"),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"], ["competence_level.competence_id", "competence_level.level"]
        ),
        sa.CheckConstraint(_CONFIDENCE, name="confidence"),
    )

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", ondelete="CASCADE", index=True)
    competence_id: int = Field(foreign_key="competence.id", index=True)
    level: int | None = None
    source: ClaimSource = Field(sa_type=enum_type(ClaimSource, "source"))
    confidence: float | None = None
    inferred_by: str | None = Field(default=None, max_length=64)  # the reader's version
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
