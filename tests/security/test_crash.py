"""Exactly one credential per completed mission when the server is killed (SIGKILL) at random
points of mission completion and issuance, then restarted: a real `probono serve` process on
its own database of each backend, killed while completion requests are in flight.

Each round puts missions in flight at once and kills the process after a random delay drawn
from the length of such a round measured just before (key generation for a new issuer, both
signatures, the commit and the answer all fall in that window). After each kill, before anything is
retried: every completed mission has exactly one credential and none has none. Then the
clients retry, as a real client would after a dropped connection, and every mission ends
completed with exactly one credential.

Both scenarios are in flight at every kill: the association's confirmation (the one that
issues) with the volunteer's already in, and both sides confirming at the same moment."""

import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session, col

import models
from models import Credential, Mission, MissionStatus
from services.actors import create_token
from tests.databases import fresh_database
from tests.factories import cast, mission_in_progress

KILLS = int(os.environ.get("PROBONO_CRASH_KILLS", "20"))  # per backend
IN_FLIGHT = 4  # missions completing when each kill comes, two of each scenario
STARTUP_SECONDS = 60
log = logging.getLogger(__name__)
Request = tuple[str, int, dict[str, object]]  # a token, a mission, the body
ASSESSMENT: dict[str, object] = {
    "assessments": [{"competence": {"framework": "ecf", "code": "B.1", "level": 3}}]
}


@dataclass
class Flight:
    """One mission under test and the tokens of its two sides."""

    mission_id: int
    volunteer: str
    member: str
    both_sides: bool  # both confirm at the same moment; else the volunteer already has


class Server:
    """`probono serve` in its own process group, killed with SIGKILL and started again."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(env["PROBONO_VAR_DIR"]) / "server.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        probono = str(Path(sys.executable).parent / "probono")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [probono, "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        tail = self.log.read_text(errors="replace")[-3000:]
        raise AssertionError(f"the server did not start within {STARTUP_SECONDS} s:\n{tail}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def world(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Engine, Server]]:
    directory = tmp_path_factory.mktemp(f"crash-{backend}")
    with fresh_database(backend, directory) as url:
        env = os.environ | {
            "PROBONO_ENV": "test",
            "PROBONO_DATABASE_URL": url,
            "PROBONO_VAR_DIR": str(directory / "var"),
            "PROBONO_PUBLIC_BASE_URL": "https://crash.test",
            "PROBONO_SECRET_KEY": "a secret key for the crash tests",
            "PROBONO_KEY_ENCRYPTION_KEY": "a key-encryption key for the crash tests",
            # Completion needs no model: the server answers as soon as it is up.
            "PROBONO_PRELOAD_MODEL": "false",
        }
        probono = str(Path(sys.executable).parent / "probono")
        subprocess.run([probono, "init", "--no-demo"], env=env, check=True, capture_output=True)
        engine = models.make_engine(url)
        server = Server(env)
        server.start()
        try:
            yield engine, server
        finally:
            if server.process is not None and server.process.poll() is None:
                server.kill()
            engine.dispose()


def _flights(engine: Engine, server: Server) -> list[Flight]:
    """Missions in progress, each of a new association (so issuance also makes its keys): the
    first half with the volunteer's confirmation already in, the rest with none."""
    flights = []
    with Session(engine, expire_on_commit=False) as session:
        for index in range(IN_FLIGHT):
            people = cast(session)
            mission_id = mission_in_progress(session, people)
            volunteer = create_token(session, people.volunteer.email)
            member = create_token(session, people.member.email)
            flights.append(Flight(mission_id, volunteer, member, both_sides=index % 2 == 1))
    sent: list[Request] = [(f.volunteer, f.mission_id, {}) for f in flights if not f.both_sides]
    assert set(_send_all(server, sent)) == {200}
    return flights


def _requests(flights: list[Flight]) -> list[Request]:
    """The association's confirmation of each mission, and the volunteer's at the same moment
    for those that have none yet."""
    sent: list[Request] = []
    for flight in flights:
        sent.append((flight.member, flight.mission_id, ASSESSMENT))
        if flight.both_sides:
            sent.append((flight.volunteer, flight.mission_id, {}))
    return sent


def _confirm(server: Server, request: Request, statuses: list[int], index: int) -> None:
    """The confirmation as a client sends it: its status, or 0 for a dropped connection."""
    token, mission_id, body = request
    try:
        response = httpx.post(
            f"{server.url}/api/v1/missions/{mission_id}/complete",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        statuses[index] = response.status_code
    except httpx.TransportError:
        statuses[index] = 0


def _send(server: Server, sent: list[Request]) -> tuple[list[threading.Thread], list[int]]:
    statuses = [-1] * len(sent)
    threads = [
        threading.Thread(target=_confirm, args=(server, request, statuses, i))
        for i, request in enumerate(sent)
    ]
    for thread in threads:
        thread.start()
    return threads, statuses


def _send_all(server: Server, sent: list[Request]) -> list[int]:
    threads, statuses = _send(server, sent)
    for thread in threads:
        thread.join(timeout=120)
    return statuses


def _invariant(engine: Engine, mission_ids: list[int]) -> set[int]:
    """Each completed mission has exactly one credential, a mission not completed has none
    and is still in progress. Returns the completed ones."""
    completed = set()
    with Session(engine) as session:
        for mission_id in mission_ids:
            mission = session.get(Mission, mission_id)
            assert mission is not None
            count = session.execute(
                sa.select(sa.func.count()).where(col(Credential.mission_id) == mission_id)
            ).scalar_one()
            if mission.status is MissionStatus.COMPLETED:
                completed.add(mission_id)
                assert count == 1, f"completed mission {mission_id} has {count} credentials"
                assert mission.credential_id is not None
            else:
                assert mission.status is MissionStatus.IN_PROGRESS, mission.status
                assert count == 0, f"mission {mission_id} is not completed but has a credential"
    return completed


def _unkilled_round(engine: Engine, server: Server) -> float:
    """Seconds one round of completions takes on the server as it is now (warm or just
    restarted), left to finish."""
    flights = _flights(engine, server)
    started = time.perf_counter()
    assert set(_send_all(server, _requests(flights))) == {200}
    elapsed = time.perf_counter() - started
    assert len(_invariant(engine, [f.mission_id for f in flights])) == IN_FLIGHT
    return elapsed


def test_killed_during_completion_and_issuance(world: tuple[Engine, Server]) -> None:
    """KILLS rounds of: missions in flight, SIGKILL after a random delay, the invariant, a
    restart, the clients' retries, the invariant again with every mission completed."""
    engine, server = world
    draw = random.Random(2026)
    outcomes: Counter[str] = Counter()
    for _ in range(KILLS):
        window = _unkilled_round(engine, server)  # the span kills are drawn in, measured now
        flights = _flights(engine, server)
        sent = _requests(flights)
        threads, statuses = _send(server, sent)
        time.sleep(draw.uniform(0, window))
        server.kill()
        for thread in threads:
            thread.join(timeout=60)
        ids = [f.mission_id for f in flights]
        completed = _invariant(engine, ids)  # as the crash left it, before any retry
        for flight in flights:
            kind = "both at once" if flight.both_sides else "association last"
            answers = [
                s for (_, m, _), s in zip(sent, statuses, strict=True) if m == flight.mission_id
            ]
            if flight.mission_id not in completed:
                outcomes[f"{kind}: rolled back"] += 1
            elif all(s == 200 for s in answers):
                outcomes[f"{kind}: answered"] += 1
            else:
                outcomes[f"{kind}: committed, answer lost"] += 1
        server.start()
        retried = _send_all(server, sent)
        assert set(retried) == {200}, retried
        assert _invariant(engine, ids) == set(ids)

    log.info("where the kills fell: %s", dict(outcomes))  # -o log_cli=true shows it
    assert sum(outcomes.values()) == KILLS * IN_FLIGHT
    # Most kills fell inside completion, not after it: the crash window was exercised.
    hit = sum(n for outcome, n in outcomes.items() if not outcome.endswith("answered"))
    assert hit >= KILLS, outcomes
