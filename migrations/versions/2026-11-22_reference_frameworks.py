"""reference frameworks: e-CF, DigComp, annex, ESCO

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "framework",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ecf",
                "digcomp",
                "gi",
                "esco",
                name="kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("licence", sa.Text(), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("hosted_path", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("data_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("loaded_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework")),
    )
    op.create_table(
        "competence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("uri", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("title_fr", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("description_en", sa.Text(), nullable=True),
        sa.Column("description_fr", sa.Text(), nullable=True),
        sa.Column("level_min", sa.Integer(), nullable=True),
        sa.Column("level_max", sa.Integer(), nullable=True),
        sa.Column("levels_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(level_min IS NULL) = (level_max IS NULL) AND (level_min IS NULL OR (1 <= level_min AND level_min <= level_max AND level_max <= 8))",
            name=op.f("ck_competence_level_range"),
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_competence_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence")),
        sa.UniqueConstraint("framework_id", "code", name=op.f("uq_competence_framework_id_code")),
    )
    with op.batch_alter_table("competence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competence_framework_id"), ["framework_id"], unique=False
        )

    op.create_table(
        "competence_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("title_fr", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_competence_group_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["competence_group.id"],
            name=op.f("fk_competence_group_parent_id_competence_group"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence_group")),
        sa.UniqueConstraint(
            "framework_id", "code", name=op.f("uq_competence_group_framework_id_code")
        ),
    )
    with op.batch_alter_table("competence_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competence_group_framework_id"), ["framework_id"], unique=False
        )

    op.create_table(
        "framework_level",
        sa.Column("framework_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("title_en", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("title_fr", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("gist_en", sa.Text(), nullable=False),
        sa.Column("gist_fr", sa.Text(), nullable=False),
        sa.CheckConstraint("level BETWEEN 1 AND 8", name=op.f("ck_framework_level_level")),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["framework.id"],
            name=op.f("fk_framework_level_framework_id_framework"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("framework_id", "level", name=op.f("pk_framework_level")),
    )
    op.create_table(
        "competence_anchor",
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("anchor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["anchor_id"],
            ["competence.id"],
            name=op.f("fk_competence_anchor_anchor_id_competence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_anchor_competence_id_competence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competence_id", "anchor_id", name=op.f("pk_competence_anchor")),
    )
    op.create_table(
        "competence_group_link",
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_group_link_competence_id_competence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["competence_group.id"],
            name=op.f("fk_competence_group_link_group_id_competence_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competence_id", "group_id", name=op.f("pk_competence_group_link")),
    )
    with op.batch_alter_table("competence_group_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competence_group_link_group_id"), ["group_id"], unique=False
        )

    op.create_table(
        "competence_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("lang", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "preferred", "alternative", name="kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_label_competence_id_competence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence_label")),
        sa.UniqueConstraint(
            "competence_id",
            "lang",
            "label",
            name=op.f("uq_competence_label_competence_id_lang_label"),
        ),
    )
    op.create_table(
        "competence_level",
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("descriptor_en", sa.Text(), nullable=True),
        sa.Column("descriptor_fr", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_level_competence_id_competence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("competence_id", "level", name=op.f("pk_competence_level")),
    )


def downgrade() -> None:
    op.drop_table("competence_level")
    op.drop_table("competence_label")
    with op.batch_alter_table("competence_group_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_link_group_id"))

    op.drop_table("competence_group_link")
    op.drop_table("competence_anchor")
    op.drop_table("framework_level")
    with op.batch_alter_table("competence_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_framework_id"))

    op.drop_table("competence_group")
    with op.batch_alter_table("competence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_framework_id"))

    op.drop_table("competence")
    op.drop_table("framework")
