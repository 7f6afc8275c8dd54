"""Nothing lost, nothing sent twice: a real `probono worker` process, delivering to a real
SMTP server, is killed (SIGKILL) at random moments of its delivery 20 times per backend and
started again. After every kill the server has never received two messages with the same
Message-ID; at the end, every notification was delivered exactly once.

Each round adds emails to the outbox, starts the worker, waits until the server has taken a
random number of them (so the kill falls inside a delivery run, not before it), waits a
random moment more, and kills. The server takes a few milliseconds per message, as a real
one does, so that kills also fall between the end of a message's data and its answer."""

import logging
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

import models
from models import DeliveryAttempt, DeliveryState, Notification, NotificationKind
from services.notifications.outbox import tell_side
from tests.databases import fresh_database
from tests.factories import cast, mission_in_progress
from tests.mail.smtp import Recorder, smtp_server

KILLS = int(os.environ.get("PROBONO_CRASH_KILLS", "20"))  # per backend
PER_ROUND = 6  # emails added before each start
log = logging.getLogger(__name__)


@pytest.fixture
def world(backend: str, tmp_path: Path) -> Iterator[tuple[Engine, dict[str, str], Recorder]]:
    with fresh_database(backend, tmp_path) as url, smtp_server() as (server, smtp_url):
        env = os.environ | {
            "PROBONO_ENV": "test",
            "PROBONO_DATABASE_URL": url,
            "PROBONO_VAR_DIR": str(tmp_path / "var"),
            "PROBONO_PUBLIC_BASE_URL": "https://crash.test",
            "PROBONO_SECRET_KEY": "a secret key for the crash tests",
            "PROBONO_SMTP_URL": smtp_url,
            "PROBONO_WORKER_POLL_SECONDS": "0.05",
        }
        probono = str(Path(sys.executable).parent / "probono")
        subprocess.run([probono, "migrate"], env=env, check=True, capture_output=True)
        engine = models.make_engine(url)
        server.delay = 0.005
        try:
            yield engine, env, server
        finally:
            engine.dispose()


def _add(engine: Engine, count: int) -> None:
    """Emails to send: a mission's start told to its association's two members, and so on."""
    with Session(engine) as session:
        people = cast(session)
        mission = models.queries.missions.get_mission(session, mission_in_progress(session, people))
        for _ in range(count // 2):
            tell_side(session, NotificationKind.STARTED, mission, mission.initiated_by.ASSOCIATION)
        session.commit()


def _start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    probono = str(Path(sys.executable).parent / "probono")
    log = Path(env["PROBONO_VAR_DIR"]) / "worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen(
            [probono, "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _missing(engine: Engine, server: Recorder) -> str:
    """What was not delivered, and its tries (for the failure's message)."""
    received = set(server.ids())
    lines = []
    with Session(engine) as session:
        for n in session.exec(select(Notification)).all():
            if f"<{n.message_id}@crash.test>" not in received:
                tries = session.exec(
                    select(DeliveryAttempt).where(col(DeliveryAttempt.notification_id) == n.id)
                ).all()
                lines.append(f"{n.id} {n.state} {n.unconfirmed} {n.last_error} {tries}")
    return f"{len(received)} sent; not: " + "; ".join(lines)


def test_killed_workers_lose_nothing_and_send_nothing_twice(
    world: tuple[Engine, dict[str, str], Recorder],
) -> None:
    engine, env, server = world
    rng = random.Random(19)
    for _ in range(KILLS):
        before = len(server.messages)
        _add(engine, PER_ROUND)
        process = _start(env)
        assert server.wait_for(before + rng.randint(1, PER_ROUND - 1)), "the worker sent nothing"
        time.sleep(rng.uniform(0, 0.02))
        _kill(process)
        twice = [mid for mid, n in server.ids().items() if n > 1]
        assert twice == [], f"sent twice after a kill: {twice}"

    process = _start(env)  # the last one, left to finish
    try:
        assert _settled(engine, timeout=120), _missing(engine, server)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0  # SIGTERM: it finishes the message in hand and stops
    ids = server.ids()
    assert max(ids.values()) == 1  # never twice
    with Session(engine) as session:
        notifications = session.exec(select(Notification).order_by(col(Notification.id))).all()
        assert {n.state for n in notifications} == {DeliveryState.SENT}
        stopped = session.exec(
            select(DeliveryAttempt).where(col(DeliveryAttempt.outcome) == "stopped")
        ).all()
    received = set(ids)
    address = "<{}@crash.test>".format
    # Every message is delivered exactly once, but one whose end had left when its worker
    # died: the server kept it (then it is here once) or dropped it as the connection closed
    # (aiosmtpd does, when the close comes with the end); either way it is never sent again
    # and shows as unconfirmed to the platform admin.
    dropped = [n for n in notifications if address(n.message_id) not in received]
    assert all(n.unconfirmed for n in dropped), [n.id for n in dropped]
    assert {address(n.message_id) for n in notifications} >= received
    handed = [a for a in stopped if a.handed_at is not None]
    log.warning(
        "%d kills: %d tries stopped, %d after the end of the data left, %d of those dropped by "
        "the server, %d of %d messages delivered once",
        KILLS,
        len(stopped),
        len(handed),
        len(dropped),
        len(received),
        len(notifications),
    )
    assert stopped  # the kills fell inside tries, not between them
    assert len(dropped) <= len(handed)


def _settled(engine: Engine, timeout: float) -> bool:
    """Every notification sent or given up, within the time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            states = {n.state for n in session.exec(select(Notification)).all()}
        if states <= {DeliveryState.SENT, DeliveryState.FAILED}:
            return True
        time.sleep(0.2)
    return False
