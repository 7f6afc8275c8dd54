"""What the platform tells people (the transactional outbox of notifications, each email's
delivery attempts, each person's choices), the conversation of each mission and the slots of
its first call."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import Channel, DeliveryState, MissionInitiator, NotificationKind
from models.types import AwareDateTime, JSONDocument, enum_type, utcnow

# The longest message of a conversation, in characters: a page of text.
MESSAGE_LENGTH = 4000


class Notification(SQLModel, table=True):
    """One thing one person is told. Written in the transaction of the event that causes it,
    so that an event is never without its notification, nor a notification without its
    event; the worker (`probono worker`) sends the emails among them."""

    __table_args__ = (
        sa.Index("ix_notification_state_due_at", "state", "due_at"),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.CheckConstraint("(state = 'sent') = (sent_at IS NOT NULL)", name="sent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE", index=True)
    kind: NotificationKind = Field(sa_type=enum_type(NotificationKind, "kind"))
    # The ids the message names (mission, need, credential…) and the words it quotes (a
    # reason, a message's first lines), read again when it is written out.
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSONDocument)
    mission_id: int | None = Field(
        default=None, foreign_key="mission.id", ondelete="CASCADE", index=True
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    state: DeliveryState = Field(
        default=DeliveryState.PENDING, sa_type=enum_type(DeliveryState, "state")
    )
    due_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # Handed to the mail server by a worker that stopped before its answer: counted as sent
    # (sending it again could deliver it twice).
    unconfirmed: bool = False
    # The same Message-ID at every try, so that a copy sent twice is recognisable as one.
    message_id: str = Field(max_length=200, unique=True)
    read_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class DeliveryAttempt(SQLModel, table=True):
    """One try of a worker at sending one notification's email: a journal written apart from
    the notification (which the worker holds locked), so that the next worker knows whether
    the message had already been handed to the mail server when the last one stopped."""

    __tablename__ = "delivery_attempt"

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notification.id", ondelete="CASCADE", index=True)
    worker: str = Field(max_length=120)
    started_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    handed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    outcome: str | None = Field(default=None, max_length=20)
    detail: str | None = Field(default=None, sa_type=sa.Text)


class NotificationPreference(SQLModel, table=True):
    """A person's choice for one kind of notification; without one, email."""

    __tablename__ = "notification_preference"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    kind: NotificationKind = Field(primary_key=True, sa_type=enum_type(NotificationKind, "kind"))
    channel: Channel = Field(sa_type=enum_type(Channel, "channel"))


class MissionMessage(SQLModel, table=True):
    """A message between the volunteer and the association's members, kept with the mission.
    The author of an erased account is gone (a former member); the side stays."""

    __tablename__ = "mission_message"
    __table_args__ = (
        sa.CheckConstraint(f"length(body) > 0 AND length(body) <= {MESSAGE_LENGTH}", name="body"),
    )

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE", index=True)
    author_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    side: MissionInitiator = Field(sa_type=enum_type(MissionInitiator, "side"))
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class CallSlot(SQLModel, table=True):
    """A time the association proposes for a first call; the volunteer chooses one."""

    __tablename__ = "call_slot"
    __table_args__ = (
        sa.CheckConstraint("minutes >= 15 AND minutes <= 180", name="minutes"),
        # One chosen slot per mission.
        sa.Index(
            "uq_call_slot_chosen",
            "mission_id",
            unique=True,
            sqlite_where=sa.text("chosen_at IS NOT NULL"),
            postgresql_where=sa.text("chosen_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", ondelete="CASCADE", index=True)
    starts_at: datetime = Field(sa_type=AwareDateTime)
    minutes: int = 45
    timezone: str = Field(max_length=64)  # the zone it was proposed in (IANA name)
    proposed_by_id: int | None = Field(default=None, foreign_key="account.id", ondelete="SET NULL")
    proposed_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    chosen_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
