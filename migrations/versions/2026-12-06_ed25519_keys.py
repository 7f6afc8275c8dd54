"""issuers sign Data Integrity proofs with Ed25519 keys

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _algorithms(*added: str) -> str:
    return f"algorithm IN ({', '.join(repr(v) for v in ('RS256', 'ES256', *added))})"


def upgrade() -> None:
    # Issuers get their Ed25519 key when they next sign: a key needs the key-encryption
    # secret, which migrations never hold.
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_signing_key_algorithm"), type_="check")
        batch_op.create_check_constraint(op.f("ck_signing_key_algorithm"), _algorithms("EdDSA"))


def downgrade() -> None:
    # Ed25519 keys stay, and the constraint that admits them: what they signed must stay
    # verifiable once the service is upgraded again, and no row may be lost on the way.
    pass
