"""Missions: their hours and assessments, and missions as signals for matching (live proposals
per volunteer, associations' responsiveness). Nothing here commits."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import HoursStatus, MissionStatus, NeedStatus
from models.errors import NotFound
from models.tables import (
    Account,
    CompetenceAssessment,
    HoursLog,
    Mission,
    Need,
    NeedRequirement,
    VolunteerProfile,
)
from models.types import persisted_id

LIVE = (MissionStatus.PROPOSED, MissionStatus.ACCEPTED, MissionStatus.IN_PROGRESS)


def live_missions(session: Session, profile_ids: Sequence[int]) -> dict[int, int]:
    rows = session.exec(
        select(Mission.volunteer_id, sa.func.count())
        .where(col(Mission.volunteer_id).in_(profile_ids), col(Mission.status).in_(LIVE))
        .group_by(col(Mission.volunteer_id))
    )
    return dict(rows.all())


def proposals_answered(session: Session, organisation_id: int, before: datetime) -> tuple[int, int]:
    """(answered, all) proposals to this association's needs made before `before`."""
    answered = sa.func.sum(sa.case((col(Mission.status) != MissionStatus.PROPOSED, 1), else_=0))
    row = session.exec(
        select(sa.func.count(), answered)
        .join(Need, col(Need.id) == col(Mission.need_id))
        .where(col(Need.organisation_id) == organisation_id, col(Mission.proposed_at) < before)
    ).one()
    return int(row[1] or 0), int(row[0])


def get_mission(session: Session, mission_id: int) -> Mission:
    mission = session.get(Mission, mission_id)
    if mission is None:
        raise NotFound(f"no mission {mission_id}")
    return mission


def unended_mission(session: Session, need_id: int, volunteer_id: int) -> Mission | None:
    """The pair's mission that holds its place (live or completed: the one the unique index
    uq_mission_live_pair allows), if any."""
    return session.exec(
        select(Mission).where(
            col(Mission.need_id) == need_id,
            col(Mission.volunteer_id) == volunteer_id,
            col(Mission.status).in_((*LIVE, MissionStatus.COMPLETED)),
        )
    ).first()


def applications(session: Session, need_id: int) -> list[tuple[Mission, str]]:
    """The need's missions that hold a volunteer's place (live or completed), oldest first,
    each with the volunteer's name."""
    rows = session.exec(
        select(Mission, Account.display_name)
        .join(VolunteerProfile, col(VolunteerProfile.id) == col(Mission.volunteer_id))
        .join(Account, col(Account.id) == col(VolunteerProfile.account_id))
        .where(
            col(Mission.need_id) == need_id,
            col(Mission.status).in_((*LIVE, MissionStatus.COMPLETED)),
        )
        .order_by(col(Mission.proposed_at), col(Mission.id))
    )
    return [(mission, name) for mission, name in rows]


def missions_of(
    session: Session,
    *,
    volunteer_id: int | None,
    organisation_ids: Sequence[int],
    status: MissionStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Mission]:
    """The missions of a volunteer and of the associations given, newest first."""
    mine: list[sa.ColumnElement[bool]] = [col(Need.organisation_id).in_(organisation_ids)]
    if volunteer_id is not None:
        mine.append(col(Mission.volunteer_id) == volunteer_id)
    statement = (
        select(Mission).join(Need, col(Need.id) == col(Mission.need_id)).where(sa.or_(*mine))
    )
    if status is not None:
        statement = statement.where(col(Mission.status) == status)
    statement = statement.order_by(col(Mission.proposed_at).desc(), col(Mission.id).desc())
    return list(session.exec(statement.limit(limit).offset(offset)))


def hours_of(session: Session, mission_id: int) -> list[HoursLog]:
    return list(
        session.exec(
            select(HoursLog)
            .where(col(HoursLog.mission_id) == mission_id)
            .order_by(col(HoursLog.work_date), col(HoursLog.id))
        )
    )


def get_hours(session: Session, mission_id: int, hours_id: int) -> HoursLog:
    entry = session.get(HoursLog, hours_id)
    if entry is None or entry.mission_id != mission_id:
        raise NotFound(f"no hours entry {hours_id} in mission {mission_id}")
    return entry


def approved_hours(session: Session, mission_id: int) -> Decimal:
    total = session.exec(
        select(sa.func.sum(HoursLog.hours)).where(
            col(HoursLog.mission_id) == mission_id, col(HoursLog.status) == HoursStatus.APPROVED
        )
    ).one()
    return Decimal(total or 0)


def replace_assessments(
    session: Session, mission_id: int, assessments: Sequence[CompetenceAssessment]
) -> None:
    session.execute(
        sa.delete(CompetenceAssessment).where(col(CompetenceAssessment.mission_id) == mission_id)
    )
    session.add_all(assessments)
    session.flush()


def needs_without_missions(session: Session, status: NeedStatus) -> list[Need]:
    taken = select(Mission.need_id)
    return list(
        session.exec(
            select(Need)
            .where(col(Need.status) == status, col(Need.id).not_in(taken))
            .order_by(col(Need.id))
        )
    )


def waiting_credentials(session: Session, association_id: int) -> list[int]:
    """The association's completed missions whose credential waits for its verification."""
    rows = session.exec(
        select(col(Mission.id))
        .join(Need, col(Need.id) == col(Mission.need_id))
        .where(col(Need.organisation_id) == association_id, col(Mission.credential_waits))
        .order_by(col(Mission.id))
    )
    return [persisted_id(mission_id) for mission_id in rows]


def hours_of_day(session: Session, mission_id: int, work_date: date) -> Decimal:
    """The hours logged on a mission for one day, rejected ones aside."""
    total = session.exec(
        select(sa.func.coalesce(sa.func.sum(HoursLog.hours), 0)).where(
            col(HoursLog.mission_id) == mission_id,
            col(HoursLog.work_date) == work_date,
            col(HoursLog.status) != HoursStatus.REJECTED,
        )
    ).one()
    return Decimal(total)


def applications_waiting(session: Session, before: datetime) -> list[Mission]:
    """Volunteers' applications the association has not answered since before then."""
    return list(
        session.exec(
            select(Mission)
            .where(
                col(Mission.status) == MissionStatus.PROPOSED,
                col(Mission.association_accepted_at).is_(None),
                col(Mission.volunteer_accepted_at).is_not(None),
                col(Mission.proposed_at) <= before,
            )
            .order_by(col(Mission.proposed_at), col(Mission.id))
        )
    )


def hours_waiting(session: Session, before: datetime) -> list[Mission]:
    """Missions in progress with hours logged before then and not reviewed yet."""
    waiting = (
        select(HoursLog.mission_id)
        .where(col(HoursLog.status) == HoursStatus.SUBMITTED, col(HoursLog.logged_at) <= before)
        .scalar_subquery()
    )
    return list(
        session.exec(
            select(Mission).where(
                col(Mission.status) == MissionStatus.IN_PROGRESS, col(Mission.id).in_(waiting)
            )
        )
    )


def completions_waiting(session: Session, before: datetime) -> list[Mission]:
    """Missions in progress that one side confirmed done before then, the other not yet."""
    volunteer = col(Mission.volunteer_confirmed_at)
    association = col(Mission.association_confirmed_at)
    return list(
        session.exec(
            select(Mission).where(
                col(Mission.status) == MissionStatus.IN_PROGRESS,
                sa.or_(
                    sa.and_(volunteer <= before, association.is_(None)),
                    sa.and_(association <= before, volunteer.is_(None)),
                ),
            )
        )
    )


def open_needs_sharing(session: Session, need_id: int, limit: int = 3) -> list[Need]:
    """Other open needs asking for the competences this one asks for, most shared first."""
    wanted = select(NeedRequirement.competence_id).where(col(NeedRequirement.need_id) == need_id)
    shared = sa.func.count(col(NeedRequirement.competence_id))
    rows = session.exec(
        select(Need, shared)
        .join(NeedRequirement, col(NeedRequirement.need_id) == col(Need.id))
        .where(
            col(Need.status) == NeedStatus.OPEN,
            col(Need.id) != need_id,
            col(NeedRequirement.competence_id).in_(wanted.scalar_subquery()),
        )
        .group_by(col(Need.id))
        .order_by(shared.desc(), col(Need.id).desc())
        .limit(limit)
    )
    return [need for need, _ in rows]
