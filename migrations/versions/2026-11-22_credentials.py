"""issuers, signing keys and credentials

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "issuer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_issuer_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issuer")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_issuer_organisation_id")),
    )
    op.create_table(
        "signing_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column(
            "algorithm",
            sa.Enum("RS256", "ES256", name="algorithm", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("public_jwk", models.types.JSONDocument(), nullable=False),
        sa.Column("private_key_encrypted", sa.Text(), nullable=True),
        sa.Column("private_key_path", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum("active", "retired", name="status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'retired') = (retired_at IS NOT NULL)", name=op.f("ck_signing_key_retired")
        ),
        sa.CheckConstraint(
            "(private_key_encrypted IS NULL) <> (private_key_path IS NULL)",
            name=op.f("ck_signing_key_private_key"),
        ),
        sa.ForeignKeyConstraint(
            ["issuer_id"], ["issuer.id"], name=op.f("fk_signing_key_issuer_id_issuer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signing_key")),
        sa.UniqueConstraint("kid", name=op.f("uq_signing_key_kid")),
    )
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signing_key_issuer_id"), ["issuer_id"], unique=False)
        batch_op.create_index(
            "uq_signing_key_active",
            ["issuer_id", "algorithm"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )

    op.create_table(
        "credential",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=False),
        sa.Column("signing_key_id", sa.Integer(), nullable=False),
        sa.Column("recipient_hash", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("recipient_salt", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("issued_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("valid_from", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("ob3_jwt", sa.Text(), nullable=False),
        sa.Column("ob2_assertion", models.types.JSONDocument(), nullable=False),
        sa.Column("status_list_index", sa.Integer(), nullable=False),
        sa.Column("revoked_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(revoked_at IS NULL) = (revocation_reason IS NULL)",
            name=op.f("ck_credential_revocation"),
        ),
        sa.CheckConstraint("status_list_index >= 0", name=op.f("ck_credential_status_list_index")),
        sa.ForeignKeyConstraint(
            ["issuer_id"], ["issuer.id"], name=op.f("fk_credential_issuer_id_issuer")
        ),
        sa.ForeignKeyConstraint(
            ["mission_id"], ["mission.id"], name=op.f("fk_credential_mission_id_mission")
        ),
        sa.ForeignKeyConstraint(
            ["signing_key_id"],
            ["signing_key.id"],
            name=op.f("fk_credential_signing_key_id_signing_key"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential")),
        sa.UniqueConstraint("mission_id", name=op.f("uq_credential_mission_id")),
        sa.UniqueConstraint("status_list_index", name=op.f("uq_credential_status_list_index")),
    )
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credential_issuer_id"), ["issuer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credential_issuer_id"))

    op.drop_table("credential")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_signing_key_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(batch_op.f("ix_signing_key_issuer_id"))

    op.drop_table("signing_key")
    op.drop_table("issuer")
