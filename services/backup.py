"""The whole database as one file, and back: `probono export` / `probono restore`.

The file is gzip-compressed JSON lines: a header (format, schema revision, time), then one
line per row in foreign-key order, then a trailer with the count of every table, so that a
truncated or edited file is refused instead of restored in part. Private signing keys stay
encrypted with the key-encryption key, as they are at rest: a backup restores only where that
key is configured. Keys kept as files (signing_key_store = "files") travel in the backup, still
encrypted, and are written back to the configured folder.

A restore goes into an empty database of the same schema, in one transaction: it lands whole
or not at all."""

import base64
import gzip
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlmodel import SQLModel

from config import Settings
from models import InvalidData, SigningKey, utcnow
from services import schema

FORMAT = "probono-backup"
VERSION = 1
_BATCH = 1000


@dataclass(frozen=True)
class Summary:
    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[sa.Table]:
    return list(SQLModel.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def _python_type(column: sa.Column[Any]) -> type | None:
    # A TypeDecorator (AwareDateTime, JSONDocument) says its type through the type it wraps.
    for kind in (getattr(column.type, "impl", None), column.type):
        try:
            found = kind.python_type if kind is not None else object
        except NotImplementedError:
            continue
        if found is not object:
            return found
    return None


def _decode(column: sa.Column[Any], value: Any) -> Any:
    kind = _python_type(column)
    if value is None or kind is None:
        return value
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is bytes:
        return base64.b64decode(value)
    if issubclass(kind, Enum):
        return kind(value)
    return value


def export_database(engine: Engine, out: IO[bytes]) -> Summary:
    """Writes every row of every table to `out` (a binary file)."""
    revision = schema.current_revision(engine)
    if revision is None:
        raise InvalidData("the database has no schema: nothing to export")
    rows: dict[str, int] = {}
    # One transaction and one snapshot, so the file is one moment of the database: SQLite's
    # transaction reads one snapshot (WAL); PostgreSQL needs REPEATABLE READ for that (its
    # default takes a new snapshot for each statement).
    snapshot = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with (
        gzip.GzipFile(fileobj=out, mode="wb") as zipped,
        engine.connect().execution_options(**snapshot) as connection,
        connection.begin(),
    ):
        header = {"format": FORMAT, "version": VERSION, "revision": revision}
        _line(zipped, header | {"created_at": utcnow().isoformat()})
        for table in _tables():
            rows[table.name] = 0
            result = connection.execution_options(yield_per=_BATCH).execute(
                sa.select(table).order_by(*table.primary_key.columns)
            )
            for row in result.mappings():
                record = dict(row)
                if table.name == SigningKey.__tablename__:
                    record["private_key_file"] = _key_file(record)
                _line(zipped, {"table": table.name, "row": record})
                rows[table.name] += 1
        _line(zipped, {"end": rows})
    return Summary(revision, rows)


def _key_file(record: dict[str, Any]) -> str | None:
    """A key kept as a file travels with its row (it is encrypted already)."""
    path = record.get("private_key_path")
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="ascii")
    except OSError as exc:
        raise InvalidData(f"the private key file {path} cannot be read: {exc}") from exc


def _line(out: gzip.GzipFile, document: dict[str, Any]) -> None:
    out.write(json.dumps(document, default=_encode, ensure_ascii=False).encode("utf-8"))
    out.write(b"\n")


def _read(source: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with gzip.GzipFile(fileobj=source, mode="rb") as zipped:
            for number, line in enumerate(zipped, start=1):
                try:
                    document = json.loads(line)
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InvalidData(f"line {number}: not a backup line ({exc})") from None
                if not isinstance(document, dict):
                    raise InvalidData(f"line {number}: not a backup line")
                yield number, document
    except (OSError, EOFError) as exc:  # not gzip, or cut short
        raise InvalidData(f"the file is not a complete probono backup ({exc})") from None


def restore_database(engine: Engine, settings: Settings, source: IO[bytes]) -> Summary:
    """Restores a backup into an empty database (migrated here to the current schema).

    Raises:
        InvalidData: the file is not a complete backup, is of another schema revision, or the
            database is not empty; nothing is written.
    """
    schema.upgrade(engine)
    head = schema.head_revision()
    tables = {table.name: table for table in _tables()}
    lines = _read(source)
    _, header = next(lines, (0, {}))
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise InvalidData("the file is not a probono backup (no backup header on line 1)")
    if header.get("revision") != head:
        raise InvalidData(
            f"the backup is of schema revision {header.get('revision')} and this version is "
            f"at {head}: restore it with the version that made it, then upgrade"
        )
    written_files: list[Path] = []
    try:
        with engine.connect() as connection, connection.begin():
            _defer_foreign_keys(connection)
            _require_empty(connection, tables.values())
            rows, end = _insert_all(connection, settings, tables, lines, written_files)
            if end is None:
                raise InvalidData("the backup is cut short: its last line (the counts) is missing")
            if end != rows:
                raise InvalidData(f"the backup's counts {end} do not match its rows {rows}")
            _reset_sequences(connection, tables.values())
    except BaseException:
        for path in written_files:  # nothing of a failed restore stays behind
            path.unlink(missing_ok=True)
        raise
    return Summary(str(head), rows)


def _insert_all(
    connection: Connection,
    settings: Settings,
    tables: dict[str, sa.Table],
    lines: Iterator[tuple[int, dict[str, Any]]],
    written_files: list[Path],
) -> tuple[dict[str, int], dict[str, int] | None]:
    rows = dict.fromkeys(tables, 0)
    batch: list[dict[str, Any]] = []
    current: sa.Table | None = None
    for number, document in lines:
        if "end" in document:
            if current is not None and batch:
                connection.execute(current.insert(), batch)
            return rows, document["end"]
        table = tables.get(str(document.get("table")))
        if table is None or not isinstance(document.get("row"), dict):
            raise InvalidData(f"line {number}: unknown table {document.get('table')!r}")
        if table is not current:
            if current is not None and batch:
                connection.execute(current.insert(), batch)
            current, batch = table, []
        record = dict(document["row"])
        key_file = record.pop("private_key_file", None)
        try:
            row = {name: _decode(table.c[name], value) for name, value in record.items()}
        except (KeyError, ValueError, TypeError) as exc:
            raise InvalidData(
                f"line {number}: a row of {table.name} cannot be read ({exc})"
            ) from None
        if key_file is not None:
            row["private_key_path"] = str(_write_key(settings, row, key_file, written_files))
        batch.append(row)
        rows[table.name] += 1
        if len(batch) >= _BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    return rows, None


def _write_key(settings: Settings, row: dict[str, Any], content: str, written: list[Path]) -> Path:
    folder = settings.signing_key_dir
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / Path(str(row["private_key_path"])).name
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidData(f"a key file {path} exists already: restore beside it refused") from None
    written.append(path)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(content)
    return path


def _defer_foreign_keys(connection: Connection) -> None:
    # A mission and its credential point at each other: both are in before the check.
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        connection.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


def _require_empty(connection: Connection, tables: Any) -> None:
    filled = [
        table.name
        for table in tables
        if connection.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
    ]
    if filled:
        raise InvalidData(
            "restore needs an empty database; this one has rows in " + ", ".join(filled)
        )


def _reset_sequences(connection: Connection, tables: Any) -> None:
    """PostgreSQL's id sequences continue after the restored ids (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and isinstance(column.type, sa.Integer)
            ):
                connection.execute(
                    sa.text(
                        "SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f'COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, '
                        "false) WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL"
                    ),
                    {"table": table.name, "column": column.name},
                )
