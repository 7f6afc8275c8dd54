"""The outbox's delivery against a real SMTP server: retries with backoff, the dead letter,
an address refused for good, a server that cannot be reached, several workers at once on
PostgreSQL, one worker on SQLite, the files of the embedded default, and the one-click
unsubscribe."""

import ssl
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr
from sqlalchemy import Engine, update
from sqlmodel import Session, col

import models
from api.mail import transport as transports
from api.mail.compose import compose
from api.mail.worker import deliver_due
from config import Settings
from models import (
    Account,
    Channel,
    DeliveryAttempt,
    DeliveryState,
    MissionInitiator,
    Notification,
    NotificationKind,
    persisted_id,
    queries,
    utcnow,
)
from services import schema
from services.notifications import delivery, outbox, preferences
from tests.databases import fresh_database
from tests.factories import cast, mission_in_progress
from tests.mail.smtp import Recorder, free_port, html_of, smtp_server, text_of

K = NotificationKind


@pytest.fixture(scope="module")
def mail_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"mail-{backend}")) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine)
        yield engine
        engine.dispose()


def _quiet(session: Session) -> None:
    """What waits from earlier steps is not the test's: shown in the spaces only."""
    session.exec(
        update(Notification)
        .where(col(Notification.state) == DeliveryState.PENDING)
        .values(state=DeliveryState.IN_APP)
    )
    session.commit()


@pytest.fixture
def engine(mail_engine: Engine) -> Engine:
    with Session(mail_engine) as session:
        _quiet(session)
    return mail_engine


def _with(settings: Settings, url: str | None, **changes: object) -> Settings:
    smtp = SecretStr(url) if url else None
    return settings.model_copy(update={"smtp_url": smtp, **changes})


def _write(settings: Settings) -> delivery.Write:
    def write(session: Session, notification: Notification, account: Account) -> EmailMessage:
        return compose(session, settings, notification, account)

    return write


def _emails(engine: Engine, count: int = 1) -> list[int]:
    """A mission started, then `count` notifications of it to its association's member."""
    with Session(engine) as session:
        people = cast(session)
        mission = queries.missions.get_mission(session, mission_in_progress(session, people))
        _quiet(session)
        written = []
        for _ in range(count):
            written += outbox.tell_side(session, K.STARTED, mission, MissionInitiator.ASSOCIATION)
        session.commit()
        return [persisted_id(n.id) for n in written]


def _read(engine: Engine, ids: list[int]) -> list[Notification]:
    with Session(engine) as session:
        return [n for i in ids if (n := session.get(Notification, i)) is not None]


def test_a_busy_server_is_tried_again_later_then_given_up(
    engine: Engine, settings: Settings
) -> None:
    with smtp_server() as (server, url):
        config = _with(settings, url, mail_max_attempts=3, mail_retry_seconds=60)
        transport = transports.transport_for(config)
        ids = _emails(engine)
        server.busy = True
        counts = deliver_due(engine, config, transport)
        assert (counts.retried, counts.sent) == (1, 0)
        [n] = _read(engine, ids)
        assert n.state is DeliveryState.PENDING
        assert n.attempts == 1
        assert timedelta(seconds=40) < n.due_at - utcnow() < timedelta(seconds=80)
        assert "451" in (n.last_error or "")
        assert deliver_due(engine, config, transport).handled == 0  # not due yet

        later = utcnow() + timedelta(days=2)
        delivery.deliver_due(engine, config, transport, _write(config), now=later)
        [n] = _read(engine, ids)
        assert n.attempts == 2
        assert n.due_at - later > timedelta(seconds=90)  # doubled
        even_later = later + timedelta(days=2)
        delivery.deliver_due(engine, config, transport, _write(config), now=even_later)
        [n] = _read(engine, ids)
        assert n.state is DeliveryState.FAILED
        assert n.attempts == 3
        with Session(engine) as session:
            failed = queries.notifications.by_state(session, DeliveryState.FAILED)
            assert n.id in {f.id for f, _ in failed}
            delivery.retry(session, persisted_id(n.id))  # the platform admin sends it again
        server.busy = False
        assert deliver_due(engine, config, transport).sent == 1
        assert [m["Message-ID"] for m in server.messages] == [f"<{n.message_id}@probono.test>"]
        transport.close()


def test_an_address_refused_for_good_is_recorded_and_shown_to_its_owner(
    engine: Engine, settings: Settings
) -> None:
    with smtp_server() as (server, url):
        config = _with(settings, url)
        ids = _emails(engine)
        with Session(engine) as session:
            [n] = _read(engine, ids)
            account = session.get(Account, n.account_id)
            assert account is not None
            server.refused.add(account.email)
        transport = transports.transport_for(config)
        assert deliver_due(engine, config, transport).failed == 1
        transport.close()
        [n] = _read(engine, ids)
        assert n.state is DeliveryState.FAILED
        assert "550" in (n.last_error or "")
        with Session(engine) as session:
            account = session.get(Account, n.account_id)
            assert account is not None
            assert account.bounced_at is not None
            assert "550" in (account.bounce_detail or "")
            mission = queries.missions.get_mission(session, n.mission_id or 0)
            # What follows waits in their space: no email is tried to a refused address.
            [later] = outbox.tell_side(session, K.STARTED, mission, MissionInitiator.ASSOCIATION)
            assert later.state is DeliveryState.IN_APP
            preferences.clear_bounce(session, persisted_id(account.id))
            [again] = outbox.tell_side(session, K.STARTED, mission, MissionInitiator.ASSOCIATION)
            assert again.state is DeliveryState.PENDING
            session.commit()


def test_a_server_that_cannot_be_reached_fails_no_request_and_loses_nothing(
    engine: Engine, settings: Settings
) -> None:
    config = _with(settings, f"smtp://127.0.0.1:{free_port()}", smtp_timeout_seconds=2)
    ids = _emails(engine)  # the workflow's requests all went through
    transport = transports.transport_for(config)
    counts = deliver_due(engine, config, transport)
    assert counts.retried == 1
    [n] = _read(engine, ids)
    assert n.state is DeliveryState.PENDING
    assert n.last_error
    with smtp_server() as (server, url):  # the server is back
        config = _with(settings, url)
        later = utcnow() + timedelta(hours=1)
        delivery.deliver_due(
            engine, config, transports.transport_for(config), _write(config), now=later
        )
        assert len(server.messages) == 1


def test_several_workers_never_send_one_email_twice(
    engine: Engine, settings: Settings, backend: str
) -> None:
    """Three workers at once on PostgreSQL share the emails (SKIP LOCKED); on SQLite a
    second worker is told to stop (one is enough)."""
    with smtp_server() as (server, url):
        config = _with(settings, url)
        if backend == "sqlite":
            with (
                delivery.single_on_sqlite(engine, config),
                pytest.raises(delivery.WorkerBusy, match="another worker"),
                delivery.single_on_sqlite(engine, config),
            ):
                pass
            return
        ids = _emails(engine, 60)
        results: list[delivery.Counts] = []

        def work() -> None:
            transport = transports.transport_for(config)
            results.append(deliver_due(engine, config, transport))
            transport.close()

        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert sum(r.sent for r in results) == 60
        assert sum(1 for r in results if r.sent) >= 2  # they did share the work
        assert len(server.ids()) == 60
        assert max(server.ids().values()) == 1
        assert {n.state for n in _read(engine, ids)} == {DeliveryState.SENT}


def test_without_a_server_each_email_is_a_file(engine: Engine, settings: Settings) -> None:
    config = _with(settings, None)
    ids = _emails(engine)
    assert deliver_due(engine, config, transports.transport_for(config)).sent == 1
    [n] = _read(engine, ids)
    path = config.var_dir / "mail" / f"{n.message_id}.eml"
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    assert message["Message-ID"] == f"<{n.message_id}@probono.test>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "started" in text_of(message) or "démarré" in text_of(message)
    assert deliver_due(engine, config, transports.transport_for(config)).handled == 0


def test_quoted_words_are_escaped_and_unsubscribing_takes_one_click(
    engine: Engine, settings: Settings
) -> None:
    config = _with(settings, None)
    with Session(engine) as session:
        people = cast(session)
        mission = queries.missions.get_mission(session, mission_in_progress(session, people))
        _quiet(session)
        [n] = outbox.tell_side(
            session,
            K.MESSAGE,
            mission,
            MissionInitiator.VOLUNTEER,
            excerpt="<script>alert(1)</script> & co",
        )
        session.commit()
        account = session.get(Account, n.account_id)
        assert account is not None
        message = compose(session, config, n, account)
        assert "<script>" not in html_of(message)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html_of(message)
        assert "> <script>alert(1)</script> & co" in text_of(message)  # plain text, as written
        link = urlsplit(str(message["List-Unsubscribe"]).strip("<>"))
        assert link.query == f"lang={account.locale}"  # its page speaks the email's language
        token = link.path.rsplit("/", 1)[1]
        assert not preferences.subscription(session, config, token).stopped
        assert preferences.unsubscribe(session, config, token).stopped
        assert preferences.unsubscribe(session, config, token).stopped  # again: the same
        assert queries.notifications.preferences(session, persisted_id(account.id)) == {
            K.MESSAGE: Channel.IN_APP
        }
        [later] = outbox.tell_side(session, K.MESSAGE, mission, MissionInitiator.VOLUNTEER)
        assert later.state is DeliveryState.IN_APP  # shown in their space, no email
        # A kind the missions need cannot be stopped: its link changes nothing.
        required = preferences.unsubscribe_token(config, persisted_id(account.id), K.ACCEPTED)
        found = preferences.unsubscribe(session, config, required)
        assert found.required
        assert not found.stopped
        assert queries.notifications.preferences(session, persisted_id(account.id)) == {
            K.MESSAGE: Channel.IN_APP
        }
        with pytest.raises(models.NotFound):
            preferences.unsubscribe(session, config, token[:-2] + "xx")
        session.commit()


# aiosmtpd knows STARTTLS only: with smtps the whole connection is TLS, which it cannot see.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_a_server_with_tls_and_a_password(
    engine: Engine,
    settings: Settings,
    scheme: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """smtp:// upgrades with STARTTLS (the server requires it), smtps:// speaks TLS from the
    start; both sign in with the URL's user and password (percent-encoded in it)."""
    ca = trustme.CA()
    served = ca.issue_cert("127.0.0.1")
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.configure_cert(server_tls)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))  # the default context trusts the test CA
    signed_in: list[tuple[str, str]] = []

    def authenticator(
        server: object, session: object, envelope: object, mechanism: str, data: object
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        signed_in.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"p@ss w0rd")

    recorder = Recorder()
    port = free_port()
    options: dict[str, Any] = {"authenticator": authenticator, "auth_required": True}
    if scheme == "smtp":
        options |= {"tls_context": server_tls, "require_starttls": True}
    else:
        options |= {"ssl_context": server_tls, "auth_require_tls": False}
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        url = f"{scheme}://mailer:p%40ss%20w0rd@127.0.0.1:{port}"
        config = _with(settings, url)
        _emails(engine)
        transport = transports.transport_for(config)
        assert deliver_due(engine, config, transport).sent == 1
        transport.close()
    finally:
        controller.stop()
    assert signed_in == [("mailer", "p@ss w0rd")]
    assert len(recorder.messages) == 1


def test_a_message_that_keeps_stopping_the_worker_becomes_a_dead_letter(
    engine: Engine, settings: Settings
) -> None:
    """Tries that never finished (a worker that died each time) count: after the last one,
    the message waits for the admin instead of stopping every worker that takes it."""
    config = _with(settings, None, mail_max_attempts=3)
    [notification_id] = _emails(engine)
    with Session(engine) as session:
        for _ in range(3):
            session.add(DeliveryAttempt(notification_id=notification_id, worker="gone:1"))
        session.commit()
    counts = deliver_due(engine, config, transports.transport_for(config))
    assert counts.failed == 1
    [n] = _read(engine, [notification_id])
    assert n.state is DeliveryState.FAILED
    assert "stopped" in (n.last_error or "")
