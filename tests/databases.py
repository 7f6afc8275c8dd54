"""Throw-away test databases: a SQLite file, and (when configured) a fresh PostgreSQL database."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from models import normalise_url

POSTGRES_URL = os.environ.get("PROBONO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """Yields the URL of an empty database of that backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        return
    assert POSTGRES_URL is not None
    with postgres_database(POSTGRES_URL) as url:
        yield url


@contextmanager
def postgres_database(server_url: str, prefix: str = "probono_test") -> Iterator[str]:
    """Yields the URL of a new database on that PostgreSQL server, dropped afterwards (the
    benchmarks make theirs with it too)."""
    server = normalise_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
