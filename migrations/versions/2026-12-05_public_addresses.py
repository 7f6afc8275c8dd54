"""the addresses badges were published at

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "public_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("base", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("recorded_at", models.types.AwareDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_address")),
        sa.UniqueConstraint("base", name=op.f("uq_public_address_base")),
    )
    # Every key's id is "<address>/keys/<uuid>": the addresses badges were signed at so far.
    connection = op.get_bind()
    kids = connection.execute(sa.text("SELECT kid FROM signing_key ORDER BY id")).scalars()
    found = dict.fromkeys(str(kid).rpartition("/keys/")[0] for kid in kids)  # in order, once
    now = datetime.now(UTC)
    op.bulk_insert(table, [{"base": base, "recorded_at": now} for base in found if base])


def downgrade() -> None:
    op.drop_table("public_address")
