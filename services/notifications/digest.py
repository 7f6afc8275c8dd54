"""The weekly digest a person opts into: for a volunteer, the open needs published this week
that ask for competences they have; for an association's member, the volunteers who arrived
this week with competences its open needs ask for. Nothing new, no email: a digest of
nothing is noise. Read from the stored competences (no model is loaded in the worker)."""

from datetime import datetime, timedelta

from sqlmodel import Session

from models import Account, NotificationKind, persisted_id, queries
from services.notifications.outbox import notify

WEEK = timedelta(days=7)


def send(session: Session, now: datetime) -> int:
    """Writes the digests due (one a week per person who wants it); how many."""
    since = now - WEEK
    told = 0
    for account in queries.notifications.digest_readers(session, since):
        items = _items(session, account, since)
        if items:
            side = "volunteer" if items[0]["path"].startswith("/needs/") else "association"
            told += len(
                notify(
                    session,
                    NotificationKind.DIGEST,
                    [persisted_id(account.id)],
                    items=items,
                    side=side,
                )
            )
    session.commit()
    return told


def _items(session: Session, account: Account, since: datetime) -> list[dict[str, str]]:
    account_id = persisted_id(account.id)
    profile = queries.profiles.find_profile_by_account(session, account_id)
    if profile is not None:
        needs = queries.notifications.new_needs_for(session, persisted_id(profile.id), since)
        if needs:
            return [{"title": n.title, "path": f"/needs/{n.id}"} for n in needs]
    items: list[dict[str, str]] = []
    for membership in queries.organisations.memberships(session, account_id):
        organisation_id = membership.organisation_id
        slug = queries.organisations.organisation_by_id(session, organisation_id).slug
        for found, name in queries.notifications.new_volunteers_for(
            session, organisation_id, since
        ):
            items.append({"title": f"{name}: {found.headline}", "path": f"/org/{slug}"})
    return items
