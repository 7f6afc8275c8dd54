"""each issuer keeps its current status list and how many entries it has given

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status_list", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("status_list_used", sa.Integer(), nullable=False, server_default="0")
        )
    # Credentials issued before: the latest list of each issuer, and its entries.
    op.execute(
        "UPDATE issuer SET status_list = coalesce("
        "(SELECT max(status_list) FROM credential WHERE credential.issuer_id = issuer.id), 1)"
    )
    op.execute(
        "UPDATE issuer SET status_list_used = (SELECT count(*) FROM credential "
        "WHERE credential.issuer_id = issuer.id AND credential.status_list = issuer.status_list)"
    )
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.alter_column("status_list", server_default=None)
        batch_op.alter_column("status_list_used", server_default=None)
        batch_op.create_check_constraint(
            batch_op.f("ck_issuer_status_list_position"),
            "status_list >= 1 AND status_list_used >= 0",
        )


def downgrade() -> None:
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_issuer_status_list_position"), type_="check")
        batch_op.drop_column("status_list_used")
        batch_op.drop_column("status_list")
