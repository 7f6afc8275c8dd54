"""The worker (`probono worker`): sends the emails the outbox holds
(services/notifications/delivery.py) and keeps the answer deadlines
(services/notifications/deadlines.py), until it is stopped."""

import logging
import signal
import threading
import time
from email.message import EmailMessage

from sqlalchemy import Engine
from sqlmodel import Session

from api.mail import transport as transports
from api.mail.compose import compose
from config import Settings
from models import Account, Notification, utcnow, writer
from services.notifications import deadlines, delivery
from services.notifications.delivery import Counts

log = logging.getLogger(__name__)
_SWEEP_SECONDS = 60  # how often the deadlines are looked at


def deliver_due(
    engine: Engine,
    settings: Settings,
    transport: delivery.Transport,
    *,
    stop: threading.Event | None = None,
) -> Counts:
    """Sends every email due now, written by this layer's templates."""

    def write(session: Session, notification: Notification, account: Account) -> EmailMessage:
        return compose(session, settings, notification, account)

    return delivery.deliver_due(engine, settings, transport, write, stop=stop)


def run(engine: Engine, settings: Settings, *, once: bool) -> Counts:
    """`probono worker`: deliver what is due and keep the deadlines, then wait and again, until
    SIGTERM or SIGINT (the message in hand is finished first); `once` stops when nothing is
    due."""
    stop = threading.Event()
    if not once:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    transport = transports.transport_for(settings)
    total = Counts()
    last_sweep = 0.0
    log.info("worker %s delivering to %s", delivery.worker_name(), transport.where)
    with delivery.single_on_sqlite(engine, settings):
        try:
            while not stop.is_set():
                if time.monotonic() - last_sweep >= _SWEEP_SECONDS or once:
                    with Session(writer(engine)) as session:
                        deadlines.sweep(session, settings, utcnow())
                    last_sweep = time.monotonic()
                counts = deliver_due(engine, settings, transport, stop=stop)
                for name in ("sent", "retried", "failed", "unconfirmed"):
                    setattr(total, name, getattr(total, name) + getattr(counts, name))
                if once:
                    break
                if not counts.handled:
                    stop.wait(settings.worker_poll_seconds)
        finally:
            transport.close()
    return total
