"""associations are verified before their missions issue badges

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COMPLETION = (
    "status <> 'completed' OR (volunteer_confirmed_at IS NOT NULL"
    " AND association_confirmed_at IS NOT NULL AND completed_at IS NOT NULL"
    " AND credential_id IS NOT NULL{waits})"
)
_KINDS = ("rna", "siren", "bce", "uk_charity", "other")
_STATES = ("pending", "verified", "rejected")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    # Nobody checked the associations already here: they are pending, and a platform admin
    # verifies them (`probono association verify`) before their next badges are issued.
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("identifier_kind", sa.String(length=10), nullable=True))
        batch_op.add_column(
            sa.Column("identifier", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "verification",
                sa.String(length=8),
                nullable=False,
                server_default="pending",
            )
        )
        batch_op.add_column(
            sa.Column("verified_at", models.types.AwareDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "verification_note",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=False,
                server_default="",
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_organisation_verified_by_id_account"),
            "account",
            ["verified_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.alter_column("verification", server_default=None)
        batch_op.alter_column("verification_note", server_default=None)
        # The CHECKs the models' enum columns carry (models/types.py enum_type).
        batch_op.create_check_constraint(
            op.f("ck_organisation_identifier_kind"), _one_of("identifier_kind", _KINDS)
        )
        batch_op.create_check_constraint(
            op.f("ck_organisation_verification"), _one_of("verification", _STATES)
        )

    op.create_table(
        "association_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_association_document_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_association_document")),
    )
    with op.batch_alter_table("association_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_association_document_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("credential_waits", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_constraint(op.f("ck_mission_completion"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_mission_completion"), _COMPLETION.format(waits=" OR credential_waits")
        )
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.alter_column("credential_waits", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_mission_completion"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_mission_completion"), _COMPLETION.format(waits="")
        )
        batch_op.drop_column("credential_waits")
    with op.batch_alter_table("association_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_association_document_organisation_id"))
    op.drop_table("association_document")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_organisation_verified_by_id_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(op.f("ck_organisation_identifier_kind"), type_="check")
        batch_op.drop_constraint(op.f("ck_organisation_verification"), type_="check")
        for column in (
            "verification_note",
            "verified_by_id",
            "verified_at",
            "verification",
            "identifier",
            "identifier_kind",
        ):
            batch_op.drop_column(column)
