"""Delivering the outbox's emails, one at a time, so that none is lost and none is sent twice.

Each email is claimed with a row lock for as long as it is being sent: on PostgreSQL other
workers skip it (SKIP LOCKED) and a worker that dies releases it with its connection; on
SQLite one worker runs at a time (a file lock), which is enough for the embedded default.
Each try is journalled apart from the notification (DeliveryAttempt), and the moment the
message's end leaves for the server is committed before it leaves: after a crash, a message
whose end had not left is sent again, with the same Message-ID (a server keeps no message
whose end it did not receive); one whose end may have left is counted as sent, marked
unconfirmed for a platform admin to see, and never sent twice. That moment, between the end
of the data and the server's answer, is the one SMTP cannot settle (RFC 5321 §4.1.1.4,
RFC 1047): a server that kept the message has it once; one that dropped it as the connection
closed does not have it, and the admin page shows it.

A try the server could not take waits longer each time (exponential backoff with jitter);
after `mail_max_attempts` the message is a dead letter a platform admin sees. An address the
server refuses for good is recorded on its account and shown to its owner.

The message itself is written by the caller (`write`) and handed over by a transport (SMTP
or files): both are the outer layer's (api/mail)."""

import fcntl
import logging
import os
import random
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol, TextIO

from sqlalchemy import Engine
from sqlmodel import Session

from config import Settings
from errors import ProbonoError
from models import (
    Account,
    DeliveryAttempt,
    DeliveryState,
    NotFound,
    Notification,
    persisted_id,
    queries,
    utcnow,
    writer,
)

log = logging.getLogger(__name__)
_LONGEST_WAIT = timedelta(days=1)
Handing = Callable[[], None]
Write = Callable[[Session, Notification, Account], EmailMessage]


class TemporaryFailure(Exception):
    """The server could not take the message now (4xx, down, timed out): try again later."""

    def __init__(self, detail: str, *, answered: bool) -> None:
        super().__init__(detail)
        self.answered = answered  # the server said so; else the connection failed or hung


class Refused(Exception):
    """The server refused the message for good (5xx)."""

    def __init__(self, detail: str, *, address: bool) -> None:
        super().__init__(detail)
        self.address = address  # the recipient's address itself was refused (a bounce)


class Transport(Protocol):
    """Hands a message over, calling `handing()` at the last moment before the end of its
    data leaves (the worker records it first)."""

    def send(self, message: EmailMessage, handing: Handing) -> None: ...

    def close(self) -> None: ...

    @property
    def where(self) -> str: ...


class WorkerBusy(ProbonoError):
    """Another worker already runs on this SQLite database."""


@dataclass
class Counts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unconfirmed: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.unconfirmed


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def single_on_sqlite(engine: Engine, settings: Settings) -> Iterator[None]:
    """On SQLite, a lock file under var/ keeps to one worker (released if it dies)."""
    if engine.dialect.name != "sqlite":
        yield
        return
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    path = settings.var_dir / "worker.lock"
    handle: TextIO = path.open("w")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WorkerBusy(
                f"another worker is running on this SQLite database (it holds {path}): one is "
                "enough; stop it first"
            ) from None
        yield
    finally:
        handle.close()


def _backoff(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.mail_retry_seconds * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds * random.uniform(0.8, 1.2)), _LONGEST_WAIT)


def deliver_due(
    engine: Engine,
    settings: Settings,
    transport: Transport,
    write: Write,
    *,
    name: str | None = None,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> Counts:
    """Sends every email due now, one at a time; returns what happened."""
    counts = Counts()
    name = name or worker_name()
    while stop is None or not stop.is_set():
        if not _deliver_one(engine, settings, transport, write, name, now or utcnow(), counts):
            break
    return counts


def _deliver_one(
    engine: Engine,
    settings: Settings,
    transport: Transport,
    write: Write,
    name: str,
    now: datetime,
    counts: Counts,
) -> bool:
    # Three sessions, none expiring what it read at a commit (a reload would open a
    # transaction that holds SQLite's write lock): `lock` holds the notification until its
    # outcome commits, `journal` commits each step of the try at once, `reader` writes the
    # message out.
    writes = writer(engine)
    with (
        Session(writes, expire_on_commit=False) as lock,
        Session(writes, expire_on_commit=False) as journal,
        Session(engine, expire_on_commit=False) as reader,
    ):
        notification = queries.notifications.claim_due(lock, now)
        if notification is None:
            return False
        notification_id = persisted_id(notification.id)
        if engine.dialect.name == "sqlite":
            lock.commit()  # the file lock keeps others out; the journal needs the write lock
        previous = queries.notifications.attempts_of(journal, notification_id)
        stopped = [a for a in previous if a.finished_at is None]
        for attempt in stopped:  # tries of a worker that died
            attempt.finished_at, attempt.outcome = now, "stopped"
            journal.add(attempt)
        journal.commit()
        if any(a.handed_at is not None for a in stopped):
            _finish(lock, notification, None, state=DeliveryState.SENT, unconfirmed=True)
            counts.unconfirmed += 1
            return True
        # A message whose tries keep stopping the worker (one that crashes it) is a dead
        # letter too, rather than a worker stopped forever.
        notification.attempts += len(stopped)
        if notification.attempts >= settings.mail_max_attempts:
            error = f"tried {notification.attempts} times; the worker stopped during the last"
            _finish(lock, notification, None, state=DeliveryState.FAILED, error=error)
            counts.failed += 1
            return True
        account = reader.get(Account, notification.account_id)
        assert account is not None  # the notification goes with its account
        if account.bounced_at is not None:
            _finish(
                lock, notification, None, state=DeliveryState.FAILED, error=account.bounce_detail
            )
            counts.failed += 1
            return True
        attempt = DeliveryAttempt(notification_id=notification_id, worker=name)
        journal.add(attempt)
        journal.commit()
        message = write(reader, notification, account)
        reader.rollback()  # ends its read before the sending starts

        def handing() -> None:
            attempt.handed_at = utcnow()
            journal.add(attempt)
            journal.commit()

        _send(lock, settings, transport, notification, message, (attempt, handing), now, counts)
        return True


def _send(
    lock: Session,
    settings: Settings,
    transport: Transport,
    notification: Notification,
    message: EmailMessage,
    journal: tuple[DeliveryAttempt, Handing],
    now: datetime,
    counts: Counts,
) -> None:
    """One try; a retry is due after the run's own moment (`now`), so a run never tries one
    message twice."""
    attempt, handing = journal
    tried = notification.attempts + 1
    try:
        transport.send(message, handing)
    except TemporaryFailure as exc:
        if attempt.handed_at is not None and not exc.answered:  # it may be there
            _finish(
                lock,
                notification,
                attempt,
                state=DeliveryState.SENT,
                unconfirmed=True,
                error=str(exc),
            )
            counts.unconfirmed += 1
            return
        dead = tried >= settings.mail_max_attempts
        _finish(
            lock,
            notification,
            attempt,
            state=DeliveryState.FAILED if dead else DeliveryState.PENDING,
            error=str(exc),
            due=max(now, utcnow()) + _backoff(settings, tried),
        )
        counts.failed += dead
        counts.retried += not dead
        log.warning("email %s not sent (try %d): %s", notification.id, tried, exc)
        return
    except Refused as exc:
        if exc.address:
            account = lock.get(Account, notification.account_id)
            assert account is not None
            account.bounced_at, account.bounce_detail = utcnow(), str(exc)[:500]
            lock.add(account)
        _finish(lock, notification, attempt, state=DeliveryState.FAILED, error=str(exc))
        counts.failed += 1
        log.warning("email %s refused for good: %s", notification.id, exc)
        return
    _finish(lock, notification, attempt, state=DeliveryState.SENT)
    counts.sent += 1


def _finish(
    lock: Session,
    notification: Notification,
    attempt: DeliveryAttempt | None,
    *,
    state: DeliveryState,
    unconfirmed: bool = False,
    error: str | None = None,
    due: datetime | None = None,
) -> None:
    """The try's outcome and the notification's new state, in one transaction (the one that
    holds the notification's lock)."""
    now = utcnow()
    if attempt is not None:
        row = lock.get(DeliveryAttempt, persisted_id(attempt.id))
        assert row is not None
        row.finished_at, row.outcome, row.detail = now, state.value, error
        lock.add(row)
        notification.attempts += 1
    notification.state, notification.unconfirmed = state, unconfirmed
    notification.last_error = error
    notification.sent_at = now if state is DeliveryState.SENT else None
    if due is not None:
        notification.due_at = due
    lock.add(notification)
    lock.commit()


def retry(session: Session, notification_id: int) -> None:
    """A platform admin sends a dead letter again (after fixing the server, or the person
    their mailbox): an address refused before is tried again too."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.state is not DeliveryState.FAILED:
        raise NotFound(f"no failed email {notification_id}")
    account = session.get(Account, notification.account_id)
    if account is not None and account.bounced_at is not None:
        account.bounced_at = account.bounce_detail = None
        session.add(account)
    notification.state, notification.due_at, notification.attempts = (
        DeliveryState.PENDING,
        utcnow(),
        0,
    )
    session.add(notification)
    session.commit()
