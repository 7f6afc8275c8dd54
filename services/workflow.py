"""The mission workflow: a volunteer applies or an association proposes, the other side
accepts (or declines, with a reason), either starts it, the volunteer logs hours and the
association reviews them, and completion when both sides confirm, with the association's
assessment of each competence exercised — which issues the mission's one credential in the
same transaction.

Every change is checked against the actor (only the mission's volunteer, only members of the
need's association) and the mission's state, is recorded as a mission event, and commits
once. Two requests that change one mission at once are serialised by its version column: the
one that lost re-reads the mission and applies its change again, so a double click or a retry
never does a thing twice and never loses the other side's change.
"""

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from config import Settings
from models import (
    CompetenceAssessment,
    Conflict,
    Credential,
    EndReason,
    HoursLog,
    HoursStatus,
    InvalidData,
    Mission,
    MissionEvent,
    MissionInitiator,
    MissionStatus,
    NeedStatus,
    NotFound,
    TooManyHours,
    persisted_id,
    queries,
    utcnow,
)
from services.actors import Actor
from services.credentials import issuance
from services.errors import NotAllowed
from services.notifications import events
from services.people.profiles import CompetenceResolver
from services.records import CompetenceRef

_HOURS_A_DAY = Decimal(24)  # per mission, all entries of the day together
_ATTEMPTS = 8  # a mission changed by several requests at once: each retry sees the others
_BACKOFF = 0.02  # seconds, doubled at each attempt (about 2.5 s in all), with jitter
T = TypeVar("T")


@dataclass(frozen=True)
class Assessment:
    """The association's assessment of one competence the volunteer exercised."""

    competence: CompetenceRef  # e.g. ecf:B.1 at level 3
    level_before: int | None = None  # DigComp, when the association's own staff were trained
    comment: str = ""


def _retrying(session: Session, change: Callable[[], T]) -> T:
    """Runs `change` and commits; on a concurrent change of the same rows, starts again from
    fresh reads (the whole change is one transaction, so nothing half-done remains)."""
    for attempt in range(_ATTEMPTS):
        try:
            result = change()
            session.commit()
            return result
        except (StaleDataError, IntegrityError, OperationalError) as exc:
            # SQLite answers a write that lost the race with "database is locked".
            if isinstance(exc, OperationalError) and "locked" not in str(exc):
                raise
            session.rollback()
            if attempt == _ATTEMPTS - 1:
                raise Conflict(
                    "the mission was changed by someone else at the same time: try again"
                ) from None
            # The winner may still hold the write lock (SQLite refuses at once, without
            # waiting, a writer whose snapshot is stale): let it finish first.
            time.sleep(_BACKOFF * 2**attempt * random.uniform(0.5, 1.5))
    raise AssertionError("unreachable")


def _event(
    session: Session,
    mission: Mission,
    actor: Actor,
    before: MissionStatus | None,
    note: str | None = None,
) -> None:
    session.add(
        MissionEvent(
            mission_id=persisted_id(mission.id),
            actor_id=actor.account_id,
            from_status=before,
            to_status=mission.status,
            note=note,
        )
    )


def _association_of(session: Session, mission: Mission) -> int:
    return queries.profiles.get_need(session, mission.need_id).organisation_id


def _side(session: Session, mission: Mission, actor: Actor) -> MissionInitiator:
    """Which side the actor acts for on this mission (the volunteer's, if both)."""
    if actor.profile_id == mission.volunteer_id:
        return MissionInitiator.VOLUNTEER
    actor.require_member(_association_of(session, mission))
    return MissionInitiator.ASSOCIATION


def visible_mission(session: Session, actor: Actor, mission_id: int) -> Mission:
    """A mission its volunteer, its association's members and admins may see; anyone else is
    told it does not exist (an id proves nothing)."""
    mission = queries.missions.get_mission(session, mission_id)
    if (
        actor.is_admin
        or actor.profile_id == mission.volunteer_id
        or _association_of(session, mission) in actor.associations
    ):
        return mission
    raise NotFound(f"no mission {mission_id}")


def credential_of(session: Session, actor: Actor, mission_id: int) -> Credential:
    visible_mission(session, actor, mission_id)
    credential = queries.credentials.credential_of_mission(session, mission_id)
    if credential is None:
        raise NotFound(f"mission {mission_id} has no credential: it has not completed")
    return credential


def _not_own_mission(actor: Actor, mission: Mission, doing: str) -> None:
    """A member of the association who is also the mission's volunteer never vouches for it:
    the association's side is another member's."""
    if actor.profile_id == mission.volunteer_id:
        raise NotAllowed(
            f"you cannot {doing}: you are this mission's volunteer, so another member of the "
            "association does it"
        )


def _require(mission: Mission, *allowed: MissionStatus, doing: str) -> None:
    if mission.status not in allowed:
        raise Conflict(f"cannot {doing}: the mission is {mission.status.value}")


def propose(
    session: Session, actor: Actor, need_id: int, volunteer_id: int | None = None
) -> Mission:
    """A volunteer applies to a need (no `volunteer_id`, or their own), or a member of the
    need's association proposes it to a volunteer. The side that starts has accepted."""
    need = queries.profiles.get_need(session, need_id)
    if need.status is not NeedStatus.OPEN:
        if not (actor.is_admin or need.organisation_id in actor.associations):
            raise NotFound(f"no need {need_id}")  # drafts and closed needs are not published
        raise Conflict(f"the need is {need.status.value}, not open")
    if volunteer_id is None or volunteer_id == actor.profile_id:
        if actor.profile_id is None:
            raise NotAllowed("only a volunteer can apply; associations name the volunteer")
        volunteer_id, side = actor.profile_id, MissionInitiator.VOLUNTEER
    else:
        actor.require_member(need.organisation_id)
        side = MissionInitiator.ASSOCIATION
    profile = queries.profiles.get_profile(session, volunteer_id)
    if side is MissionInitiator.ASSOCIATION and not profile.is_open:
        raise Conflict("this volunteer is not looking for missions at the moment")

    def change() -> Mission:
        existing = queries.missions.unended_mission(session, need_id, volunteer_id)
        if existing is not None and existing.status is MissionStatus.COMPLETED:
            raise Conflict(
                f"this volunteer already completed a mission for this need (mission "
                f"{existing.id}): for more work, the association posts a new need"
            )
        if existing is not None:
            return existing  # a double submission gives back the first one
        now = utcnow()
        mission = Mission(
            need_id=need_id,
            volunteer_id=volunteer_id,
            programme_id=profile.programme_id,
            initiated_by=side,
            volunteer_accepted_at=now if side is MissionInitiator.VOLUNTEER else None,
            association_accepted_at=now if side is MissionInitiator.ASSOCIATION else None,
        )
        session.add(mission)
        session.flush()
        _event(session, mission, actor, None)
        events.proposed(session, mission, actor.account_id)
        return mission

    return _retrying(session, change)


def accept(session: Session, actor: Actor, mission_id: int) -> Mission:
    def change() -> Mission:
        mission = visible_mission(session, actor, mission_id)
        side = _side(session, mission, actor)
        if mission.status is not MissionStatus.PROPOSED:
            _require(mission, MissionStatus.ACCEPTED, MissionStatus.IN_PROGRESS, doing="accept")
            return mission  # accepted already: a retry changes nothing
        now = utcnow()
        if side is MissionInitiator.VOLUNTEER:
            mission.volunteer_accepted_at = mission.volunteer_accepted_at or now
        else:
            mission.association_accepted_at = mission.association_accepted_at or now
        if mission.volunteer_accepted_at and mission.association_accepted_at:
            mission.status, mission.updated_at = MissionStatus.ACCEPTED, now
            _event(session, mission, actor, MissionStatus.PROPOSED)
            events.accepted(session, mission, actor.account_id)
        session.flush()
        return mission

    return _retrying(session, change)


def end(
    session: Session,
    actor: Actor,
    mission_id: int,
    reason: EndReason,
    note: str = "",
    *,
    decline: bool,
) -> Mission:
    """Declines a proposal (the side that has not accepted) or cancels a mission that has not
    completed (either side); both need a structured reason."""
    target = MissionStatus.DECLINED if decline else MissionStatus.CANCELLED

    def change() -> Mission:
        mission = visible_mission(session, actor, mission_id)
        side = _side(session, mission, actor)
        if mission.status is target:
            return mission
        if decline:
            _require(mission, MissionStatus.PROPOSED, doing="decline")
            accepted = (
                mission.volunteer_accepted_at
                if side is MissionInitiator.VOLUNTEER
                else mission.association_accepted_at
            )
            if accepted is not None:
                raise Conflict("you made or accepted this proposal: cancel it instead")
        else:
            _require(
                mission,
                MissionStatus.PROPOSED,
                MissionStatus.ACCEPTED,
                MissionStatus.IN_PROGRESS,
                doing="cancel",
            )
        before, now = mission.status, utcnow()
        mission.status, mission.end_reason = target, reason
        mission.end_note, mission.ended_at, mission.updated_at = note or None, now, now
        _event(session, mission, actor, before, note or reason.value)
        events.ended(session, mission, side, actor.account_id, declined=decline)
        session.flush()
        return mission

    return _retrying(session, change)


def start(session: Session, actor: Actor, mission_id: int) -> Mission:
    def change() -> Mission:
        mission = visible_mission(session, actor, mission_id)
        side = _side(session, mission, actor)
        if mission.status is MissionStatus.IN_PROGRESS:
            return mission
        _require(mission, MissionStatus.ACCEPTED, doing="start")
        now = utcnow()
        mission.status, mission.started_at, mission.updated_at = (
            MissionStatus.IN_PROGRESS,
            now,
            now,
        )
        _event(session, mission, actor, MissionStatus.ACCEPTED)
        events.started(session, mission, side, actor.account_id)
        session.flush()
        return mission

    return _retrying(session, change)


def log_hours(
    session: Session,
    actor: Actor,
    mission_id: int,
    work_date: date,
    hours: Decimal | str,
    description: str = "",
) -> HoursLog:
    """The volunteer declares the hours of one day of work on a mission in progress."""
    try:
        amount = Decimal(str(hours))
    except InvalidOperation:
        raise InvalidData(f"hours must be a number, not {hours!r}", field="hours") from None
    if not Decimal(0) < amount <= Decimal(24) or amount != amount.quantize(Decimal("0.01")):
        raise InvalidData("hours must be more than 0 and at most 24, in hundredths", field="hours")
    mission = visible_mission(session, actor, mission_id)
    actor.require_volunteer(mission.volunteer_id)
    _require(mission, MissionStatus.IN_PROGRESS, doing="log hours")
    if work_date > utcnow().date():
        raise InvalidData("hours cannot be logged for a day still to come", field="work_date")
    if work_date < mission.proposed_at.date():
        raise InvalidData("that day is before the mission was proposed", field="work_date")
    logged = queries.missions.hours_of_day(session, mission_id, work_date)
    if logged + amount > _HOURS_A_DAY:
        raise TooManyHours(
            f"{logged.normalize():f} hours are already logged for {work_date.isoformat()}: a "
            f"day has {_HOURS_A_DAY} at most",
            logged=logged,
            left=_HOURS_A_DAY - logged,
            day=work_date,
        )
    entry = HoursLog(
        mission_id=mission_id, work_date=work_date, hours=amount, description=description
    )
    session.add(entry)
    session.flush()
    events.hours_logged(session, mission, entry, actor.account_id)
    session.commit()
    return entry


def review_hours(
    session: Session, actor: Actor, mission_id: int, hours_id: int, *, approve: bool
) -> HoursLog:
    mission = visible_mission(session, actor, mission_id)
    actor.require_member(_association_of(session, mission))
    _not_own_mission(actor, mission, "review your own hours")
    _require(mission, MissionStatus.IN_PROGRESS, doing="review hours")
    entry = queries.missions.get_hours(session, mission_id, hours_id)
    wanted = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    if entry.status is wanted:
        return entry
    if entry.status is not HoursStatus.SUBMITTED:
        raise Conflict(f"these hours were already {entry.status.value}")
    entry.status, entry.reviewed_at, entry.reviewed_by_id = wanted, utcnow(), actor.account_id
    events.hours_reviewed(session, mission, entry, actor.account_id)
    session.commit()
    return entry


@dataclass(frozen=True)
class Completion:
    mission: Mission
    credential: Credential | None  # issued once both sides have confirmed

    @property
    def credential_waits(self) -> bool:
        """Completed, the credential waiting for the association's verification."""
        return self.mission.credential_waits


def confirm_completion(
    session: Session,
    settings: Settings,
    actor: Actor,
    mission_id: int,
    assessments: Sequence[Assessment] = (),
) -> Completion:
    """One side confirms the mission is done: the association with its assessment of each
    competence exercised. When both have, the mission
    completes and its credential is issued in the same transaction: the database refuses a
    completed mission without its credential, and a second credential for one mission."""
    mission = visible_mission(session, actor, mission_id)
    side = _side(session, mission, actor)
    if (
        assessments
        and side is MissionInitiator.VOLUNTEER
        and _association_of(session, mission) in actor.associations
    ):
        _not_own_mission(actor, mission, "assess the competences or confirm for the association")
    checked = _checked(session, assessments) if side is MissionInitiator.ASSOCIATION else []

    def change() -> Completion:
        mission = visible_mission(session, actor, mission_id)
        session.refresh(mission)  # a retry must see the other side's confirmation
        if mission.status is MissionStatus.COMPLETED:
            return Completion(
                mission, queries.credentials.credential_of_mission(session, mission_id)
            )
        _require(mission, MissionStatus.IN_PROGRESS, doing="confirm completion")
        now = utcnow()
        again = (
            mission.association_confirmed_at
            if side is MissionInitiator.ASSOCIATION
            else mission.volunteer_confirmed_at
        ) is not None
        if side is MissionInitiator.ASSOCIATION:
            _association_confirms(session, mission, checked)
            mission.association_confirmed_at = mission.association_confirmed_at or now
        else:
            mission.volunteer_confirmed_at = mission.volunteer_confirmed_at or now
        mission.updated_at = now
        credential = None
        if not (mission.volunteer_confirmed_at and mission.association_confirmed_at):
            if not again:  # the other side is asked once
                events.confirmed(session, mission, side, actor.account_id)
        else:
            if queries.organisations.is_verified(session, _association_of(session, mission)):
                credential = issuance.issue(session, settings, mission, completed_at=now)
                mission.credential_id = credential.id
                events.badge_issued(session, mission, credential)
            else:  # the transfer is recorded; the badge waits for the platform's check
                mission.credential_waits = True
            mission.status, mission.completed_at = MissionStatus.COMPLETED, now
            _event(session, mission, actor, MissionStatus.IN_PROGRESS)
        session.flush()
        return Completion(mission, credential)

    return _retrying(session, change)


def issue_waiting(session: Session, settings: Settings, mission_id: int) -> bool:
    """Issues the credential of a mission completed before its association was verified;
    false when it is issued already (by another admin's verification at the same moment)."""

    def change() -> bool:
        mission = queries.missions.get_mission(session, mission_id)
        session.refresh(mission)
        if not mission.credential_waits:
            return False
        assert mission.completed_at is not None  # completed: the database says so
        credential = issuance.issue(session, settings, mission, completed_at=mission.completed_at)
        mission.credential_id, mission.credential_waits = credential.id, False
        events.badge_issued(session, mission, credential)
        session.flush()
        return True

    return _retrying(session, change)


def _checked(session: Session, assessments: Sequence[Assessment]) -> list[tuple[int, Assessment]]:
    """Each assessed competence resolved, its level inside the competence's range."""
    if not assessments:
        raise InvalidData(
            "assess at least one competence the volunteer exercised", field="assessments"
        )
    resolver = CompetenceResolver(session)
    found = []
    for assessment in assessments:
        [(competence_id, level)] = resolver.resolve([assessment.competence])
        if level is None and assessment.competence.framework != "esco":  # ESCO has no levels
            raise InvalidData(
                f"give the level observed for {assessment.competence.code}", field="assessments"
            )
        if assessment.level_before is not None:
            before = CompetenceRef(
                framework=assessment.competence.framework,
                code=assessment.competence.code,
                level=assessment.level_before,
            )
            resolver.resolve([before])  # the same range check
        found.append((competence_id, assessment))
    return found


def _association_confirms(
    session: Session, mission: Mission, checked: list[tuple[int, Assessment]]
) -> None:
    mission_id = persisted_id(mission.id)
    entries = queries.missions.hours_of(session, mission_id)
    waiting = sum(1 for e in entries if e.status is HoursStatus.SUBMITTED)
    if waiting:
        raise Conflict(f"review the {waiting} hours entries still waiting before confirming")
    if not any(e.status is HoursStatus.APPROVED for e in entries):
        raise Conflict("approve the volunteer's hours before confirming completion")
    queries.missions.replace_assessments(
        session,
        mission_id,
        [
            CompetenceAssessment(
                mission_id=mission_id,
                competence_id=competence_id,
                level=a.competence.level,
                level_before=a.level_before,
                comment=a.comment,
            )
            for competence_id, a in checked
        ],
    )
