"""Alembic environment: the target is `models.metadata`; the URL comes from the settings.

A caller may hand over an open connection in `config.attributes["connection"]` (tests, the CLI).
"""

from alembic import context
from sqlalchemy import Connection

import models
from config import get_settings

config = context.config
target_metadata = models.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,  # SQLite can only ALTER a table by copying it
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = models.make_engine(get_settings().resolved_database_url)
    with engine.connect() as connection:
        _configure(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: run against a database")
run_migrations_online()
