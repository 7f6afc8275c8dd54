"""`probono serve` on a free port of this machine, for the tests that need the real service
(the browser tests, the outside verifiers)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(settings: Settings) -> dict[str, str]:
    """The environment a `probono` command runs in for these settings (development)."""
    return {
        **os.environ,
        "PROBONO_DATABASE_URL": settings.database_url,
        "PROBONO_VAR_DIR": str(settings.var_dir),
        "PROBONO_PUBLIC_BASE_URL": settings.public_base_url,
        "PROBONO_ENV": "development",
    }


@contextmanager
def probono_serve(environment: dict[str, str], port: int, folder: Path) -> Iterator[str]:
    """The service on `port`, its log in `folder`, stopped on leaving; its local address."""
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    local = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{local}/api/v1/health", timeout=2):
                break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()) from None
            time.sleep(0.5)
    else:
        server.kill()
        raise RuntimeError("the server did not start: " + (folder / "server.log").read_text())
    try:
        yield local
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
