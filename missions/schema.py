"""Bringing a database to the current schema with Alembic, and telling where it stands."""

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


def upgrade(engine: Engine) -> None:
    """Applies every migration not yet applied (a no-op on an up-to-date database)."""
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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
    if current != head:
        raise InvalidData(
            f"the database is at schema revision {current or 'none'} and this version needs "
            f"{head}: run `probono migrate` (or `probono init`)"
        )
