"""Missions as signals for matching: live proposals per volunteer, associations' responsiveness."""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import MissionStatus
from models.tables import Mission, Need

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
