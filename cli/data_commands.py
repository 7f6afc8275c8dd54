"""`probono import | export` of volunteers and needs (JSON lines or CSV); `probono export`
of the whole database (a backup) and `probono restore`; `probono retention apply`."""

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

from config import get_settings
from models import InvalidData
from services import backup
from services.people import retention, transfer
from services.runtime import current_engine, get_engine

_KINDS = [kind.value for kind in transfer.Kind]
_FORMATS = [fmt.value for fmt in transfer.Format]


def register(commands: Any) -> None:
    imp = commands.add_parser("import", help="import volunteers or needs from JSONL or CSV")
    imp.add_argument("kind", choices=_KINDS)
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=_FORMATS, help="default: from the file name")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser(
        "export",
        help="export volunteers or needs as JSONL or CSV; without a kind, the whole database "
        "(a backup, keys still encrypted) to -o FILE",
    )
    exp.add_argument("kind", choices=_KINDS, nargs="?")
    exp.add_argument("--format", choices=_FORMATS, default="jsonl")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(handler=_export)

    restore = commands.add_parser(
        "restore", help="restore a whole-database backup (from `probono export`) into an empty one"
    )
    restore.add_argument("file", type=Path)
    restore.set_defaults(handler=_restore)

    retention = commands.add_parser("retention", help="how long personal data is kept")
    retention_actions = retention.add_subparsers(dest="action", required=True, metavar="ACTION")
    apply = retention_actions.add_parser(
        "apply",
        help="delete old sign-in attempts and expired sessions, erase idle accounts "
        "(PROBONO_SIGN_IN_LOG_DAYS, PROBONO_IDLE_ACCOUNT_YEARS)",
    )
    apply.set_defaults(handler=_retention)


def _import(args: argparse.Namespace) -> int:
    path: Path = args.file
    fmt = transfer.Format(args.format) if args.format else transfer.Format.of(path)
    if not path.is_file():
        raise InvalidData(f"no such file: {path}")
    kind = transfer.Kind(args.kind)
    with path.open("rb") as handle, Session(current_engine()) as session:
        rows = tqdm(
            transfer.read_rows(handle, fmt),
            desc=f"importing {kind.value}",
            unit=" rows",
            file=sys.stderr,
            disable=None,
        )
        report = transfer.import_rows(session, rows, kind)
    for error in report.errors:
        print(f"{path}:{error}", file=sys.stderr)
    print(
        f"{kind.value}: {report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} errors"
    )
    return 0 if report.ok else 1


def _export(args: argparse.Namespace) -> int:
    if args.kind is None:
        return _backup(args.output)
    kind, fmt = transfer.Kind(args.kind), transfer.Format(args.format)
    with Session(current_engine()) as session:
        records = transfer.export_records(session, kind)
        if args.output is None:
            count = transfer.write_records(records, fmt, sys.stdout, transfer.columns(kind))
        else:
            with args.output.open("w", encoding="utf-8", newline="") as out:
                count = transfer.write_records(records, fmt, out, transfer.columns(kind))
    print(f"exported {count} {kind.value}", file=sys.stderr)
    return 0


def _backup(output: Path | None) -> int:
    if output is None:
        raise InvalidData("a backup goes to a file: give -o FILE")
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("wb") as out:
            summary = backup.export_database(current_engine(), out)
        partial.replace(output)  # a backup cut short never has the final name
    finally:
        partial.unlink(missing_ok=True)
    print(
        f"exported {summary.total} rows of {len(summary.rows)} tables "
        f"(schema {summary.revision}) to {output}"
    )
    return 0


def _restore(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        raise InvalidData(f"no such file: {path}")
    with path.open("rb") as source:
        summary = backup.restore_database(get_engine(), get_settings(), source)
    print(f"restored {summary.total} rows of {len(summary.rows)} tables from {path}")
    return 0


def _retention(args: argparse.Namespace) -> int:
    del args
    settings = get_settings()
    with Session(current_engine()) as session:
        done = retention.apply_retention(session, settings)
    idle = (
        f"{done.accounts_erased} accounts unused for {settings.idle_account_years} years erased"
        if settings.idle_account_years
        else "idle accounts kept (PROBONO_IDLE_ACCOUNT_YEARS is not set)"
    )
    print(
        f"{done.sign_ins_deleted} sign-in attempts older than {settings.sign_in_log_days} days "
        f"and {done.sessions_deleted} expired sessions deleted; {idle}"
    )
    return 0
