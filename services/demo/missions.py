"""Demo missions at every stage short of completion, with their history and logged hours.

Completed missions need credentials, which the issuance workflow creates; they are added there.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlmodel import Session

from models import (
    EndReason,
    HoursLog,
    HoursStatus,
    Mission,
    MissionEvent,
    MissionInitiator,
    MissionStatus,
    Need,
    NeedStatus,
    VolunteerProfile,
    persisted_id,
    queries,
)
from services.people.profiles import STATED

# (status reached, how many); the order of the path a mission walks.
PLAN = [
    (MissionStatus.PROPOSED, 4),
    (MissionStatus.ACCEPTED, 2),
    (MissionStatus.IN_PROGRESS, 4),
    (MissionStatus.DECLINED, 1),
    (MissionStatus.CANCELLED, 1),
]
_PATH = [MissionStatus.PROPOSED, MissionStatus.ACCEPTED, MissionStatus.IN_PROGRESS]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo("Europe/Paris"))


def _candidates(
    session: Session, need: Need, volunteers: list[VolunteerProfile]
) -> list[VolunteerProfile]:
    need_id = persisted_id(need.id)
    wanted = {
        (f, c)
        for f, c, _ in queries.profiles.need_requirements(session, [need_id], STATED)[need_id]
    }
    need_languages = set(queries.profiles.need_languages(session, [need_id])[need_id])
    ids = [v.id for v in volunteers if v.id is not None]
    claims = queries.profiles.profile_claims(session, ids, STATED)
    languages = queries.profiles.profile_languages(session, ids)
    return [
        v
        for v in volunteers
        if v.id is not None
        and need_languages & set(languages[v.id])
        and wanted & {(f, c) for f, c, _ in claims[v.id]}
    ]


def add_demo_missions(
    session: Session,
    rng: random.Random,
    needs: list[Need],
    volunteers: list[VolunteerProfile],
    *,
    today: date,
) -> int:
    open_needs = [n for n in needs if n.status is NeedStatus.OPEN]
    rng.shuffle(open_needs)
    plan = [status for status, count in PLAN for _ in range(count)]
    created = 0
    for need, final in zip(open_needs, plan, strict=False):
        candidates = _candidates(session, need, volunteers)
        if not candidates:
            continue
        volunteer = rng.choice(candidates)
        _mission(session, rng, need, volunteer, final, today)
        created += 1
    return created


def _mission(
    session: Session,
    rng: random.Random,
    need: Need,
    volunteer: VolunteerProfile,
    final: MissionStatus,
    today: date,
) -> None:
    start = today - timedelta(days=rng.randint(10, 40))
    side = rng.choice(list(MissionInitiator))
    if final is MissionStatus.PROPOSED:  # still waiting: sent within the answer period
        start = today - timedelta(days=1)
    # Whoever proposes has accepted, as `services.workflow.propose` records: the other side's
    # acceptance then moves the mission on.
    mission = Mission(
        need_id=persisted_id(need.id),
        volunteer_id=persisted_id(volunteer.id),
        programme_id=volunteer.programme_id,
        initiated_by=side,
        proposed_at=_at(start, 10),
        updated_at=_at(start, 10),
        volunteer_accepted_at=_at(start, 10) if side is MissionInitiator.VOLUNTEER else None,
        association_accepted_at=_at(start, 10) if side is MissionInitiator.ASSOCIATION else None,
    )
    session.add(mission)
    session.flush()
    mission_id = persisted_id(mission.id)
    events = [
        MissionEvent(mission_id=mission_id, at=_at(start, 10), to_status=MissionStatus.PROPOSED)
    ]
    reached = _PATH[: _PATH.index(final) + 1] if final in _PATH else [MissionStatus.PROPOSED]
    day = start
    for previous, status in pairwise(reached):
        day += timedelta(days=rng.randint(1, 4))
        events.append(
            MissionEvent(
                mission_id=mission_id, at=_at(day, 11), from_status=previous, to_status=status
            )
        )
        if status is MissionStatus.ACCEPTED:
            mission.volunteer_accepted_at = mission.association_accepted_at = _at(day, 11)
        if status is MissionStatus.IN_PROGRESS:
            mission.started_at = _at(day, 11)
            need.status = NeedStatus.IN_PROGRESS
            _hours(session, rng, mission_id, day, today)
    if final in (MissionStatus.DECLINED, MissionStatus.CANCELLED):
        events.append(_end(mission, final, reached[-1], day + timedelta(days=2)))
    mission.status = final
    mission.updated_at = events[-1].at
    session.add_all([mission, need, *events])


def _hours(session: Session, rng: random.Random, mission_id: int, start: date, today: date) -> None:
    day = start
    for _ in range(rng.randint(2, 5)):
        day += timedelta(days=rng.randint(2, 6))
        if day >= today:
            break
        approved = day < today - timedelta(days=7)
        session.add(
            HoursLog(
                mission_id=mission_id,
                work_date=day,
                hours=Decimal(rng.choice(["1.5", "2", "3", "4"])),
                description="Atelier de travail avec l'équipe"
                if rng.random() < 0.5
                else "Remote working session",
                status=HoursStatus.APPROVED if approved else HoursStatus.SUBMITTED,
                logged_at=_at(day, 18),
                reviewed_at=_at(day + timedelta(days=2), 9) if approved else None,
            )
        )


def _end(mission: Mission, final: MissionStatus, before: MissionStatus, day: date) -> MissionEvent:
    """A demo mission declined or cancelled, with the reason and a word from the other side."""
    mission.end_reason = (
        EndReason.NOT_AVAILABLE if final is MissionStatus.DECLINED else EndReason.SCOPE_CHANGED
    )
    mission.end_note = (
        "Pas disponible avant la fin du trimestre."
        if final is MissionStatus.DECLINED
        else "L'association a choisi de reporter le projet à l'an prochain."
    )
    mission.ended_at = _at(day, 15)
    return MissionEvent(
        mission_id=persisted_id(mission.id),
        at=_at(day, 15),
        from_status=before,
        to_status=final,
        note=mission.end_note,
    )
