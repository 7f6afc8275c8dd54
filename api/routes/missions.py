"""Missions: apply or propose, accept or decline, start, log and review hours, confirm
completion (which issues the credential), and the conversation of its two sides. Every route
acts for the token's account."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import ActorDep, Id, Limit, Offset, SessionDep, SettingsDep
from api.mail import calendar
from api.routes.credentials import credential_read
from api.schemas import (
    CallChoiceIn,
    CallRead,
    CallSlotRead,
    CallSlotsIn,
    CompletionIn,
    CredentialRead,
    HoursCreate,
    HoursRead,
    MessageIn,
    MessageRead,
    MissionCreate,
    MissionEnd,
    MissionRead,
)
from models import CallSlot, MissionStatus, persisted_id, queries
from services import workflow
from services.notifications import calls, conversation

router = APIRouter(prefix="/missions", tags=["missions"])


def _read(mission: object) -> MissionRead:
    return MissionRead.model_validate(mission, from_attributes=True)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_mission(body: MissionCreate, session: SessionDep, actor: ActorDep) -> MissionRead:
    """A volunteer applies to a need, or a member of its association proposes it to a
    volunteer. Sending it again returns the same live mission."""
    return _read(workflow.propose(session, actor, body.need_id, body.volunteer_id))


@router.get("")
def list_missions(
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[
        MissionStatus | None, Query(description="only missions in this state")
    ] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[MissionRead]:
    """The caller's missions: as the volunteer, and those of the associations they act for."""
    found = queries.missions.missions_of(
        session,
        volunteer_id=actor.profile_id,
        organisation_ids=sorted(actor.associations),
        status=status,
        limit=limit,
        offset=offset,
    )
    return [_read(m) for m in found]


@router.get("/{mission_id}")
def get_mission(mission_id: Id, session: SessionDep, actor: ActorDep) -> MissionRead:
    """One of the caller's missions."""
    return _read(workflow.visible_mission(session, actor, mission_id))


@router.post("/{mission_id}/accept")
def accept_mission(mission_id: Id, session: SessionDep, actor: ActorDep) -> MissionRead:
    """The other side accepts the proposal; once both have, the mission is accepted."""
    return _read(workflow.accept(session, actor, mission_id))


@router.post("/{mission_id}/decline")
def decline_mission(
    mission_id: Id, body: MissionEnd, session: SessionDep, actor: ActorDep
) -> MissionRead:
    """The side that was asked declines, with a reason."""
    return _read(workflow.end(session, actor, mission_id, body.reason, body.note, decline=True))


@router.post("/{mission_id}/cancel")
def cancel_mission(
    mission_id: Id, body: MissionEnd, session: SessionDep, actor: ActorDep
) -> MissionRead:
    """Either side cancels a mission that has not completed, with a reason."""
    return _read(workflow.end(session, actor, mission_id, body.reason, body.note, decline=False))


@router.post("/{mission_id}/start")
def start_mission(mission_id: Id, session: SessionDep, actor: ActorDep) -> MissionRead:
    """Either side starts an accepted mission."""
    return _read(workflow.start(session, actor, mission_id))


@router.get("/{mission_id}/hours")
def list_hours(mission_id: Id, session: SessionDep, actor: ActorDep) -> list[HoursRead]:
    """The hours logged on the mission, with their review."""
    workflow.visible_mission(session, actor, mission_id)
    return [
        HoursRead.model_validate(h, from_attributes=True)
        for h in queries.missions.hours_of(session, mission_id)
    ]


@router.post("/{mission_id}/hours", status_code=status.HTTP_201_CREATED)
def log_hours(mission_id: Id, body: HoursCreate, session: SessionDep, actor: ActorDep) -> HoursRead:
    """The volunteer logs the hours of one day of work."""
    entry = workflow.log_hours(
        session, actor, mission_id, body.work_date, body.hours, body.description
    )
    return HoursRead.model_validate(entry, from_attributes=True)


@router.post("/{mission_id}/hours/{hours_id}/approve")
def approve_hours(mission_id: Id, hours_id: Id, session: SessionDep, actor: ActorDep) -> HoursRead:
    """The association approves logged hours."""
    entry = workflow.review_hours(session, actor, mission_id, hours_id, approve=True)
    return HoursRead.model_validate(entry, from_attributes=True)


@router.post("/{mission_id}/hours/{hours_id}/reject")
def reject_hours(mission_id: Id, hours_id: Id, session: SessionDep, actor: ActorDep) -> HoursRead:
    """The association rejects logged hours."""
    entry = workflow.review_hours(session, actor, mission_id, hours_id, approve=False)
    return HoursRead.model_validate(entry, from_attributes=True)


@router.post("/{mission_id}/complete")
def confirm_completion(
    mission_id: Id,
    body: CompletionIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: ActorDep,
) -> MissionRead:
    """One side confirms the mission is done (the association with its assessment of each
    competence exercised); when both have, the credential is issued, exactly once."""
    done = workflow.confirm_completion(
        session,
        settings,
        actor,
        mission_id,
        [workflow.Assessment(a.competence, a.level_before, a.comment) for a in body.assessments],
    )
    return _read(done.mission)


@router.get("/{mission_id}/credential")
def mission_credential(
    mission_id: Id, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> CredentialRead:
    """The credential of a completed mission, with the links to each of its forms."""
    return credential_read(session, settings, workflow.credential_of(session, actor, mission_id))


@router.get("/{mission_id}/messages")
def list_messages(mission_id: Id, session: SessionDep, actor: ActorDep) -> list[MessageRead]:
    """The mission's conversation between its volunteer and its association, oldest first."""
    return [
        MessageRead.model_validate(said, from_attributes=True)
        for said in conversation.messages(session, actor, mission_id)
    ]


@router.post("/{mission_id}/messages", status_code=status.HTTP_201_CREATED)
def post_message(
    mission_id: Id, body: MessageIn, session: SessionDep, actor: ActorDep
) -> MessageRead:
    """The volunteer or a member of the association writes to the other side, who is told
    (by email, if they chose so: the email quotes the message, and replies are written here)."""
    message = conversation.post(session, actor, mission_id, body.body)
    return MessageRead.model_validate(
        conversation.shown(message, actor.display_name, actor), from_attributes=True
    )


def _slot_read(slot: CallSlot) -> CallSlotRead:
    return CallSlotRead(
        id=persisted_id(slot.id),
        starts_at=slot.starts_at,
        ends_at=slot.starts_at + timedelta(minutes=slot.minutes),
        minutes=slot.minutes,
        timezone=slot.timezone,
        chosen_at=slot.chosen_at,
    )


def _call_read(mission_id: int, slots: list[CallSlot]) -> CallRead:
    chosen = next((s for s in slots if s.chosen_at is not None), None)
    return CallRead(
        mission_id=mission_id,
        slots=[_slot_read(s) for s in slots],
        chosen=None if chosen is None else _slot_read(chosen),
    )


@router.get("/{mission_id}/call")
def get_call(mission_id: Id, session: SessionDep, actor: ActorDep) -> CallRead:
    """The times proposed for the mission's first call, and the one its volunteer chose."""
    return _call_read(mission_id, calls.call_of(session, actor, mission_id).slots)


@router.post("/{mission_id}/call/slots", status_code=status.HTTP_201_CREATED)
def propose_call(
    mission_id: Id, body: CallSlotsIn, session: SessionDep, actor: ActorDep
) -> CallRead:
    """A member of the association proposes one to three times for a first call, once the
    mission is accepted; they replace the times proposed before (not once one is booked)."""
    slots = [(slot.starts_at, slot.timezone) for slot in body.slots]
    return _call_read(mission_id, calls.propose(session, actor, mission_id, slots, body.minutes))


@router.post("/{mission_id}/call/choice")
def choose_call(
    mission_id: Id, body: CallChoiceIn, session: SessionDep, actor: ActorDep
) -> CallSlotRead:
    """The volunteer chooses one of the times: both sides receive the calendar invitation.
    Choosing the booked time again changes nothing."""
    return _slot_read(calls.choose(session, actor, mission_id, body.slot_id))


@router.get(
    "/{mission_id}/call.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "an iCalendar file"}},
)
def call_calendar(
    mission_id: Id, session: SessionDep, settings: SettingsDep, actor: ActorDep
) -> Response:
    """The booked call as a calendar file, in the caller's time zone and language."""
    slot = calls.booked(session, actor, mission_id)
    account = queries.organisations.get_account(session, actor.email)
    return Response(
        calendar.invitation(session, settings, slot, account, method="PUBLISH"),
        media_type=calendar.DOWNLOAD_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{calendar.FILENAME}"'},
    )
