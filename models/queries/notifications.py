"""Notifications, their delivery, preferences, conversations and call slots."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select, update

from models.enums import Channel, DeliveryState, NeedStatus, NotificationKind
from models.tables import (
    Account,
    CallSlot,
    CompetenceClaim,
    DeliveryAttempt,
    Mission,
    MissionMessage,
    Need,
    NeedRequirement,
    Notification,
    NotificationPreference,
    VolunteerProfile,
)


def channels(session: Session, kind: NotificationKind) -> dict[int, Channel]:
    """Who chose something other than email for this kind, and what."""
    rows = session.exec(
        select(NotificationPreference).where(col(NotificationPreference.kind) == kind)
    )
    return {row.account_id: row.channel for row in rows}


def preferences(session: Session, account_id: int) -> dict[NotificationKind, Channel]:
    rows = session.exec(
        select(NotificationPreference).where(col(NotificationPreference.account_id) == account_id)
    )
    return {row.kind: row.channel for row in rows}


def set_preference(
    session: Session, account_id: int, kind: NotificationKind, channel: Channel
) -> None:
    row = session.get(NotificationPreference, (account_id, kind))
    if row is None:
        session.add(NotificationPreference(account_id=account_id, kind=kind, channel=channel))
    else:
        row.channel = channel


def of_account(session: Session, account_id: int, limit: int = 100) -> list[Notification]:
    return list(
        session.exec(
            select(Notification)
            .where(col(Notification.account_id) == account_id)
            .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, account_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Notification)
        .where(col(Notification.account_id) == account_id, col(Notification.read_at).is_(None))
    ).one()


def mark_read(session: Session, account_id: int, now: datetime) -> int:
    result = session.exec(
        update(Notification)
        .where(col(Notification.account_id) == account_id, col(Notification.read_at).is_(None))
        .values(read_at=now)
    )
    return int(result.rowcount or 0)


def claim_due(session: Session, now: datetime) -> Notification | None:
    """The next email due, locked for this worker until its transaction ends: other workers
    on PostgreSQL skip it (SKIP LOCKED) instead of waiting or sending it too. The lock lets
    the attempts journal reference the row (FOR NO KEY UPDATE leaves key-share locks free)."""
    return session.exec(
        select(Notification)
        .where(col(Notification.state) == DeliveryState.PENDING, col(Notification.due_at) <= now)
        .order_by(col(Notification.due_at), col(Notification.id))
        .limit(1)
        .with_for_update(skip_locked=True, key_share=True)
    ).first()


def attempts_of(session: Session, notification_id: int) -> list[DeliveryAttempt]:
    return list(
        session.exec(
            select(DeliveryAttempt)
            .where(col(DeliveryAttempt.notification_id) == notification_id)
            .order_by(col(DeliveryAttempt.id))
        )
    )


def by_state(
    session: Session, state: DeliveryState, limit: int = 200
) -> list[tuple[Notification, Account]]:
    rows = session.exec(
        select(Notification, Account)
        .join(Account, col(Account.id) == col(Notification.account_id))
        .where(col(Notification.state) == state)
        .order_by(col(Notification.created_at).desc())
        .limit(limit)
    )
    return [(n, a) for n, a in rows]


def count_by_state(session: Session) -> dict[DeliveryState, int]:
    rows = session.exec(select(Notification.state, func.count()).group_by(col(Notification.state)))
    return {DeliveryState(state): count for state, count in rows}


def told_since(
    session: Session, kind: NotificationKind, mission_ids: Sequence[int], since: datetime
) -> set[int]:
    """The missions among these that had a notification of this kind since then."""
    if not mission_ids:
        return set()
    rows = session.exec(
        select(Notification.mission_id)
        .where(
            col(Notification.kind) == kind,
            col(Notification.mission_id).in_(mission_ids),
            col(Notification.created_at) >= since,
        )
        .distinct()
    )
    return {row for row in rows if row is not None}


def messages_of(session: Session, mission_id: int) -> list[MissionMessage]:
    return list(
        session.exec(
            select(MissionMessage)
            .where(col(MissionMessage.mission_id) == mission_id)
            .order_by(col(MissionMessage.created_at), col(MissionMessage.id))
        )
    )


def messages_by(session: Session, account_id: int) -> list[MissionMessage]:
    return list(
        session.exec(
            select(MissionMessage)
            .where(col(MissionMessage.author_id) == account_id)
            .order_by(col(MissionMessage.created_at), col(MissionMessage.id))
        )
    )


def slots_of(session: Session, mission_id: int) -> list[CallSlot]:
    return list(
        session.exec(
            select(CallSlot)
            .where(col(CallSlot.mission_id) == mission_id)
            .order_by(col(CallSlot.starts_at), col(CallSlot.id))
        )
    )


def keep_in_app(session: Session) -> int:
    """Every email still to send is shown in its person's space only (the demo's past)."""
    result = session.exec(
        update(Notification)
        .where(col(Notification.state) == DeliveryState.PENDING)
        .values(state=DeliveryState.IN_APP)
    )
    return int(result.rowcount or 0)


def conversation(session: Session, mission_id: int) -> list[tuple[MissionMessage, Account | None]]:
    """A mission's messages, oldest first, each with its author's account (None once erased)."""
    rows = session.exec(
        select(MissionMessage, Account)
        .join(Account, col(Account.id) == col(MissionMessage.author_id), isouter=True)
        .where(col(MissionMessage.mission_id) == mission_id)
        .order_by(col(MissionMessage.created_at), col(MissionMessage.id))
    )
    return [(message, account) for message, account in rows]


def forget_author(session: Session, account_id: int) -> int:
    """The person's messages stay with their missions, no longer tied to them (erasure)."""
    result = session.exec(
        update(MissionMessage)
        .where(col(MissionMessage.author_id) == account_id)
        .values(author_id=None)
    )
    return int(result.rowcount or 0)


def lock_mission_calls(session: Session, mission_id: int) -> None:
    """Holds the mission's row until the transaction ends, so that two changes of its first
    call (times proposed again, a time chosen) run one after the other on PostgreSQL (NO KEY:
    rows that merely reference the mission are not held up). SQLite's writers already take
    turns (BEGIN IMMEDIATE)."""
    session.exec(
        select(Mission.id).where(col(Mission.id) == mission_id).with_for_update(key_share=True)
    ).first()


def drop_open_slots(session: Session, mission_id: int) -> int:
    """The times proposed and not chosen, gone (the association proposes others)."""
    result = session.exec(
        sa.delete(CallSlot).where(
            col(CallSlot.mission_id) == mission_id, col(CallSlot.chosen_at).is_(None)
        )
    )
    return int(result.rowcount or 0)


def chosen_slot(session: Session, mission_id: int) -> CallSlot | None:
    return session.exec(
        select(CallSlot).where(
            col(CallSlot.mission_id) == mission_id, col(CallSlot.chosen_at).is_not(None)
        )
    ).first()


def slot_of(session: Session, mission_id: int, slot_id: int) -> CallSlot | None:
    """One of the mission's slots (another mission's is none of it)."""
    return session.exec(
        select(CallSlot).where(col(CallSlot.mission_id) == mission_id, col(CallSlot.id) == slot_id)
    ).first()


def digest_readers(session: Session, since: datetime) -> list[Account]:
    """Accounts that want the weekly digest and had none since then."""
    had = (
        select(Notification.account_id)
        .where(
            col(Notification.kind) == NotificationKind.DIGEST, col(Notification.created_at) >= since
        )
        .scalar_subquery()
    )
    return list(
        session.exec(
            select(Account)
            .where(
                col(Account.weekly_digest),
                col(Account.is_active),
                col(Account.id).not_in(had),
            )
            .order_by(col(Account.id))
        )
    )


def new_needs_for(session: Session, profile_id: int, since: datetime, limit: int = 5) -> list[Need]:
    """Open needs published since then that ask for a competence the volunteer has."""
    theirs = select(CompetenceClaim.competence_id).where(
        col(CompetenceClaim.profile_id) == profile_id
    )
    shared = func.count(col(NeedRequirement.competence_id))
    rows = session.exec(
        select(Need, shared)
        .join(NeedRequirement, col(NeedRequirement.need_id) == col(Need.id))
        .where(
            col(Need.status) == NeedStatus.OPEN,
            col(Need.created_at) >= since,
            col(NeedRequirement.competence_id).in_(theirs.scalar_subquery()),
        )
        .group_by(col(Need.id))
        .order_by(shared.desc(), col(Need.id).desc())
        .limit(limit)
    )
    return [need for need, _ in rows]


def new_volunteers_for(
    session: Session, organisation_id: int, since: datetime, limit: int = 5
) -> list[tuple[VolunteerProfile, str, int]]:
    """Volunteers open to missions, arrived since then and on no mission of the association
    yet, with a competence one of its open needs asks for; each with their name and the need
    they fit best."""
    shared = func.count(col(CompetenceClaim.competence_id))
    already = (
        select(Mission.volunteer_id)
        .join(Need, col(Need.id) == col(Mission.need_id))
        .where(col(Need.organisation_id) == organisation_id)
    )
    rows = session.exec(
        select(VolunteerProfile, Account.display_name, func.min(col(Need.id)), shared)
        .join(CompetenceClaim, col(CompetenceClaim.profile_id) == col(VolunteerProfile.id))
        .join(Account, col(Account.id) == col(VolunteerProfile.account_id))
        .join(
            NeedRequirement,
            col(NeedRequirement.competence_id) == col(CompetenceClaim.competence_id),
        )
        .join(Need, col(Need.id) == col(NeedRequirement.need_id))
        .where(
            col(Need.organisation_id) == organisation_id,
            col(Need.status) == NeedStatus.OPEN,
            col(VolunteerProfile.is_open),
            col(VolunteerProfile.created_at) >= since,
            col(VolunteerProfile.id).not_in(already.scalar_subquery()),
        )
        .group_by(col(VolunteerProfile.id), col(Account.display_name))
        .order_by(shared.desc(), col(VolunteerProfile.id).desc())
        .limit(limit)
    )
    return [(profile, name, int(need_id or 0)) for profile, name, need_id, _ in rows]


def forget_account(session: Session, account_id: int) -> None:
    """What was told to a person, and their choices (their erasure): the emails and what
    they quoted of others go with them (the tries with each notification, by the database)."""
    session.execute(sa.delete(Notification).where(col(Notification.account_id) == account_id))
    session.execute(
        sa.delete(NotificationPreference).where(
            col(NotificationPreference.account_id) == account_id
        )
    )
