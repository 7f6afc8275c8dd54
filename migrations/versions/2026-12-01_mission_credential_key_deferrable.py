"""the mission's credential key can be checked at commit (restoring a backup)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "fk_mission_credential_id_credential"


def _foreign_key(**deferral: str | bool) -> None:
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_constraint(_NAME, type_="foreignkey")
        batch_op.create_foreign_key(_NAME, "credential", ["credential_id"], ["id"], **deferral)


def upgrade() -> None:
    # Still checked at once in normal work; a restore defers it (SET CONSTRAINTS ALL
    # DEFERRED), since a mission and its credential point at each other.
    _foreign_key(deferrable=True, initially="IMMEDIATE")


def downgrade() -> None:
    _foreign_key()
