"""missions, their events, hours and assessments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column(
            "initiated_by",
            sa.Enum(
                "volunteer",
                "association",
                name="initiated_by",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "accepted",
                "in_progress",
                "completed",
                "cancelled",
                "declined",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "end_reason",
            sa.Enum(
                "no_longer_needed",
                "not_available",
                "skills_mismatch",
                "found_other_volunteer",
                "scope_changed",
                "no_response",
                "other",
                name="end_reason",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("end_note", sa.Text(), nullable=True),
        sa.Column("proposed_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column(
            "volunteer_accepted_at", models.types.AwareDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "association_accepted_at", models.types.AwareDateTime(timezone=True), nullable=True
        ),
        sa.Column("started_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column(
            "volunteer_confirmed_at", models.types.AwareDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "association_confirmed_at", models.types.AwareDateTime(timezone=True), nullable=True
        ),
        sa.Column("completed_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status IN ('cancelled', 'declined')) = (end_reason IS NOT NULL)",
            name=op.f("ck_mission_reason_when_ended"),
        ),
        sa.CheckConstraint(
            "(status IN ('cancelled', 'declined')) = (ended_at IS NOT NULL)",
            name=op.f("ck_mission_date_when_ended"),
        ),
        sa.CheckConstraint(
            "status <> 'completed' OR (volunteer_confirmed_at IS NOT NULL AND association_confirmed_at IS NOT NULL AND completed_at IS NOT NULL)",
            name=op.f("ck_mission_completion"),
        ),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_mission_need_id_need")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_mission_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_mission_volunteer_id_volunteer_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission")),
    )
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mission_need_id"), ["need_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mission_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mission_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_mission_volunteer_id"), ["volunteer_id"], unique=False)
        batch_op.create_index(
            "uq_mission_live_pair",
            ["need_id", "volunteer_id"],
            unique=True,
            sqlite_where=sa.text("status NOT IN ('cancelled', 'declined')"),
            postgresql_where=sa.text("status NOT IN ('cancelled', 'declined')"),
        )

    op.create_table(
        "competence_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("level_before", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("assessed_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"],
            ["competence_level.competence_id", "competence_level.level"],
            name=op.f("fk_competence_assessment_competence_id_level_competence_level"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id", "level_before"],
            ["competence_level.competence_id", "competence_level.level"],
            name=op.f("fk_competence_assessment_competence_id_level_before_competence_level"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_assessment_competence_id_competence"),
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_competence_assessment_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence_assessment")),
        sa.UniqueConstraint(
            "mission_id",
            "competence_id",
            name=op.f("uq_competence_assessment_mission_id_competence_id"),
        ),
    )
    with op.batch_alter_table("competence_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competence_assessment_competence_id"), ["competence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_competence_assessment_mission_id"), ["mission_id"], unique=False
        )

    op.create_table(
        "hours_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "approved",
                "rejected",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("logged_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(status = 'submitted') = (reviewed_at IS NULL)", name=op.f("ck_hours_log_review")
        ),
        sa.CheckConstraint("hours > 0 AND hours <= 24", name=op.f("ck_hours_log_hours")),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_hours_log_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["account.id"],
            name=op.f("fk_hours_log_reviewed_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hours_log")),
    )
    with op.batch_alter_table("hours_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hours_log_mission_id"), ["mission_id"], unique=False)

    op.create_table(
        "mission_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "from_status",
            sa.Enum(
                "proposed",
                "accepted",
                "in_progress",
                "completed",
                "cancelled",
                "declined",
                name="from_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "proposed",
                "accepted",
                "in_progress",
                "completed",
                "cancelled",
                "declined",
                name="to_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["account.id"],
            name=op.f("fk_mission_event_actor_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_event_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_event")),
    )
    with op.batch_alter_table("mission_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mission_event_mission_id"), ["mission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mission_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_event_mission_id"))

    op.drop_table("mission_event")
    with op.batch_alter_table("hours_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hours_log_mission_id"))

    op.drop_table("hours_log")
    with op.batch_alter_table("competence_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_assessment_mission_id"))
        batch_op.drop_index(batch_op.f("ix_competence_assessment_competence_id"))

    op.drop_table("competence_assessment")
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_mission_live_pair",
            sqlite_where=sa.text("status NOT IN ('cancelled', 'declined')"),
            postgresql_where=sa.text("status NOT IN ('cancelled', 'declined')"),
        )
        batch_op.drop_index(batch_op.f("ix_mission_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_mission_status"))
        batch_op.drop_index(batch_op.f("ix_mission_programme_id"))
        batch_op.drop_index(batch_op.f("ix_mission_need_id"))

    op.drop_table("mission")
