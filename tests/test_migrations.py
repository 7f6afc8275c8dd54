"""Alembic builds the schema from empty, matches the models exactly, and goes back down."""

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

import models
from missions import schema
from tests.databases import fresh_database


def _run(url: str, *steps: tuple[str, str]) -> None:
    engine = models.make_engine(url)
    try:
        with engine.begin() as connection:
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
