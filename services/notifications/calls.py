"""The first call of a mission: a member of its association proposes one to three times, the
volunteer chooses one, and both sides are told, each with a calendar invitation in their own
time zone (api/mail/calendar.py).

Times are proposed once the mission is accepted (or under way), not while it is only
proposed: until both sides have said yes, a call would ask the volunteer for an hour of their
time on a mission that may never be, and the association's members for a call with someone
they have not accepted. A booked call is final: proposing other times would leave the first
invitation in both calendars, so the two sides agree on a change in the mission's
conversation instead; times proposed and not chosen yet are replaced by the new ones."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from sqlmodel import Session

from models import (
    Account,
    CallSlot,
    Conflict,
    InvalidData,
    Mission,
    MissionInitiator,
    MissionStatus,
    NotificationKind,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor
from services.notifications.outbox import tell_side

MAX_SLOTS = 3
MIN_MINUTES, MAX_MINUTES = 15, 180  # the table's CHECK
# A time more than a year ahead is a typing slip (2062 for 2026), not a first call.
HORIZON = timedelta(days=366)
DEFAULT_ZONE = "Europe/Paris"
ZONES = frozenset(available_timezones())
_UNDER_WAY = (MissionStatus.ACCEPTED, MissionStatus.IN_PROGRESS)

Reason = Literal["count", "minutes", "zone", "passed", "far", "gap", "twice"]
_WHY: dict[Reason, str] = {
    "count": f"propose 1 to {MAX_SLOTS} times",
    "minutes": f"a call lasts {MIN_MINUTES} to {MAX_MINUTES} minutes",
    "zone": "unknown time zone (use an IANA name such as Europe/Paris)",
    "passed": "this time has passed: propose a time to come",
    "far": "this time is more than a year ahead",
    "gap": "this time does not exist in its time zone (the clocks change then)",
    "twice": "the same time is proposed twice",
}


@dataclass(frozen=True)
class Refusal:
    """Why proposed times cannot be kept: the pages say it in the person's language, the API
    and the command line in the error's English."""

    reason: Reason
    index: int | None = None  # which slot, from 0, when it is one of them

    @property
    def field(self) -> str:
        if self.index is None:
            return "minutes" if self.reason == "minutes" else "slots"
        part = "timezone" if self.reason == "zone" else "starts_at"
        return f"slots.{self.index}.{part}"

    def error(self) -> InvalidData:
        return InvalidData(_WHY[self.reason], field=self.field)


@dataclass(frozen=True)
class Call:
    mission: Mission
    slots: list[CallSlot]  # earliest first; the chosen one among them once booked

    @property
    def chosen(self) -> CallSlot | None:
        return next((s for s in self.slots if s.chosen_at is not None), None)


def zone_of(session: Session, account: Account) -> str:
    """The time zone a person reads times in: their account's, else their volunteer
    profile's, else Paris."""
    if account.timezone in ZONES:
        return account.timezone
    profile = queries.profiles.find_profile_by_account(session, persisted_id(account.id))
    if profile is not None and profile.timezone in ZONES:
        return profile.timezone
    return DEFAULT_ZONE


def _instant(local: datetime, zone: str) -> datetime | Refusal:
    """A wall-clock time in a zone as an instant (UTC). A time given with its offset is read
    as that instant. A time the clocks skip (02:30 on the night summer time starts) is refused
    rather than moved: the person would be told another hour than they typed."""
    tz = ZoneInfo(zone)
    try:
        if local.tzinfo is not None:
            return local.astimezone(UTC)
        instant = local.replace(tzinfo=tz).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) != local:
            return Refusal("gap")
        return instant
    except OverflowError:  # year 1 or 9999 moved across midnight
        return Refusal("passed" if local.year < 2 else "far")


def instants(
    slots: Sequence[tuple[datetime, str]], minutes: int, now: datetime | None = None
) -> list[datetime] | Refusal:
    """Each time as an instant, or the first reason they cannot be proposed: one to three
    times, each to come within a year, in a known zone, none twice, lasting 15 minutes to
    3 hours."""
    if not 1 <= len(slots) <= MAX_SLOTS:
        return Refusal("count")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return Refusal("minutes")
    now = now or utcnow()
    found: list[datetime] = []
    for index, (local, zone) in enumerate(slots):
        if zone not in ZONES:
            return Refusal("zone", index)
        instant = _instant(local, zone)
        if isinstance(instant, Refusal):
            return Refusal(instant.reason, index)
        if instant <= now:
            return Refusal("passed", index)
        if instant > now + HORIZON:
            return Refusal("far", index)
        if instant in found:
            return Refusal("twice", index)
        found.append(instant)
    return found


def refusal(
    slots: Sequence[tuple[datetime, str]], minutes: int, now: datetime | None = None
) -> Refusal | None:
    """Why these times cannot be proposed, or None (the pages ask before proposing)."""
    found = instants(slots, minutes, now)
    return found if isinstance(found, Refusal) else None


def _under_way(mission: Mission, doing: str) -> None:
    if mission.status not in _UNDER_WAY:
        raise Conflict(
            f"cannot {doing}: the mission is {mission.status.value} (a first call is arranged "
            "once the mission is accepted, until it completes)"
        )


def call_of(session: Session, actor: Actor, mission_id: int) -> Call:
    """The times proposed for the mission's first call, and the one chosen, for those who
    may see the mission."""
    mission = workflow.visible_mission(session, actor, mission_id)
    return Call(mission, queries.notifications.slots_of(session, mission_id))


def booked(session: Session, actor: Actor, mission_id: int) -> CallSlot:
    """The mission's booked call (for its calendar file)."""
    found = call_of(session, actor, mission_id).chosen
    if found is None:
        raise Conflict("no first call is booked for this mission yet")
    return found


def propose(
    session: Session,
    actor: Actor,
    mission_id: int,
    slots: Sequence[tuple[datetime, str]],
    minutes: int = 45,
) -> list[CallSlot]:
    """A member of the mission's association proposes one to three times (each a wall-clock
    time and the IANA zone it is read in); they replace the times proposed before and not
    chosen, and the volunteer is told, in the same transaction.

    Raises:
        NotFound: the mission is not the actor's to see. NotAllowed: not a member of its
        association. Conflict: the mission is not under way, or its call is booked.
        InvalidData: the times (`field` names which, as slots.N.starts_at).
    """
    mission = workflow.visible_mission(session, actor, mission_id)
    actor.require_member(queries.profiles.get_need(session, mission.need_id).organisation_id)
    queries.notifications.lock_mission_calls(session, mission_id)
    session.refresh(mission)
    _under_way(mission, "propose times for a call")
    if queries.notifications.chosen_slot(session, mission_id) is not None:
        raise Conflict(
            "the first call is booked already: agree on another time in the mission's conversation"
        )
    starts = instants(slots, minutes)
    if isinstance(starts, Refusal):
        raise starts.error()
    queries.notifications.drop_open_slots(session, mission_id)
    rows = [
        CallSlot(
            mission_id=mission_id,
            starts_at=starts_at,
            minutes=minutes,
            timezone=zone,
            proposed_by_id=actor.account_id,
        )
        for starts_at, (_, zone) in zip(starts, slots, strict=True)
    ]
    session.add_all(rows)
    session.flush()
    tell_side(
        session,
        NotificationKind.CALL_PROPOSED,
        mission,
        MissionInitiator.VOLUNTEER,
        but=actor.account_id,
    )
    session.commit()
    return rows


def choose(session: Session, actor: Actor, mission_id: int, slot_id: int) -> CallSlot:
    """The volunteer chooses one of the times proposed: both sides are told (with the
    invitation), in the same transaction. Choosing the booked time again changes nothing.

    Raises:
        NotFound: the mission is not the actor's to see. NotAllowed: not its volunteer.
        Conflict: the mission is not under way, another time is booked, or this one has
        passed. InvalidData: no such time among those proposed (`slot_id`).
    """
    mission = workflow.visible_mission(session, actor, mission_id)
    actor.require_volunteer(mission.volunteer_id)
    queries.notifications.lock_mission_calls(session, mission_id)
    session.refresh(mission)
    _under_way(mission, "choose a time for the call")
    slot = queries.notifications.slot_of(session, mission_id, slot_id)
    if slot is None:
        raise InvalidData(
            f"no time {slot_id} was proposed for this mission's call", field="slot_id"
        )
    if slot.chosen_at is not None:
        return slot  # a second click, or a retry
    if queries.notifications.chosen_slot(session, mission_id) is not None:
        raise Conflict("another time is booked already for this first call")
    now = utcnow()
    if slot.starts_at <= now:
        raise Conflict("this time has passed: ask the association for other times")
    slot.chosen_at = now
    session.flush()
    kind = NotificationKind.CALL_BOOKED
    tell_side(session, kind, mission, MissionInitiator.VOLUNTEER, slot_id=slot_id)
    tell_side(
        session, kind, mission, MissionInitiator.ASSOCIATION, but=actor.account_id, slot_id=slot_id
    )
    session.commit()
    return slot
