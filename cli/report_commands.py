"""`probono report` (a programme's engagement over a period, as a table, JSON, CSV or XLSX)
and `probono costs import` (what a company enters to value its employees' time)."""

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

from config import get_settings
from models import InvalidData, utcnow
from reporting import costs, exports, figures, labels
from reporting.valuation import cents
from services.runtime import current_engine

FORMATS = ("table", "json", "csv", "xlsx")


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report", help="a programme's figures, competences transferred and valuation"
    )
    report.add_argument("--programme", required=True, help="the programme's slug")
    report.add_argument(
        "--from",
        dest="start",
        type=date.fromisoformat,
        help="first day (default: 1 January this year)",
    )
    report.add_argument(
        "--to", dest="end", type=date.fromisoformat, help="last day, included (default: today)"
    )
    report.add_argument("--format", choices=FORMATS, default="table")
    report.add_argument("--language", choices=("en", "fr"), default="en")
    report.add_argument("-o", "--output", type=Path, help="file to write (xlsx needs one)")
    report.set_defaults(handler=_report)

    cost = commands.add_parser("costs", help="employee costs, pay bands and turnover")
    actions = cost.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser("import", help="import a CSV of costs for one company")
    load.add_argument("--company", required=True, help="the company's slug")
    load.add_argument("file", type=Path)
    load.set_defaults(handler=_costs)


def _period(args: argparse.Namespace) -> figures.Period:
    today = utcnow().date()
    try:
        return figures.Period(args.start or date(today.year, 1, 1), args.end or today)
    except ValueError as exc:
        raise InvalidData(str(exc)) from None


def _report(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and args.output is None:
        raise InvalidData("--format xlsx needs --output FILE")
    settings = get_settings()
    with Session(current_engine()) as session:
        report = figures.build(session, settings, args.programme, _period(args), args.language)
    if args.format == "table":
        lines = exports.summary(report, labels.LABELS[args.language])
        width = max(len(name) for name, _ in lines)
        content = "".join(
            f"{name:<{width}}  {'' if value is None else exports.plain(value)}\n"
            for name, value in lines
        ).encode("utf-8")
    else:
        content = exports.render(report, args.format, args.language)
    if args.output is None:
        sys.stdout.write(content.decode("utf-8"))
        if args.format == "json":
            sys.stdout.write("\n")
    else:
        args.output.write_bytes(content)
    if args.output is not None:
        print(
            f"{args.output}: {report.programme.name}, {report.period.start} to "
            f"{report.period.end}, value {cents(report.valuation.value)} "
            f"{_currency(report)}",
            file=sys.stderr,
        )
    return 0


def _currency(report: figures.Report) -> str:
    years = report.valuation.years
    return next(iter(years.values())).rule.currency if years else ""


def _costs(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise InvalidData(f"no such file: {args.file}")
    with Session(current_engine()) as session:
        company = costs.company_of(session, args.company)
        with tqdm(desc="importing costs", unit=" rows", file=sys.stderr, disable=None) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            found = costs.import_costs(
                session, company, args.file.read_text(encoding="utf-8"), progress
            )
    for error in found.errors:
        print(f"{args.file}:{error}", file=sys.stderr)
    print(f"costs: {found.saved} saved, {len(found.errors)} errors")
    return 0 if found.ok else 1
