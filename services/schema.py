"""Bringing a database to the current schema with Alembic, and telling where it stands."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from config import REPOSITORY
from models import InvalidData


def alembic_config() -> Config:
    config = Config(str(REPOSITORY / "alembic.ini"))
    config.set_main_option("script_location", str(REPOSITORY / "migrations"))
    return config


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction, for migrations to run in.

    On SQLite, foreign keys are off meanwhile: SQLite alters a table by copying it, and
    dropping the old copy of a table that other rows reference fails while they are on.
    Every key is checked before the commit instead.

    Raises:
        InvalidData: a migration left a row whose foreign key points at nothing.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _pragma(connection, "foreign_keys=OFF")  # before BEGIN: a no-op inside one
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise InvalidData(
                            f"the migration left rows whose foreign key points at nothing "
                            f"(table, row, parent): {[tuple(r[:3]) for r in broken[:5]]}"
                        )
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection: Connection, setting: str) -> None:
    cursor = connection.connection.cursor()
    try:
        cursor.execute(f"PRAGMA {setting}")
    finally:
        cursor.close()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Applies every migration not yet applied up to `target` (a no-op on an up-to-date
    database)."""
    with migrating(engine) as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, target)


@lru_cache
def head_revision() -> str | None:
    """The newest migration this code carries (read once per process: parsing every migration
    script took most of a health check's 50 ms; new migrations come with a restart)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(bind: Engine | Connection) -> str | None:
    """The revision the database is at (None for an empty database)."""
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_current(engine: Engine) -> None:
    """Raises:
    InvalidData: the database is not at the schema this code expects.
    """
    current, head = current_revision(engine), head_revision()
    if current is None:
        raise InvalidData(
            "the database has no tables yet: run `probono init` (it creates them and loads "
            "the reference data)"
        )
    if current != head:
        raise InvalidData(
            f"the database is at schema revision {current or 'none'} and this version needs "
            f"{head}: run `probono migrate` (or `probono init`)"
        )
