"""embeddings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:37:13.879557
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "need_embedding",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("text_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("dimension > 0", name=op.f("ck_need_embedding_dimension")),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["need.id"],
            name=op.f("fk_need_embedding_need_id_need"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("need_id", "model", name=op.f("pk_need_embedding")),
    )
    with op.batch_alter_table("need_embedding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_need_embedding_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "profile_embedding",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("model_version", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("text_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("dimension > 0", name=op.f("ck_profile_embedding_dimension")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_profile_embedding_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "model", name=op.f("pk_profile_embedding")),
    )
    with op.batch_alter_table("profile_embedding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_embedding_updated_at"), ["updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("profile_embedding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_embedding_updated_at"))

    op.drop_table("profile_embedding")
    with op.batch_alter_table("need_embedding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_embedding_updated_at"))

    op.drop_table("need_embedding")
