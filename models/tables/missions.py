"""Missions (a need taken on by a volunteer), their history, hours and assessments."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import EndReason, HoursStatus, MissionInitiator, MissionStatus
from models.types import AwareDateTime, enum_type, utcnow

_ENDED = "('cancelled', 'declined')"
_VERSION = sa.Column("version", sa.Integer, nullable=False)


class Mission(SQLModel, table=True):
    __table_args__ = (
        # A declined or cancelled mission always says why; no other mission carries a reason.
        sa.CheckConstraint(
            f"(status IN {_ENDED}) = (end_reason IS NOT NULL)", name="reason_when_ended"
        ),
        sa.CheckConstraint(
            f"(status IN {_ENDED}) = (ended_at IS NOT NULL)", name="date_when_ended"
        ),
        # Completion needs both sides' confirmation, and its credential: a completed mission
        # without one cannot be stored (the credential's own mission_id is unique, so there
        # is never a second), unless the credential waits for the association's verification.
        sa.CheckConstraint(
            "status <> 'completed' OR (volunteer_confirmed_at IS NOT NULL"
            " AND association_confirmed_at IS NOT NULL AND completed_at IS NOT NULL"
            " AND (credential_id IS NOT NULL OR credential_waits))",
            name="completion",
        ),
        # At most one live mission per need and volunteer; an ended one may be proposed again.
        sa.Index(
            "uq_mission_live_pair",
            "need_id",
            "volunteer_id",
            unique=True,
            sqlite_where=sa.text(f"status NOT IN {_ENDED}"),
            postgresql_where=sa.text(f"status NOT IN {_ENDED}"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", index=True)
    volunteer_id: int = Field(foreign_key="volunteer_profile.id", index=True)
    # The employer programme at the time of the mission, kept for reporting even if the
    # volunteer later changes employer.
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    initiated_by: MissionInitiator = Field(sa_type=enum_type(MissionInitiator, "initiated_by"))
    status: MissionStatus = Field(
        default=MissionStatus.PROPOSED, sa_type=enum_type(MissionStatus, "status"), index=True
    )
    end_reason: EndReason | None = Field(default=None, sa_type=enum_type(EndReason, "end_reason"))
    end_note: str | None = Field(default=None, sa_type=sa.Text)
    proposed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    volunteer_accepted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    association_accepted_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    started_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    volunteer_confirmed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    association_confirmed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    # The credential and the mission point at each other; this side is added after both
    # tables exist (use_alter), and only ever set in the transaction that completes.
    credential_id: str | None = Field(
        default=None,
        max_length=36,
        sa_column_args=[
            # Checked at once, deferred to the commit only by a restore (services/backup.py).
            sa.ForeignKey(
                "credential.id",
                use_alter=True,
                name="fk_mission_credential_id_credential",
                deferrable=True,
                initially="IMMEDIATE",
            )
        ],
        unique=True,
    )
    # Completed while its association was not verified yet: the credential is issued when it
    # is (services/people/associations.py), and this goes back to false.
    credential_waits: bool = False
    # Optimistic locking: two requests changing one mission at once cannot both win; the
    # loser re-reads and tries again (services/workflow.py).
    version: int = Field(default=1, sa_column=_VERSION)

    __mapper_args__ = {"version_id_col": _VERSION}


class MissionEvent(SQLModel, table=True):
    """Every status change of a mission, who made it and when (an audit trail)."""

    __tablename__ = "mission_event"

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    actor_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    from_status: MissionStatus | None = Field(
        default=None, sa_type=enum_type(MissionStatus, "from_status")
    )
    to_status: MissionStatus = Field(sa_type=enum_type(MissionStatus, "to_status"))
    note: str | None = Field(default=None, sa_type=sa.Text)


class HoursLog(SQLModel, table=True):
    """Hours a volunteer declares for a day of work; the association approves or rejects them."""

    __tablename__ = "hours_log"
    __table_args__ = (
        sa.CheckConstraint("hours > 0 AND hours <= 24", name="hours"),
        sa.CheckConstraint("(status = 'submitted') = (reviewed_at IS NULL)", name="review"),
    )

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE", index=True)
    work_date: date
    hours: Decimal = Field(max_digits=5, decimal_places=2)
    description: str = Field(default="", sa_type=sa.Text)
    status: HoursStatus = Field(
        default=HoursStatus.SUBMITTED, sa_type=enum_type(HoursStatus, "status")
    )
    logged_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    reviewed_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")


class CompetenceAssessment(SQLModel, table=True):
    """The association's end-of-mission assessment of one competence the volunteer exercised.

    For DigComp competences of the association's own staff, `level_before` records where they
    started; both levels are assessments reported by the association, not measurements.
    """

    __tablename__ = "competence_assessment"
    __table_args__ = (
        sa.UniqueConstraint("mission_id", "competence_id"),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"], ["competence_level.competence_id", "competence_level.level"]
        ),
        sa.ForeignKeyConstraint(
            ["competence_id", "level_before"],
            ["competence_level.competence_id", "competence_level.level"],
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE", index=True)
    competence_id: int = Field(foreign_key="competence.id", index=True)
    level: int | None = None  # None only for frameworks without levels (ESCO skills)
    level_before: int | None = None
    comment: str = Field(default="", sa_type=sa.Text)
    assessed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
