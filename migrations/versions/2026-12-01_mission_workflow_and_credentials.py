"""mission workflow and credentials: the mission and its credential point at each other (a
completed mission cannot exist without its one credential), optimistic locking of missions,
per-issuer status lists, the signed OB 2.0 form, endorsements, API tokens

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COMPLETION_BEFORE = (
    "status <> 'completed' OR (volunteer_confirmed_at IS NOT NULL"
    " AND association_confirmed_at IS NOT NULL AND completed_at IS NOT NULL)"
)
_COMPLETION_NOW = (
    "status <> 'completed' OR (volunteer_confirmed_at IS NOT NULL"
    " AND association_confirmed_at IS NOT NULL AND completed_at IS NOT NULL"
    " AND credential_id IS NOT NULL)"
)


def upgrade() -> None:
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_api_token_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_api_token_token_sha256")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_account_id"), ["account_id"], unique=False)

    op.create_table(
        "endorsement",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("credential_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("signing_key_id", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("jwt", sa.Text(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credential.id"],
            name=op.f("fk_endorsement_credential_id_credential"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issuer_id"], ["issuer.id"], name=op.f("fk_endorsement_issuer_id_issuer")
        ),
        sa.ForeignKeyConstraint(
            ["signing_key_id"],
            ["signing_key.id"],
            name=op.f("fk_endorsement_signing_key_id_signing_key"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_endorsement")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_endorsement_credential_id")),
    )
    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_endorsement_issuer_id"), ["issuer_id"], unique=False)

    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ob2_signing_key_id", sa.Integer(), nullable=False))
        batch_op.add_column(
            sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(length=45), nullable=False)
        )
        batch_op.add_column(sa.Column("ob2_jws", sa.Text(), nullable=False))
        batch_op.add_column(
            sa.Column("ob2_badge_class", models.types.JSONDocument(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("status_list", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.drop_constraint(batch_op.f("uq_credential_status_list_index"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_credential_issuer_id_status_list_status_list_index"),
            ["issuer_id", "status_list", "status_list_index"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_credential_ob2_signing_key_id_signing_key"),
            "signing_key",
            ["ob2_signing_key_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_credential_on_behalf_of_id_organisation"),
            "organisation",
            ["on_behalf_of_id"],
            ["id"],
        )

    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))

    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("credential_id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True)
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_unique_constraint(batch_op.f("uq_mission_credential_id"), ["credential_id"])
        batch_op.create_foreign_key(
            "fk_mission_credential_id_credential",
            "credential",
            ["credential_id"],
            ["id"],
            use_alter=True,
        )
        batch_op.drop_constraint(batch_op.f("ck_mission_completion"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_mission_completion"), _COMPLETION_NOW)

    with op.batch_alter_table("competence_assessment", schema=None) as batch_op:
        batch_op.alter_column("level", existing_type=sa.Integer(), nullable=True)

    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.alter_column(
            "kid",
            existing_type=sa.VARCHAR(length=100),
            type_=sqlmodel.sql.sqltypes.AutoString(length=400),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("competence_assessment", schema=None) as batch_op:
        batch_op.alter_column("level", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.alter_column(
            "kid",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=400),
            type_=sa.VARCHAR(length=100),
            existing_nullable=False,
        )

    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_mission_completion"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_mission_completion"), _COMPLETION_BEFORE)
        batch_op.drop_constraint("fk_mission_credential_id_credential", type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_mission_credential_id"), type_="unique")
        batch_op.drop_column("version")
        batch_op.drop_column("credential_id")

    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.drop_column("description")

    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_credential_on_behalf_of_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_credential_ob2_signing_key_id_signing_key"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_credential_issuer_id_status_list_status_list_index"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_credential_status_list_index"), ["status_list_index"]
        )
        batch_op.drop_column("status_list")
        batch_op.drop_column("ob2_badge_class")
        batch_op.drop_column("ob2_jws")
        batch_op.drop_column("subject_id")
        batch_op.drop_column("ob2_signing_key_id")
        batch_op.drop_column("on_behalf_of_id")

    with op.batch_alter_table("endorsement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_endorsement_issuer_id"))

    op.drop_table("endorsement")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_account_id"))

    op.drop_table("api_token")
