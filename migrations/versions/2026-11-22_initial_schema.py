"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 21:26:13.039337
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
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credential_issuer_id"))

    op.drop_table("credential")
    with op.batch_alter_table("competence_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_assessment_mission_id"))
        batch_op.drop_index(batch_op.f("ix_competence_assessment_competence_id"))

    op.drop_table("competence_assessment")
    op.drop_table("profile_language")
    with op.batch_alter_table("need_requirement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_requirement_need_id"))
        batch_op.drop_index(batch_op.f("ix_need_requirement_competence_id"))

    op.drop_table("need_requirement")
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
    with op.batch_alter_table("competence_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_claim_profile_id"))
        batch_op.drop_index(batch_op.f("ix_competence_claim_competence_id"))

    op.drop_table("competence_claim")
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_profile_programme_id"))
        batch_op.drop_index(batch_op.f("ix_volunteer_profile_employer_id"))

    op.drop_table("volunteer_profile")
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_signing_key_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(batch_op.f("ix_signing_key_issuer_id"))

    op.drop_table("signing_key")
    op.drop_table("need_language")
    op.drop_table("competence_level")
    op.drop_table("competence_label")
    with op.batch_alter_table("competence_group_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_link_group_id"))

    op.drop_table("competence_group_link")
    op.drop_table("competence_anchor")
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
    op.drop_table("issuer")
    op.drop_table("framework_level")
    with op.batch_alter_table("competence_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_group_framework_id"))

    op.drop_table("competence_group")
    with op.batch_alter_table("competence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competence_framework_id"))

    op.drop_table("competence")
    op.drop_table("organisation")
    op.drop_table("framework")
    op.drop_table("account")
