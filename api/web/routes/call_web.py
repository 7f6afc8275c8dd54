"""The first call on a mission's page (the section `#call`, templates/call.html): the
association proposes one to three times, the volunteer reads them in their own time zone and
language and chooses one, and both download the calendar file of the booked call."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import Id, SessionDep, settings_of
from api.mail import calendar
from api.web import i18n, security
from api.web.deps import ViewerDep
from api.web.forms import read_form
from api.web.i18n import _
from api.web.pages import redirect
from models import (
    MAX_ID,
    Account,
    CallSlot,
    DataError,
    Mission,
    MissionStatus,
    NotFound,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor
from services.errors import AccessError
from services.notifications import calls

router = APIRouter(include_in_schema=False)

FIELDS = ("call_1", "call_2", "call_3")
DURATIONS = (15, 30, 45, 60, 90, 120)
# The zones the form offers, besides the person's own: France and its overseas, the
# French-speaking world, and Europe's neighbours.
ZONES = (
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Luxembourg",
    "Europe/Zurich",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Berlin",
    "Europe/Rome",
    "Europe/Athens",
    "Africa/Casablanca",
    "Africa/Algiers",
    "Africa/Tunis",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Africa/Kinshasa",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Guadeloupe",
    "America/Martinique",
    "America/Cayenne",
    "America/Toronto",
    "Pacific/Noumea",
    "Pacific/Tahiti",
)


@dataclass(frozen=True)
class Slot:
    id: int
    text: str  # in the reader's zone and language
    minutes: int
    passed: bool
    theirs: str = ""  # the same time in the volunteer's zone, when it is another


@dataclass(frozen=True)
class CallSection:
    shown: bool
    under_way: bool  # accepted or in progress: a call can be arranged
    slots: list[Slot]  # proposed, not chosen
    chosen: Slot | None
    can_propose: bool
    can_choose: bool
    zone: str  # the reader's, the form's default
    zones: list[tuple[str, str]]  # (IANA name, as the language names it)
    durations: list[tuple[int, str]]


def _collated(zone: tuple[str, str]) -> str:
    """A name as a list sorts it: "États-Unis" among the E, not after the Z."""
    decomposed = unicodedata.normalize("NFKD", zone[1].casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _zones(own: str) -> list[tuple[str, str]]:
    """The person's zone first, then the others by their names in the language (two names
    of one place, such as Montréal's and Toronto's, shown once)."""
    named = sorted(((z, i18n.zone_name(z)) for z in ZONES if z != own), key=_collated)
    found: dict[str, str] = {}
    for zone, name in [(own, i18n.zone_name(own)), *named]:
        found.setdefault(name, zone)
    return [(zone, name) for name, zone in found.items()]


def _slot(slot: CallSlot, zone: str, theirs: str | None) -> Slot:
    return Slot(
        persisted_id(slot.id),
        i18n.moment(slot.starts_at, zone),
        slot.minutes,
        slot.starts_at <= utcnow(),
        i18n.moment(slot.starts_at, theirs) if theirs and theirs != zone else "",
    )


def section(session: Session, account: Account | None, mission: Mission, side: str) -> CallSection:
    """What the mission's page shows of its first call to this person (`side`: volunteer,
    association, or other for an admin reading it)."""
    zone = calls.zone_of(session, account) if account else calls.DEFAULT_ZONE
    theirs = None
    if side != "volunteer":
        profile = queries.profiles.get_profile(session, mission.volunteer_id)
        volunteer = queries.organisations.account_by_id(session, profile.account_id)
        theirs = calls.zone_of(session, volunteer) if volunteer else profile.timezone
    found = queries.notifications.slots_of(session, persisted_id(mission.id))
    chosen = next((s for s in found if s.chosen_at is not None), None)
    under_way = mission.status in (MissionStatus.ACCEPTED, MissionStatus.IN_PROGRESS)
    slots = [_slot(s, zone, theirs) for s in found if s.chosen_at is None]
    return CallSection(
        shown=chosen is not None or under_way or mission.status is MissionStatus.PROPOSED,
        under_way=under_way,
        slots=slots,
        chosen=None if chosen is None else _slot(chosen, zone, theirs),
        can_propose=side == "association" and under_way and chosen is None,
        can_choose=side == "volunteer" and under_way and chosen is None,
        zone=zone,
        zones=_zones(zone),
        durations=[(n, _("%(minutes)s minutes") % {"minutes": n}) for n in DURATIONS],
    )


def _in_space(
    session: Session, actor: Actor, mission_id: int, slug: str | None, *, reading: bool = False
) -> Mission:
    """The mission, from the space it is reached in: the volunteer's own (no slug), or its
    association's (admins may read there); anyone else is told it does not exist."""
    mission = workflow.visible_mission(session, actor, mission_id)
    if slug is None:
        if actor.profile_id == mission.volunteer_id:
            return mission
        raise NotFound(f"no mission {mission_id}")
    need = queries.profiles.get_need(session, mission.need_id)
    organisation = queries.organisations.organisation_by_id(session, need.organisation_id)
    member = need.organisation_id in actor.associations
    if organisation.slug == slug and (member or (reading and actor.is_admin)):
        return mission
    raise NotFound(f"no mission {mission_id}")


def _labels() -> dict[str, str]:
    return {"call_1": _("First time"), "call_2": _("Second time"), "call_3": _("Third time")}


def _why(refused: calls.Refusal, names: list[str]) -> tuple[str, str]:
    """The field at fault and what to do, in the page's language."""
    if refused.reason == "minutes":
        return "call_minutes", _("Choose how long the call lasts.")
    if refused.reason == "zone":
        return "call_zone", _("Choose a time zone from the list.")
    if refused.index is None:
        return FIELDS[0], _("Propose one to three times.")
    name = names[refused.index]
    label = _labels()[name]
    message = {
        "passed": _("%(label)s: this time has passed. Propose a time to come."),
        "far": _("%(label)s: this time is more than a year ahead. Check the year."),
        "gap": _(
            "%(label)s: this hour does not exist in the time zone chosen (the clocks change "
            "that night). Choose another hour."
        ),
        "twice": _("%(label)s: the same time is proposed twice."),
    }[refused.reason]
    return name, message % {"label": label}


def _typed_slots(values: dict[str, object]) -> tuple[list[tuple[str, datetime]], str | None]:
    """The times typed (each with its field's name), or the field that is not a time."""
    found = []
    for name in FIELDS:
        raw = str(values.get(name, "")).strip()
        if not raw:
            continue
        try:
            found.append((name, datetime.fromisoformat(raw).replace(tzinfo=None)))
        except ValueError:
            return found, name
    return found, None


def _refused_form(values: dict[str, object]) -> tuple[str, str] | None:
    """What is wrong with the form (the field and the reason), before the use-case is
    asked: its rules (calls.refusal), said in the page's language."""
    typed, unreadable = _typed_slots(values)
    if unreadable is not None:
        return unreadable, _("%(label)s: write a day and an hour.") % {
            "label": _labels()[unreadable]
        }
    if not typed:
        return FIELDS[0], _("Propose at least one time.")
    minutes = str(values.get("call_minutes", ""))
    zone = str(values.get("call_zone", ""))
    refused = calls.refusal(
        [(local, zone) for __, local in typed], int(minutes) if minutes.isdigit() else 0
    )
    return None if refused is None else _why(refused, [name for name, __ in typed])


@router.post("/org/{slug}/missions/{mission_id}/call/slots")
async def propose_times(
    slug: str, mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    _in_space(session, actor, mission_id, slug)
    back = f"/org/{slug}/missions/{mission_id}"
    kept = {k: str(form.values.get(k, "")) for k in (*FIELDS, "call_minutes", "call_zone")}
    refused = _refused_form(form.values)
    if refused is None:
        typed, _unreadable = _typed_slots(form.values)
        zone, minutes = kept["call_zone"], int(kept["call_minutes"])
        try:
            calls.propose(session, actor, mission_id, [(t, zone) for __, t in typed], minutes)
        except (DataError, AccessError):  # the times checked a moment ago, or the state
            session.rollback()
            refused = (
                FIELDS[0],
                _(
                    "Times can no longer be proposed: the call is booked, or the mission is no "
                    "longer under way. The page shows where it stands."
                ),
            )
    if refused is not None:
        query = urlencode(kept | {"call_field": refused[0]})
        return redirect(request, f"{back}?{query}#call", ("error", refused[1]))
    told = _("The times are proposed: the volunteer is told and chooses one.")
    return redirect(request, f"{back}#call", ("ok", told))


@router.post("/me/missions/{mission_id}/call/choice")
async def choose_time(
    mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    _in_space(session, actor, mission_id, None)
    back = f"/me/missions/{mission_id}?call_field=slot_id#call"
    slot_id = form.integer("slot_id", low=1, high=MAX_ID)
    if slot_id is None:
        return redirect(request, back, ("error", _("Choose one of the times.")))
    try:
        calls.choose(session, actor, mission_id, slot_id)
    except (DataError, AccessError):
        session.rollback()
        return redirect(
            request,
            back,
            (
                "error",
                _(
                    "That time can no longer be chosen: the call may be booked already, or "
                    "the time has passed. The page shows where it stands."
                ),
            ),
        )
    booked = _("Your first call is booked: you and the association receive the invitation.")
    return redirect(request, f"/me/missions/{mission_id}#call", ("ok", booked))


def _calendar(
    mission_id: int, slug: str | None, request: Request, session: Session, viewer: security.Viewer
) -> Response:
    actor = security.require(viewer, request)
    _in_space(session, actor, mission_id, slug, reading=True)
    slot = calls.booked(session, actor, mission_id)
    assert viewer.account is not None  # signed in: require() said so
    settings = settings_of(request)
    return Response(
        calendar.invitation(session, settings, slot, viewer.account, method="PUBLISH"),
        media_type=calendar.DOWNLOAD_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{calendar.FILENAME}"'},
    )


@router.get("/me/missions/{mission_id}/call.ics")
def volunteer_calendar(
    mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    return _calendar(mission_id, None, request, session, viewer)


@router.get("/org/{slug}/missions/{mission_id}/call.ics")
def association_calendar(
    slug: str, mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    return _calendar(mission_id, slug, request, session, viewer)
