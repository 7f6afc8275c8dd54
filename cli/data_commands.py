"""`probono import | export` of volunteers and needs (JSON lines or CSV)."""

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

from missions import transfer
from missions.runtime import current_engine
from models import InvalidData

_KINDS = [kind.value for kind in transfer.Kind]
_FORMATS = [fmt.value for fmt in transfer.Format]


def register(commands: Any) -> None:
    imp = commands.add_parser("import", help="import volunteers or needs from JSONL or CSV")
    imp.add_argument("kind", choices=_KINDS)
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=_FORMATS, help="default: from the file name")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser("export", help="export volunteers or needs as JSONL or CSV")
    exp.add_argument("kind", choices=_KINDS)
    exp.add_argument("--format", choices=_FORMATS, default="jsonl")
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    exp.set_defaults(handler=_export)


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
