"""notifications (the outbox and its delivery journal), preferences, each mission's
conversation and first call, and applications that expire

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = (
    "application_received",
    "invitation",
    "accepted",
    "declined",
    "cancelled",
    "started",
    "hours_logged",
    "hours_reviewed",
    "completion_to_confirm",
    "badge_issued",
    "badge_revoked",
    "association_verified",
    "message",
    "application_reminder",
    "application_expired",
    "confirmation_reminder",
    "call_proposed",
    "call_booked",
    "digest",
)
_REASONS = (
    "no_longer_needed",
    "not_available",
    "skills_mismatch",
    "found_other_volunteer",
    "scope_changed",
    "no_response",
    "other",
)


def _end_reasons(*added: str) -> str:
    return f"end_reason IN ({', '.join(repr(v) for v in (*_REASONS, *added))})"


def upgrade() -> None:
    op.create_table(
        "notification_preference",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*_KINDS, name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum(
                "email", "in_app", "none", name="channel", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_notification_preference_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "kind", name=op.f("pk_notification_preference")),
    )
    op.create_table(
        "call_slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("chosen_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("minutes >= 15 AND minutes <= 180", name=op.f("ck_call_slot_minutes")),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_call_slot_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["account.id"],
            name=op.f("fk_call_slot_proposed_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_slot")),
    )
    with op.batch_alter_table("call_slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_slot_mission_id"), ["mission_id"], unique=False)
        batch_op.create_index(
            "uq_call_slot_chosen",
            ["mission_id"],
            unique=True,
            sqlite_where=sa.text("chosen_at IS NOT NULL"),
            postgresql_where=sa.text("chosen_at IS NOT NULL"),
        )

    op.create_table(
        "mission_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "side",
            sa.Enum(
                "volunteer", "association", name="side", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "length(body) > 0 AND length(body) <= 4000", name=op.f("ck_mission_message_body")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["account.id"],
            name=op.f("fk_mission_message_author_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_message_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission_message")),
    )
    with op.batch_alter_table("mission_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mission_message_mission_id"), ["mission_id"], unique=False
        )

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*_KINDS, name="kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("params", models.types.JSONDocument(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending",
                "sent",
                "failed",
                "in_app",
                name="state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("due_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("unconfirmed", sa.Boolean(), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("read_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(state = 'sent') = (sent_at IS NOT NULL)", name=op.f("ck_notification_sent")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_notification_attempts")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_notification_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_notification_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("message_id", name=op.f("uq_notification_message_id")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notification_mission_id"), ["mission_id"], unique=False
        )
        batch_op.create_index("ix_notification_state_due_at", ["state", "due_at"], unique=False)

    op.create_table(
        "delivery_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("started_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("handed_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notification.id"],
            name=op.f("fk_delivery_attempt_notification_id_notification"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_attempt")),
    )
    with op.batch_alter_table("delivery_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_attempt_notification_id"), ["notification_id"], unique=False
        )

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("weekly_digest", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("bounced_at", models.types.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("bounce_detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
        )

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.alter_column("weekly_digest", server_default=None)
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_mission_end_reason"), type_="check")
        batch_op.create_check_constraint(op.f("ck_mission_end_reason"), _end_reasons("expired"))


def downgrade() -> None:
    # An expired application goes back to "no response", the nearest reason before.
    op.execute("UPDATE mission SET end_reason = 'no_response' WHERE end_reason = 'expired'")
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_mission_end_reason"), type_="check")
        batch_op.create_check_constraint(op.f("ck_mission_end_reason"), _end_reasons())
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_column("bounce_detail")
        batch_op.drop_column("bounced_at")
        batch_op.drop_column("weekly_digest")
        batch_op.drop_column("timezone")

    with op.batch_alter_table("delivery_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_attempt_notification_id"))

    op.drop_table("delivery_attempt")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_state_due_at")
        batch_op.drop_index(batch_op.f("ix_notification_mission_id"))
        batch_op.drop_index(batch_op.f("ix_notification_account_id"))

    op.drop_table("notification")
    with op.batch_alter_table("mission_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_message_mission_id"))

    op.drop_table("mission_message")
    with op.batch_alter_table("call_slot", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_call_slot_chosen",
            sqlite_where=sa.text("chosen_at IS NOT NULL"),
            postgresql_where=sa.text("chosen_at IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_call_slot_mission_id"))

    op.drop_table("call_slot")
    op.drop_table("notification_preference")
