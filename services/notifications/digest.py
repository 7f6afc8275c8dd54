"""The weekly digest a person opts into: for a volunteer, the open needs published this week
that ask for competences they have; for an association's member, the volunteers who arrived
this week with competences its open needs ask for. Nothing new, no email: a digest of
nothing is noise. Read from the stored competences (no model is loaded in the worker)."""

from datetime import datetime, timedelta

from sqlmodel import Session

from models import NotificationKind, persisted_id, queries
from services.notifications.outbox import notify

WEEK = timedelta(days=7)
K = NotificationKind


def send(session: Session, now: datetime) -> int:
    """Writes the digests due (one a week per person who wants it); how many."""
    since = now - WEEK
    told = 0
    for account in queries.notifications.digest_readers(session, since):
        account_id = persisted_id(account.id)
        profile = queries.profiles.find_profile_by_account(session, account_id)
        needs = (
            queries.notifications.new_needs_for(session, persisted_id(profile.id), since)
            if profile is not None
            else []
        )
        if needs:
            items = [{"title": n.title, "path": f"/needs/{n.id}"} for n in needs]
            told += len(notify(session, K.DIGEST, [account_id], at=now, items=items))
            continue
        for membership in queries.organisations.memberships(session, account_id):
            items = _volunteers(session, membership.organisation_id, since)
            if items:
                told += len(
                    notify(
                        session,
                        K.DIGEST,
                        [account_id],
                        at=now,
                        items=items,
                        organisation_id=membership.organisation_id,
                    )
                )
                break  # one digest a week: their first association with news
    session.commit()
    return told


def _volunteers(session: Session, organisation_id: int, since: datetime) -> list[dict[str, str]]:
    """New volunteers for the association's open needs, each linked to the need they fit
    (its page ranks them, with the Invite button)."""
    slug = queries.organisations.organisation_by_id(session, organisation_id).slug
    return [
        {"title": f"{name}: {profile.headline}", "path": f"/org/{slug}/needs/{need_id}"}
        for profile, name, need_id in queries.notifications.new_volunteers_for(
            session, organisation_id, since
        )
    ]
