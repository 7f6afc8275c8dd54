"""Each person's choice of what they are told and how, and the one-click unsubscribe link of
every email (RFC 8058): a token that names the person and the kind, signed with the
platform's secret, so that the link works without signing in and cannot be made for
someone else."""

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from config import Settings
from models import Channel, InvalidData, NotFound, NotificationKind, queries
from services.notifications.outbox import CHOOSABLE, REQUIRED


def _mac(settings: Settings, payload: str) -> str:
    key = settings.secret("secret_key").get_secret_value().encode()
    digest = hmac.new(key, b"unsubscribe:" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def unsubscribe_token(settings: Settings, account_id: int, kind: NotificationKind) -> str:
    payload = f"{account_id}.{kind.value}"
    return f"{payload}.{_mac(settings, payload)}"


def _read(settings: Settings, token: str) -> tuple[int, NotificationKind]:
    account, _, rest = token.partition(".")
    kind, _, mac = rest.partition(".")
    payload = f"{account}.{kind}"
    if not (
        account.isdigit()
        and kind in set(NotificationKind)
        and hmac.compare_digest(mac, _mac(settings, payload))
    ):
        raise NotFound("this unsubscribe link is not valid: open your notification settings")
    return int(account), NotificationKind(kind)


@dataclass(frozen=True)
class Subscription:
    """What an unsubscribe link names, and where it stands."""

    kind: NotificationKind
    required: bool  # a kind a mission cannot do without: it cannot be stopped
    stopped: bool  # no email of this kind goes to the person any more


def subscription(session: Session, settings: Settings, token: str) -> Subscription:
    """Raises:
    NotFound: the link is not one we signed (or its account is gone)."""
    account_id, kind = _read(settings, token)
    account = queries.organisations.account_by_id(session, account_id)
    if account is None or not account.is_active:
        raise NotFound("this unsubscribe link is not valid: open your notification settings")
    if kind is NotificationKind.DIGEST:
        stopped = not account.weekly_digest
    else:
        chosen = queries.notifications.preferences(session, account_id).get(kind, Channel.EMAIL)
        stopped = kind not in REQUIRED and chosen is not Channel.EMAIL
    return Subscription(kind, kind in REQUIRED, stopped)


def unsubscribe(session: Session, settings: Settings, token: str) -> Subscription:
    """Stops the emails of the link's kind (shown in the person's space only from then on).
    A kind a mission cannot do without is not stopped: the page says so and offers the
    others. Idempotent."""
    found = subscription(session, settings, token)
    account_id, kind = _read(settings, token)
    if kind is NotificationKind.DIGEST:
        account = queries.organisations.account_by_id(session, account_id)
        assert account is not None  # read above
        account.weekly_digest = False
        session.add(account)
    elif not found.required:
        queries.notifications.set_preference(session, account_id, kind, Channel.IN_APP)
    session.commit()
    return Subscription(kind, found.required, not found.required)


def choices(session: Session, account_id: int) -> dict[NotificationKind, Channel]:
    chosen = queries.notifications.preferences(session, account_id)
    return {kind: chosen.get(kind, Channel.EMAIL) for kind in CHOOSABLE}


def choose(
    session: Session, account_id: int, wanted: Mapping[str, str], *, weekly_digest: bool
) -> None:
    """Saves the person's choices: a channel for each kind they chose for (the others keep
    theirs)."""
    for kind in CHOOSABLE:
        if kind.value not in wanted:
            continue
        value = wanted[kind.value]
        if value not in set(Channel):
            raise InvalidData(f"choose email, in-app or none for {kind.value}", field=kind.value)
        queries.notifications.set_preference(session, account_id, kind, Channel(value))
    account = queries.organisations.account_by_id(session, account_id)
    if account is None:
        raise NotFound("no such account")
    account.weekly_digest = weekly_digest
    session.add(account)
    session.commit()


def clear_bounce(session: Session, account_id: int) -> None:
    """The person says their address works again (fixed, or changed): emails are tried."""
    account = queries.organisations.account_by_id(session, account_id)
    if account is None:
        raise NotFound("no such account")
    account.bounced_at, account.bounce_detail = None, None
    session.add(account)
    session.commit()
