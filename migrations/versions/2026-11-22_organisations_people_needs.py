"""organisations, accounts, volunteer profiles, needs and their competences

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("is_platform_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", models.types.AwareDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("locale IN ('fr', 'en')", name=op.f("ck_account_locale")),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_account_email_lower_case")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("email", name=op.f("uq_account_email")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "association",
                "company",
                "foundation",
                name="kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "cause",
            sa.Enum(
                "social_inclusion",
                "education",
                "environment",
                "culture",
                "health",
                "housing",
                "food_aid",
                "disability",
                "youth",
                "elderly",
                "refugees",
                "sport",
                name="cause",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("staff_size", sa.Integer(), nullable=True),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(country) = 2", name=op.f("ck_organisation_country")),
        sa.CheckConstraint(
            "staff_size IS NULL OR staff_size >= 0", name=op.f("ck_organisation_staff_size")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "association_member",
                "company_manager",
                "foundation_manager",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_membership_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint(
            "account_id", "organisation_id", name=op.f("uq_membership_account_id_organisation_id")
        ),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_membership_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_membership_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("external_ref", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("deliverable", sa.Text(), nullable=False),
        sa.Column("hours_estimate", sa.Integer(), nullable=False),
        sa.Column(
            "work_mode",
            sa.Enum(
                "remote",
                "onsite",
                "hybrid",
                name="work_mode",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "open",
                "in_progress",
                "fulfilled",
                "closed",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("work_mode = 'remote' OR city IS NOT NULL", name=op.f("ck_need_place")),
        sa.CheckConstraint("country IS NULL OR length(country) = 2", name=op.f("ck_need_country")),
        sa.CheckConstraint(
            "hours_estimate > 0 AND hours_estimate <= 2000", name=op.f("ck_need_hours")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["account.id"],
            name=op.f("fk_need_created_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_need_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
        sa.UniqueConstraint(
            "organisation_id", "external_ref", name=op.f("uq_need_organisation_id_external_ref")
        ),
    )
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_need_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_status"), ["status"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["organisation.id"], name=op.f("fk_programme_company_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["run_by_id"], ["organisation.id"], name=op.f("fk_programme_run_by_id_organisation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("slug", name=op.f("uq_programme_slug")),
    )
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_company_id"), ["company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_run_by_id"), ["run_by_id"], unique=False)

    op.create_table(
        "need_language",
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.CheckConstraint("length(code) = 2", name=op.f("ck_need_language_code")),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_need_language_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("need_id", "code", name=op.f("pk_need_language")),
    )
    op.create_table(
        "volunteer_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("headline", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("remote_ok", sa.Boolean(), nullable=False),
        sa.Column("onsite_ok", sa.Boolean(), nullable=False),
        sa.Column("hours_per_month", sa.Integer(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_until", sa.Date(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "available_from IS NULL OR available_until IS NULL OR available_from <= available_until",
            name=op.f("ck_volunteer_profile_window"),
        ),
        sa.CheckConstraint(
            "hours_per_month >= 0 AND hours_per_month <= 200",
            name=op.f("ck_volunteer_profile_hours"),
        ),
        sa.CheckConstraint("length(country) = 2", name=op.f("ck_volunteer_profile_country")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_volunteer_profile_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organisation.id"],
            name=op.f("fk_volunteer_profile_employer_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_volunteer_profile_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer_profile")),
        sa.UniqueConstraint("account_id", name=op.f("uq_volunteer_profile_account_id")),
    )
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_volunteer_profile_employer_id"), ["employer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_volunteer_profile_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "competence_claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "declared",
                "inferred",
                "confirmed",
                name="source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)",
            name=op.f("ck_competence_claim_confidence"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"],
            ["competence_level.competence_id", "competence_level.level"],
            name=op.f("fk_competence_claim_competence_id_level_competence_level"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_competence_claim_competence_id_competence"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_competence_claim_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competence_claim")),
        sa.UniqueConstraint(
            "profile_id",
            "competence_id",
            "source",
            name=op.f("uq_competence_claim_profile_id_competence_id_source"),
        ),
    )
    with op.batch_alter_table("competence_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competence_claim_competence_id"), ["competence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_competence_claim_profile_id"), ["profile_id"], unique=False
        )

    op.create_table(
        "need_requirement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("competence_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "declared",
                "inferred",
                "confirmed",
                name="source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)",
            name=op.f("ck_need_requirement_confidence"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id", "level"],
            ["competence_level.competence_id", "competence_level.level"],
            name=op.f("fk_need_requirement_competence_id_level_competence_level"),
        ),
        sa.ForeignKeyConstraint(
            ["competence_id"],
            ["competence.id"],
            name=op.f("fk_need_requirement_competence_id_competence"),
        ),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["need.id"],
            name=op.f("fk_need_requirement_need_id_need"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_requirement")),
        sa.UniqueConstraint(
            "need_id",
            "competence_id",
            "source",
            name=op.f("uq_need_requirement_need_id_competence_id_source"),
        ),
    )
    with op.batch_alter_table("need_requirement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_need_requirement_competence_id"), ["competence_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_requirement_need_id"), ["need_id"], unique=False)

    op.create_table(
        "profile_language",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.CheckConstraint("length(code) = 2", name=op.f("ck_profile_language_code")),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_profile_language_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "code", name=op.f("pk_profile_language")),
    )


def downgrade() -> None:
    op.drop_table("profile_language")
    with op.batch_alter_table("need_requirement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_requirement_need_id"))
        batch_op.drop_index(batch_op.f("ix_need_requirement_competence_id"))

    op.drop_table("need_requirement")
    with op.batch_alter_table("competence_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_claim_profile_id"))
        batch_op.drop_index(batch_op.f("ix_competence_claim_competence_id"))

    op.drop_table("competence_claim")
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_profile_programme_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_profile_employer_id"))

    op.drop_table("volunteer_profile")
    op.drop_table("need_language")
    with op.batch_alter_table("programme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_run_by_id"))
        batch_op.drop_index(batch_op.f("ix_programme_company_id"))

    op.drop_table("programme")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_status"))
        batch_op.drop_index(batch_op.f("ix_need_organisation_id"))

    op.drop_table("need")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_membership_account_id"))

    op.drop_table("membership")
    op.drop_table("organisation")
    op.drop_table("account")
