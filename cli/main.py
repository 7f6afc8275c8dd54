"""The `probono` command: set-up, data import and export, and serving the API.

The only module that knows exit codes: errors of the lower layers become `error: …` and 1.
"""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from badges.errors import BadgeError
from cli import (
    association_commands,
    badge_commands,
    data_commands,
    eval_commands,
    match_commands,
    mission_commands,
    model_commands,
    report_commands,
    setup_commands,
    skills_commands,
)
from config import SettingsError
from matching import MatchingError
from matching.embedders import ModelUnavailable
from models import DataError
from reporting.valuation import RulesError

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="probono",
        description="Pro bono skills matching: set-up, data and service.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    setup_commands.register(commands)
    data_commands.register(commands)
    model_commands.register(commands)
    model_commands.register_embed(commands)
    skills_commands.register(commands)
    match_commands.register(commands)
    eval_commands.register(commands)
    mission_commands.register(commands)
    badge_commands.register(commands)
    report_commands.register(commands)
    association_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args)
    except (
        DataError,
        MatchingError,
        ModelUnavailable,
        SettingsError,
        BadgeError,
        RulesError,
    ) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    sys.exit(main())
