"""Answer deadlines, kept by the worker: an application unanswered for
`application_reminder_days` sends the association a reminder, and after
`application_expiry_days` it expires, with a kind note to the volunteer and other needs that
fit them, and the association pointed to the need's other matches. Hours or a completion
waiting for a confirmation for `confirmation_reminder_days` send a reminder, again after
each such period. The weekly digests go out with the same sweep. Each sweep is idempotent:
what was told is read from the outbox."""

from datetime import datetime, timedelta

from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from config import Settings
from models import (
    EndReason,
    Mission,
    MissionEvent,
    MissionInitiator,
    MissionStatus,
    NotificationKind,
    persisted_id,
    queries,
)
from services.notifications import digest
from services.notifications.outbox import tell_side

K = NotificationKind
V, A = MissionInitiator.VOLUNTEER, MissionInitiator.ASSOCIATION


def sweep(session: Session, settings: Settings, now: datetime) -> int:
    """Sends the reminders due and expires the applications past their period; how many
    notifications were written."""
    told = _remind_applications(session, settings, now)
    told += _expire_applications(session, settings, now)
    told += _remind_confirmations(session, settings, now)
    told += digest.send(session, now)
    return told


def _ids(missions: list[Mission]) -> list[int]:
    return [persisted_id(m.id) for m in missions]


def _remind_applications(session: Session, settings: Settings, now: datetime) -> int:
    reminder = timedelta(days=settings.application_reminder_days)
    expiry = timedelta(days=settings.application_expiry_days)
    waiting = queries.missions.applications_waiting(session, now - reminder)
    reminded = queries.notifications.told_since(
        session, K.APPLICATION_REMINDER, _ids(waiting), now - expiry
    )
    told = 0
    for mission in waiting:
        if mission.id in reminded or mission.proposed_at <= now - expiry:
            continue
        left = max(1, (mission.proposed_at + expiry - now).days)
        told += len(tell_side(session, K.APPLICATION_REMINDER, mission, A, at=now, days_left=left))
    session.commit()
    return told


def _expire_applications(session: Session, settings: Settings, now: datetime) -> int:
    told = 0
    expiry = timedelta(days=settings.application_expiry_days)
    for mission in queries.missions.applications_waiting(session, now - expiry):
        mission.status, mission.end_reason = MissionStatus.DECLINED, EndReason.EXPIRED
        mission.ended_at = mission.updated_at = now
        session.add(
            MissionEvent(
                mission_id=persisted_id(mission.id),
                actor_id=None,
                from_status=MissionStatus.PROPOSED,
                to_status=MissionStatus.DECLINED,
                note=EndReason.EXPIRED.value,
            )
        )
        others = queries.missions.open_needs_sharing(session, mission.need_id)
        suggested = [{"id": n.id, "title": n.title} for n in others]
        written = tell_side(session, K.APPLICATION_EXPIRED, mission, V, at=now, suggested=suggested)
        written += tell_side(session, K.APPLICATION_EXPIRED, mission, A, at=now)
        try:
            session.commit()
        except StaleDataError:  # answered at this very moment: the answer stands
            session.rollback()
            continue
        told += len(written)
    return told


def _remind_confirmations(session: Session, settings: Settings, now: datetime) -> int:
    period = timedelta(days=settings.confirmation_reminder_days)
    told = 0
    hours = queries.missions.hours_waiting(session, now - period)
    completions = queries.missions.completions_waiting(session, now - period)
    recent = queries.notifications.told_since(
        session, K.CONFIRMATION_REMINDER, _ids(hours + completions), now - period
    )
    for mission in hours:
        if mission.id not in recent:
            told += len(
                tell_side(session, K.CONFIRMATION_REMINDER, mission, A, at=now, waiting="hours")
            )
            recent.add(persisted_id(mission.id))
    for mission in completions:
        if mission.id in recent:
            continue
        side = A if mission.association_confirmed_at is None else V
        told += len(
            tell_side(session, K.CONFIRMATION_REMINDER, mission, side, at=now, waiting="completion")
        )
    session.commit()
    return told
