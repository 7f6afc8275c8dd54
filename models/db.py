"""Engines: SQLite embedded by default, PostgreSQL by URL."""

from typing import Any

from sqlalchemy import URL, Connection, Engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import create_engine


def _sqlite_on_connect(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    # SQLAlchemy emits BEGIN itself (below) so that SAVEPOINTs work; foreign keys are off by
    # default in SQLite; WAL lets readers work while one writer commits. With WAL, NORMAL
    # syncs at checkpoints instead of at every commit: a crash of the process loses nothing,
    # a power cut may lose the last transactions whole, never half of one (SQLite's advice
    # for WAL; a completed mission and its credential stay one transaction either way).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def normalise_url(url: str) -> URL:
    """`postgresql://…` as people write it, driven by psycopg 3 (the driver we install)."""
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    engine = create_engine(parsed, connect_args={"check_same_thread": False}, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


# An execution option: transactions of a connection that will write begin IMMEDIATE on SQLite.
WRITES = "probono_writes"


def writer(engine: Engine) -> Engine:
    """The engine for work that will write (PostgreSQL ignores the option)."""
    return engine.execution_options(**{WRITES: True})


def _sqlite_begin(connection: Connection) -> None:
    # A deferred transaction that read, then writes after another writer committed, is refused
    # at once ("database is locked": its snapshot is stale, waiting cannot help). Work that
    # will write takes the write lock as it begins, and waits its turn (busy_timeout) instead;
    # reads begin deferred and run beside the writer (WAL).
    immediate = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
