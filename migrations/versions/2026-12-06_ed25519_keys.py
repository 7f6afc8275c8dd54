"""issuers sign Data Integrity proofs with Ed25519 keys; holders are told when a key rotation
signs their OB 2.0 copy again

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


_KINDS = (
    "application_received",
    "invitation",
    "accepted",
    "declined",
    "cancelled",
    "started",
    "hours_logged",
    "hours_reviewed",
    "completion_to_confirm",
    "badge_issued",
    "badge_revoked",
    "association_verified",
    "message",
    "application_reminder",
    "application_expired",
    "confirmation_reminder",
    "call_proposed",
    "call_booked",
    "digest",
)


def _algorithms(*added: str) -> str:
    return f"algorithm IN ({', '.join(repr(v) for v in ('RS256', 'ES256', *added))})"


def _kinds(*added: str) -> str:
    return f"kind IN ({', '.join(repr(v) for v in (*_KINDS, *added))})"


def _set_kinds(*added: str) -> None:
    for table in ("notification", "notification_preference"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_kind"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_kind"), _kinds(*added))


def upgrade() -> None:
    # Issuers get their Ed25519 key when they next sign: a key needs the key-encryption
    # secret, which migrations never hold.
    with op.batch_alter_table("signing_key", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_signing_key_algorithm"), type_="check")
        batch_op.create_check_constraint(op.f("ck_signing_key_algorithm"), _algorithms("EdDSA"))
    _set_kinds("badge_signed_again")


def downgrade() -> None:
    # Ed25519 keys stay, and the constraint that admits them: what they signed must stay
    # verifiable once the service is upgraded again, and no row may be lost on the way. The
    # notes that a badge was signed again are the one thing the older schema cannot hold: they
    # go (the badge's page says it too).
    op.execute(
        "DELETE FROM delivery_attempt WHERE notification_id IN "
        "(SELECT id FROM notification WHERE kind = 'badge_signed_again')"
    )
    op.execute("DELETE FROM notification WHERE kind = 'badge_signed_again'")
    op.execute("DELETE FROM notification_preference WHERE kind = 'badge_signed_again'")
    _set_kinds()
