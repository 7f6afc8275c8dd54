"""The transactional outbox: a use case that changes something someone waits on writes their
notifications in its own transaction, before its commit. Nothing here sends anything: the
worker (`probono worker`) delivers the emails later, so a mail server that is down never
fails a person's request, and an event that rolled back never told anyone.

Each person's choice decides the channel (by email, in their space only, or not at all);
the kinds a mission cannot do without always go by email."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session

from models import (
    Channel,
    DeliveryState,
    Mission,
    MissionInitiator,
    Notification,
    NotificationKind,
    persisted_id,
    queries,
    utcnow,
)

K = NotificationKind

# What a person must hear about their own mission whatever they chose: a decision on it, its
# badge, and the call they booked (in the order the preferences page lists them).
REQUIRED = (
    K.ACCEPTED,
    K.DECLINED,
    K.CANCELLED,
    K.APPLICATION_EXPIRED,
    K.CALL_BOOKED,
    K.BADGE_ISSUED,
    K.BADGE_REVOKED,
)
# The kinds a person may choose a channel for; the weekly digest is asked for apart (its own
# consent, `Account.weekly_digest`).
CHOOSABLE = tuple(kind for kind in NotificationKind if kind not in {*REQUIRED, K.DIGEST})
# Which of them each side of a mission receives (a person may be on both sides).
FOR_VOLUNTEERS = (
    K.INVITATION,
    K.BADGE_SIGNED_AGAIN,
    K.CALL_PROPOSED,
    K.MESSAGE,
    K.STARTED,
    K.HOURS_REVIEWED,
    K.COMPLETION_TO_CONFIRM,
    K.CONFIRMATION_REMINDER,
)
FOR_ASSOCIATIONS = (
    K.APPLICATION_RECEIVED,
    K.APPLICATION_REMINDER,
    K.MESSAGE,
    K.STARTED,
    K.HOURS_LOGGED,
    K.COMPLETION_TO_CONFIRM,
    K.CONFIRMATION_REMINDER,
    K.ASSOCIATION_VERIFIED,
)


def required_for(*, volunteer: bool, member: bool) -> tuple[NotificationKind, ...]:
    """The kinds always sent that a person can receive (badges are the volunteer's)."""
    if volunteer or not member:
        return REQUIRED
    return tuple(kind for kind in REQUIRED if kind not in {K.BADGE_ISSUED, K.BADGE_REVOKED})


def kinds_for(*, volunteer: bool, member: bool) -> tuple[NotificationKind, ...]:
    """The kinds a person chooses for: those of their sides, every one if they have none."""
    wanted = (FOR_VOLUNTEERS if volunteer else ()) + (FOR_ASSOCIATIONS if member else ())
    return tuple(dict.fromkeys(wanted)) or CHOOSABLE


def notify(
    session: Session,
    kind: NotificationKind,
    account_ids: Iterable[int],
    *,
    mission_id: int | None = None,
    at: datetime | None = None,
    **params: Any,
) -> list[Notification]:
    """Writes one notification per person (once each), in the caller's transaction; `at` is
    the moment of a sweep (the deadlines' clock), else now."""
    written = []
    chosen = queries.notifications.channels(session, kind)
    for account_id in dict.fromkeys(account_ids):
        channel = Channel.EMAIL if kind in REQUIRED else chosen.get(account_id, Channel.EMAIL)
        if channel is Channel.NONE:
            continue
        account = queries.organisations.account_by_id(session, account_id)
        if account is None or not account.is_active:
            continue
        by_email = channel is Channel.EMAIL and account.bounced_at is None
        notification = Notification(
            account_id=account_id,
            kind=kind,
            params={key: value for key, value in params.items() if value is not None},
            mission_id=mission_id,
            state=DeliveryState.PENDING if by_email else DeliveryState.IN_APP,
            message_id=uuid.uuid4().hex,
            created_at=at or utcnow(),
            due_at=at or utcnow(),
        )
        session.add(notification)
        written.append(notification)
    session.flush()
    return written


def volunteer_account(session: Session, mission: Mission) -> int:
    return queries.profiles.get_profile(session, mission.volunteer_id).account_id


def association_accounts(session: Session, mission: Mission) -> list[int]:
    need = queries.profiles.get_need(session, mission.need_id)
    return [
        persisted_id(a.id) for a in queries.organisations.members(session, need.organisation_id)
    ]


def side_accounts(session: Session, mission: Mission, side: MissionInitiator) -> list[int]:
    """The people of one side of a mission: its volunteer, or its association's members."""
    if side is MissionInitiator.VOLUNTEER:
        return [volunteer_account(session, mission)]
    return association_accounts(session, mission)


def other_side(side: MissionInitiator) -> MissionInitiator:
    if side is MissionInitiator.VOLUNTEER:
        return MissionInitiator.ASSOCIATION
    return MissionInitiator.VOLUNTEER


def tell_side(
    session: Session,
    kind: NotificationKind,
    mission: Mission,
    side: MissionInitiator,
    *,
    but: int | None = None,
    **params: Any,
) -> list[Notification]:
    """Notifies one side of a mission, leaving out the person who acted (`but`): a member who
    is also the volunteer is not told of their own act."""
    people = [a for a in side_accounts(session, mission, side) if a != but]
    return notify(
        session,
        kind,
        people,
        mission_id=persisted_id(mission.id),
        need_id=mission.need_id,
        **params,
    )


def read(session: Session, account_id: int) -> int:
    """Marks the person's notifications read (they opened their list); how many were new."""
    count = queries.notifications.mark_read(session, account_id, utcnow())
    session.commit()
    return count
