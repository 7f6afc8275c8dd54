"""Importing and exporting volunteers and needs as JSON lines or CSV.

An import keeps every good row and reports every bad one (line, field, reason); each row is
written inside its own savepoint so that one bad row cannot undo the others, and the whole
import commits once at its end. Rows are keyed (volunteer by email, need by association and
ref) so that importing the same file again changes nothing.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from models import InvalidData, persisted_id, queries
from services.people.profiles import (
    CompetenceResolver,
    need_records,
    save_need,
    save_volunteer,
    volunteer_records,
)
from services.records import NeedRecord, VolunteerRecord


class Kind(StrEnum):
    VOLUNTEERS = "volunteers"
    NEEDS = "needs"


class Format(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"

    @classmethod
    def of(cls, path: Path) -> "Format":
        suffix = path.suffix.lower().lstrip(".")
        if suffix in {"jsonl", "ndjson"}:
            return cls.JSONL
        if suffix == "csv":
            return cls.CSV
        raise InvalidData(
            f"cannot tell the format of {path.name}: name it .jsonl or .csv, or say --format"
        )


@dataclass(frozen=True)
class RowError:
    line: int
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", field {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# A parsed row: its line number and either its fields or why it could not be read.
ParsedRow = tuple[int, dict[str, Any] | RowError]


def read_rows(handle: IO[bytes], fmt: Format) -> Iterator[ParsedRow]:
    """Reads raw rows; a row that is not UTF-8 or not valid JSON becomes a RowError."""
    if fmt is Format.JSONL:
        yield from _jsonl_rows(handle)
    else:
        yield from _csv_rows(handle)


def _decode(raw: bytes, line: int) -> str | RowError:
    try:
        return raw.decode("utf-8-sig" if line == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return RowError(line, None, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")


def _jsonl_rows(handle: IO[bytes]) -> Iterator[ParsedRow]:
    for line, raw in enumerate(handle, start=1):
        text = _decode(raw, line)
        if isinstance(text, RowError):
            yield line, text
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield line, RowError(line, None, f"not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(value, dict):
            yield line, RowError(line, None, "each line must be a JSON object")
            continue
        yield line, value


def _csv_rows(handle: IO[bytes]) -> Iterator[ParsedRow]:
    lines: list[str] = []
    for number, raw in enumerate(handle, start=1):
        text = _decode(raw, number)
        # A broken line keeps its place, so that later line numbers still match the file.
        lines.append("\n" if isinstance(text, RowError) else text)
        if isinstance(text, RowError):
            yield number, text
    reader = csv.DictReader(io.StringIO("".join(lines)))
    try:
        for row in reader:
            if None in row:
                yield (
                    reader.line_num,
                    RowError(reader.line_num, None, "more cells than header columns"),
                )
                continue
            if any(value is None or not value.strip() for value in row.values()) and not any(
                value and value.strip() for value in row.values()
            ):
                continue  # a blank line
            yield (
                reader.line_num,
                {key: value for key, value in row.items() if value and value.strip()},
            )
    except csv.Error as exc:
        yield reader.line_num, RowError(reader.line_num, None, f"unreadable CSV: {exc}")


def _validation_errors(line: int, exc: ValidationError) -> list[RowError]:
    return [
        RowError(
            line,
            ".".join(str(part) for part in error["loc"]) or None,
            error["msg"].removeprefix("Value error, "),  # pydantic's prefix for our own checks
        )
        for error in exc.errors(include_url=False)
    ]


def _canonical(record: BaseModel) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    for key in ("languages", "competences"):
        data[key] = sorted(data[key], key=json.dumps)
    return data


def import_rows(session: Session, rows: Iterable[ParsedRow], kind: Kind) -> ImportReport:
    """Validates and saves each row; commits the good rows once at the end."""
    report = ImportReport()
    resolver = CompetenceResolver(session)
    model: type[VolunteerRecord | NeedRecord] = (
        VolunteerRecord if kind is Kind.VOLUNTEERS else NeedRecord
    )
    for line, raw in rows:
        if isinstance(raw, RowError):
            report.errors.append(raw)
            continue
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            report.errors.extend(_validation_errors(line, exc))
            continue
        before = _current(session, record)
        if before is not None and _canonical(before) == _canonical(record):
            report.unchanged += 1
            continue
        error = _save(session, record, resolver, line)
        if error is not None:
            report.errors.append(error)
        elif before is None:
            report.created += 1
        else:
            report.updated += 1
    session.commit()
    return report


def _save(
    session: Session, record: VolunteerRecord | NeedRecord, resolver: CompetenceResolver, line: int
) -> RowError | None:
    """Saves one record inside a savepoint, so that a refused row leaves nothing behind."""
    try:
        with session.begin_nested():
            if isinstance(record, VolunteerRecord):
                save_volunteer(session, record, resolver)
            else:
                save_need(session, record, resolver)
    except InvalidData as exc:
        return RowError(line, exc.field, str(exc))
    except sa.exc.IntegrityError as exc:
        return RowError(line, None, f"refused by the database: {exc.orig}")
    return None


def _current(session: Session, record: VolunteerRecord | NeedRecord) -> BaseModel | None:
    if isinstance(record, VolunteerRecord):
        return _current_volunteer(session, record)
    return _current_need(session, record)


def _current_volunteer(session: Session, record: VolunteerRecord) -> VolunteerRecord | None:
    account = queries.organisations.find_account(session, record.email)
    if account is None or account.id is None:
        return None
    profile = queries.profiles.find_profile_by_account(session, account.id)
    if profile is None:
        return None
    return next(iter(volunteer_records(session, only=[persisted_id(profile.id)])), None)


def _current_need(session: Session, record: NeedRecord) -> NeedRecord | None:
    organisation = queries.organisations.find_organisation(session, record.association)
    if organisation is None or organisation.id is None:
        return None
    need = queries.profiles.find_need(session, organisation.id, record.ref)
    if need is None:
        return None
    return next(iter(need_records(session, only=[persisted_id(need.id)])), None)


def export_records(session: Session, kind: Kind) -> Iterator[BaseModel]:
    if kind is Kind.VOLUNTEERS:
        yield from volunteer_records(session)
    else:
        yield from need_records(session)


def write_records(
    records: Iterable[BaseModel], fmt: Format, out: IO[str], columns: list[str]
) -> int:
    """Writes records as JSON lines or CSV (lists joined by ';'); returns how many."""
    count = 0
    if fmt is Format.JSONL:
        for record in records:
            out.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: _cell(getattr(record, key)) for key in columns})
        count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def columns(kind: Kind) -> list[str]:
    model = VolunteerRecord if kind is Kind.VOLUNTEERS else NeedRecord
    return list(model.model_fields)
