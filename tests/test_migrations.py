"""Alembic builds the schema from empty, matches the models exactly, and goes back down."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlmodel import Session

import models
from config import Settings
from models import Issuer, queries
from services import schema
from services.credentials import issuance
from services.reference import loading
from tests.databases import fresh_database
from tests.factories import cast, completed


def _run(url: str, *steps: tuple[str, str]) -> None:
    engine = models.make_engine(url)
    try:
        with schema.migrating(engine) as connection:
            config = schema.alembic_config()
            config.attributes["connection"] = connection
            for name, target in steps:
                if name == "check":
                    command.check(config)  # raises if models and migrations drift apart
                else:
                    getattr(command, name)(config, target)
    finally:
        engine.dispose()


def test_upgrade_from_empty_matches_the_models(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        _run(url, ("upgrade", "head"), ("check", ""))
        engine = models.make_engine(url)
        assert schema.current_revision(engine) == schema.head_revision()
        engine.dispose()


def test_downgrade_to_base_and_up_again(backend: str, tmp_path: Path) -> None:
    with fresh_database(backend, tmp_path) as url:
        _run(url, ("upgrade", "head"), ("downgrade", "base"), ("upgrade", "head"), ("check", ""))


_AFTER_0008 = {
    "notification",
    "delivery_attempt",
    "notification_preference",
    "mission_message",
    "call_slot",
}


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).one()[0]
            for table in models.metadata.sorted_tables
        }


def test_a_populated_database_goes_down_and_up_keeping_every_row(
    backend: str, tmp_path: Path, settings: Settings
) -> None:
    """Migrations that copy a table (SQLite's way to alter one) while other rows reference it,
    and the status-list counts an upgrade works out from the credentials already issued."""
    with fresh_database(backend, tmp_path) as url:
        engine = models.make_engine(url)
        schema.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            loading.load_reference_data(session, settings.data_dir)
            made = [completed(session, settings, cast(session)) for _ in range(2)]
            issuer = queries.credentials.get_issuer(session, made[0].issuer_id)
            issuer.status_list_used = issuance._LIST_FILL  # list 1 has given its share
            session.commit()
            made.append(completed(session, settings, cast(session)))
        before = _counts(engine)
        assert before["credential"] == 3
        _run(url, ("downgrade", "0008"), ("upgrade", "head"), ("check", ""))
        # Tables made after 0008 go with the downgrade, rows and all (the completions above
        # wrote notifications); every other row is kept.
        assert before["notification"] > 0
        after = _counts(engine)
        assert {t: n for t, n in after.items() if t not in _AFTER_0008} == {
            t: n for t, n in before.items() if t not in _AFTER_0008
        }
        with Session(engine) as session:
            upgraded = session.get(Issuer, made[0].issuer_id)
            assert upgraded is not None
            assert (upgraded.status_list, upgraded.status_list_used) == (2, 1)
        engine.dispose()


def test_the_revision_chain_has_one_head() -> None:
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()
    assert len(heads) == 1


def test_drift_is_detected(backend: str, tmp_path: Path) -> None:
    """The check above would fail if a model changed without a migration."""
    with fresh_database(backend, tmp_path) as url:
        _run(url, ("upgrade", "head"))
        engine = models.make_engine(url)
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE account ADD COLUMN stray INTEGER")
        engine.dispose()
        with pytest.raises(Exception, match="stray"):
            _run(url, ("check", ""))
