"""A database of its own for a benchmark run: a SQLite file in a folder, or a new database on
a PostgreSQL server, dropped afterwards."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

import models


@contextmanager
def scratch_database(postgres_server: str | None, folder: Path) -> Iterator[str]:
    """The URL of an empty database: on that PostgreSQL server if one is given."""
    if postgres_server is None:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    server = models.normalise_url(postgres_server)
    name = f"probono_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
