"""Who is told of each step of a mission. Called by the workflow inside the transaction of
the step itself (services/workflow.py), so that the step and its notifications commit or roll
back together."""

from sqlmodel import Session

from models import (
    Credential,
    HoursLog,
    Mission,
    MissionInitiator,
    NotificationKind,
    Organisation,
    persisted_id,
    queries,
)
from services.notifications.outbox import notify, other_side, tell_side

K = NotificationKind
V, A = MissionInitiator.VOLUNTEER, MissionInitiator.ASSOCIATION


def proposed(session: Session, mission: Mission, by: int) -> None:
    """An application tells the association's members; an invitation tells the volunteer."""
    if mission.initiated_by is V:
        tell_side(session, K.APPLICATION_RECEIVED, mission, A, but=by)
    else:
        tell_side(session, K.INVITATION, mission, V, but=by)


def accepted(session: Session, mission: Mission, by: int) -> None:
    """Both sides have accepted: the side that proposed learns it."""
    tell_side(session, K.ACCEPTED, mission, mission.initiated_by, but=by)


def ended(
    session: Session, mission: Mission, side: MissionInitiator, by: int, *, declined: bool
) -> None:
    reason = mission.end_reason.value if mission.end_reason else None
    kind = K.DECLINED if declined else K.CANCELLED
    tell_side(
        session, kind, mission, other_side(side), but=by, reason=reason, note=mission.end_note
    )


def started(session: Session, mission: Mission, side: MissionInitiator, by: int) -> None:
    tell_side(session, K.STARTED, mission, other_side(side), but=by)


def hours_logged(session: Session, mission: Mission, entry: HoursLog, by: int) -> None:
    tell_side(
        session,
        K.HOURS_LOGGED,
        mission,
        A,
        but=by,
        hours=str(entry.hours),
        work_date=entry.work_date.isoformat(),
    )


def hours_reviewed(session: Session, mission: Mission, entry: HoursLog, by: int) -> None:
    tell_side(
        session,
        K.HOURS_REVIEWED,
        mission,
        V,
        but=by,
        hours=str(entry.hours),
        work_date=entry.work_date.isoformat(),
        status=entry.status.value,
    )


def confirmed(session: Session, mission: Mission, side: MissionInitiator, by: int) -> None:
    """One side confirmed the mission done: the other is asked to confirm too."""
    tell_side(session, K.COMPLETION_TO_CONFIRM, mission, other_side(side), but=by)


def badge_issued(session: Session, mission: Mission, credential: Credential) -> None:
    tell_side(session, K.BADGE_ISSUED, mission, V, credential_id=credential.id)


def badge_revoked(session: Session, credential: Credential) -> None:
    mission = queries.missions.get_mission(session, credential.mission_id)
    tell_side(
        session,
        K.BADGE_REVOKED,
        mission,
        V,
        credential_id=credential.id,
        reason=credential.revocation_reason,
    )


def badge_signed_again(session: Session, credential: Credential) -> None:
    """Its issuer changed keys: the holder's OB 2.0 signed copy must be downloaded again."""
    mission = queries.missions.get_mission(session, credential.mission_id)
    tell_side(session, K.BADGE_SIGNED_AGAIN, mission, V, credential_id=credential.id)


def association_verified(session: Session, association: Organisation) -> None:
    members = queries.organisations.members(session, persisted_id(association.id))
    notify(
        session,
        K.ASSOCIATION_VERIFIED,
        [persisted_id(m.id) for m in members],
        organisation_id=association.id,
    )
