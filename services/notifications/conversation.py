"""The conversation of a mission: its volunteer and its association's members write to each
other on the mission's page (or through the API), from the first application on and whatever
the mission's state. Each message tells the other side, by email if they chose so; the email
quotes the message's first lines and sends the person back to the site to reply, so nobody's
address is ever shown to the other side.

Messages stay with the mission: an erased account's messages stay, without their author (a
former member), so that the other side's conversation still reads right."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from models import (
    MESSAGE_LENGTH,
    InvalidData,
    Mission,
    MissionInitiator,
    MissionMessage,
    NotificationKind,
    persisted_id,
    queries,
)
from services.actors import Actor
from services.errors import NotAllowed
from services.notifications.outbox import other_side, tell_side
from services.workflow import visible_mission

# How much of a message its email quotes: enough to answer "when can we call?" without
# opening the site, not the whole page of text.
EXCERPT = 300


@dataclass(frozen=True)
class Said:
    """One message as a page or the API shows it to one viewer."""

    id: int
    mission_id: int
    side: MissionInitiator
    author: str | None  # None: the author's account was erased (a former member)
    body: str
    created_at: datetime
    own: bool  # written by the viewer


def _side(session: Session, mission: Mission, actor: Actor) -> MissionInitiator:
    """The side the actor writes for (the volunteer's, if both): admins read, they are not
    a party to the mission."""
    if actor.profile_id == mission.volunteer_id:
        return MissionInitiator.VOLUNTEER
    if queries.profiles.get_need(session, mission.need_id).organisation_id in actor.associations:
        return MissionInitiator.ASSOCIATION
    raise NotAllowed("only the mission's volunteer and its association's members write in it")


def _checked(body: str) -> str:
    # A browser sends a textarea's line breaks as CRLF but counts them as one character
    # (maxlength): count them as the person saw them.
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidData("write a message: it is empty", field="body")
    if len(text) > MESSAGE_LENGTH:
        raise InvalidData(
            f"a message holds {MESSAGE_LENGTH} characters at most; this one has {len(text)}",
            field="body",
        )
    return text


def excerpt(text: str) -> str:
    """The message's first lines, cut at a word when it is long."""
    if len(text) <= EXCERPT:
        return text
    cut = text[:EXCERPT]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > EXCERPT // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def post(session: Session, actor: Actor, mission_id: int, body: str) -> MissionMessage:
    """The actor writes on the mission's conversation; the other side is told, in the same
    transaction (the author is never told of their own message).

    Raises:
        NotFound: the mission does not exist or is not the actor's (nor an admin's).
        NotAllowed: an admin who is not a party to the mission.
        InvalidData: an empty message, or one longer than MESSAGE_LENGTH (field "body")."""
    mission = visible_mission(session, actor, mission_id)
    side = _side(session, mission, actor)
    message = MissionMessage(
        mission_id=persisted_id(mission.id),
        author_id=actor.account_id,
        side=side,
        body=_checked(body),
    )
    session.add(message)
    session.flush()
    tell_side(
        session,
        NotificationKind.MESSAGE,
        mission,
        other_side(side),
        but=actor.account_id,
        excerpt=excerpt(message.body),
    )
    session.commit()
    return message


def shown(message: MissionMessage, author: str | None, viewer: Actor) -> Said:
    return Said(
        id=persisted_id(message.id),
        mission_id=message.mission_id,
        side=message.side,
        author=author,
        body=message.body,
        created_at=message.created_at,
        own=message.author_id is not None and message.author_id == viewer.account_id,
    )


def messages(session: Session, actor: Actor, mission_id: int) -> list[Said]:
    """The mission's conversation, oldest first, for its volunteer, its association's
    members and admins; anyone else is told the mission does not exist."""
    visible_mission(session, actor, mission_id)
    return [
        shown(message, account.display_name if account and account.is_active else None, actor)
        for message, account in queries.notifications.conversation(session, mission_id)
    ]
