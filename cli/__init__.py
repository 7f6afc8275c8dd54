"""The command-line interface (`probono …`)."""

from cli.main import build_parser, main

__all__ = ["build_parser", "main"]
