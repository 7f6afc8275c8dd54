"""`python -m cli`, the same as the `probono` command."""

from cli.main import entry

entry()
