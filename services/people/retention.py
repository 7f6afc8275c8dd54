"""How long personal data is kept (settings, docs/security.md): sign-in attempts (an email and
an address each) for `sign_in_log_days`, web sessions until they expire, and accounts nobody
has used for `idle_account_years` (when set) are erased as their owner could erase them.
Run by `probono retention apply`, from cron or a systemd timer."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from config import Settings
from models import queries, utcnow
from services.people.accounts import erase_account


@dataclass(frozen=True)
class Retention:
    sign_ins_deleted: int
    sessions_deleted: int
    accounts_erased: int


def apply_retention(session: Session, settings: Settings, now: datetime | None = None) -> Retention:
    now = now or utcnow()
    sign_ins = queries.organisations.delete_sign_ins_before(
        session, now - timedelta(days=settings.sign_in_log_days)
    )
    sessions = queries.organisations.delete_sessions_expired(session, now)
    erased = 0
    if settings.idle_account_years is not None:
        cutoff = now - timedelta(days=365 * settings.idle_account_years)
        for account in queries.organisations.accounts_idle_since(session, cutoff):
            erase_account(session, account)  # commits each, so an interruption keeps them
            erased += 1
    session.commit()
    return Retention(sign_ins, sessions, erased)
