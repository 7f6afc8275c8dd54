"""The `probono` command: set-up, data import and export, and serving the API.

The only module that knows exit codes (`EXIT_CODES`).
"""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

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
    worker_commands,
)
from errors import ProbonoError

Handler = Callable[[argparse.Namespace], int]

# The one table of exit codes. Every error the product raises on purpose (errors.ProbonoError,
# whichever layer) is its message on standard error and 1; an interruption is 130, as shells
# report SIGINT. Anything else is a bug and keeps its traceback.
EXIT_CODES: dict[type[BaseException], int] = {ProbonoError: 1, KeyboardInterrupt: 130}
_MESSAGES: dict[type[BaseException], str] = {KeyboardInterrupt: "interrupted"}


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
    worker_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    handler: Handler = args.handler
    try:
        return handler(args)
    except tuple(EXIT_CODES) as exc:
        print(_MESSAGES.get(type(exc), "error: {exc}").format(exc=exc), file=sys.stderr)
        return next(EXIT_CODES[cls] for cls in type(exc).__mro__ if cls in EXIT_CODES)


def entry() -> None:
    sys.exit(main())
