"""reporting: teams, employee costs, pay bands, turnover

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("turnover", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.CheckConstraint("turnover >= 0", name=op.f("ck_company_year_turnover")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisation.id"],
            name=op.f("fk_company_year_company_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_year")),
        sa.UniqueConstraint("company_id", "year", name=op.f("uq_company_year_company_id_year")),
    )
    with op.batch_alter_table("company_year", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_year_company_id"), ["company_id"], unique=False
        )

    op.create_table(
        "pay_band",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("annual_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("annual_cost > 0", name=op.f("ck_pay_band_annual_cost")),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisation.id"],
            name=op.f("fk_pay_band_company_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_band")),
        sa.UniqueConstraint(
            "company_id", "year", "name", name=op.f("uq_pay_band_company_id_year_name")
        ),
    )
    with op.batch_alter_table("pay_band", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_band_company_id"), ["company_id"], unique=False)

    op.create_table(
        "employee_cost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("annual_cost", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("pay_band_id", sa.Integer(), nullable=True),
        sa.Column("annual_hours", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("created_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(annual_cost IS NULL) <> (pay_band_id IS NULL)",
            name=op.f("ck_employee_cost_one_source"),
        ),
        sa.CheckConstraint(
            "annual_cost IS NULL OR annual_cost > 0", name=op.f("ck_employee_cost_annual_cost")
        ),
        sa.CheckConstraint(
            "annual_hours IS NULL OR annual_hours > 0", name=op.f("ck_employee_cost_annual_hours")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["organisation.id"],
            name=op.f("fk_employee_cost_company_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pay_band_id"],
            ["pay_band.id"],
            name=op.f("fk_employee_cost_pay_band_id_pay_band"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["volunteer_profile.id"],
            name=op.f("fk_employee_cost_profile_id_volunteer_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employee_cost")),
        sa.UniqueConstraint("profile_id", "year", name=op.f("uq_employee_cost_profile_id_year")),
    )
    with op.batch_alter_table("employee_cost", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_employee_cost_company_id"), ["company_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_employee_cost_profile_id"), ["profile_id"], unique=False
        )

    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("team", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("volunteer_profile", schema=None) as batch_op:
        batch_op.drop_column("team")

    with op.batch_alter_table("employee_cost", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employee_cost_profile_id"))
        batch_op.drop_index(batch_op.f("ix_employee_cost_company_id"))

    op.drop_table("employee_cost")
    with op.batch_alter_table("pay_band", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_band_company_id"))

    op.drop_table("pay_band")
    with op.batch_alter_table("company_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_year_company_id"))

    op.drop_table("company_year")
