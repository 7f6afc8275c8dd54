"""Exactly one credential per completed mission when requests race: each side confirming at
the same moment, or one side's request sent twice at once. Real commits, on a database of
its own per backend, with one connection per request as the API has."""

import threading
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, col

import models
from config import Environment, Settings
from models import Credential, Mission, MissionStatus
from services import schema, workflow
from services.actors import Actor
from services.reference import loading
from tests.conftest import DATA_DIR
from tests.databases import fresh_database
from tests.factories import ASSESSED, Cast, cast, mission_in_progress

ROUNDS = 6


@pytest.fixture(scope="module")
def own_engine(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"race-{backend}")) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine)
        with Session(engine) as session:
            loading.load_reference_data(session, DATA_DIR)
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def race_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        env=Environment.TEST,
        var_dir=tmp_path_factory.mktemp("race-var"),
        data_dir=DATA_DIR,
        public_base_url="https://race.test",
        key_encryption_key=SecretStr("a key-encryption key for the race tests"),
    )


def _together(engine: Engine, calls: list[Callable[[Session], object]]) -> list[BaseException]:
    """Runs each call in its own thread and session, all released at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Callable[[Session], object]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                call(session)
            except BaseException as exc:  # collected: the test asserts there are none
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _confirm(settings: Settings, actor: Actor, mission_id: int) -> Callable[[Session], object]:
    assessed = ASSESSED if actor.profile_id is None else ()
    return lambda s: workflow.confirm_completion(s, settings, actor, mission_id, assessed)


def _missions(engine: Engine) -> list[tuple[Cast, int]]:
    with Session(engine, expire_on_commit=False) as session:
        found = []
        for _ in range(ROUNDS):
            people = cast(session)
            found.append((people, mission_in_progress(session, people)))
        return found


def _check_one_credential_each(engine: Engine, mission_ids: list[int]) -> None:
    with Session(engine) as session:
        for mission_id in mission_ids:
            mission = session.get(Mission, mission_id)
            assert mission is not None
            assert mission.status is MissionStatus.COMPLETED
            count = session.execute(
                sa.select(sa.func.count()).where(col(Credential.mission_id) == mission_id)
            ).scalar_one()
            assert count == 1, f"mission {mission_id} has {count} credentials"
            assert mission.credential_id is not None


def test_both_sides_confirming_at_once(own_engine: Engine, race_settings: Settings) -> None:
    missions = _missions(own_engine)
    for people, mission_id in missions:
        errors = _together(
            own_engine,
            [
                _confirm(race_settings, people.volunteer, mission_id),
                _confirm(race_settings, people.member, mission_id),
            ],
        )
        assert errors == []
    _check_one_credential_each(own_engine, [m for _, m in missions])


def test_the_same_confirmation_sent_three_times_at_once(
    own_engine: Engine, race_settings: Settings
) -> None:
    missions = _missions(own_engine)
    for people, mission_id in missions:
        with Session(own_engine) as session:
            workflow.confirm_completion(session, race_settings, people.volunteer, mission_id)
        errors = _together(own_engine, [_confirm(race_settings, people.member, mission_id)] * 3)
        assert errors == []
    _check_one_credential_each(own_engine, [m for _, m in missions])
