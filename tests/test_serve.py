"""`probono init` then `probono serve`: a real server process answers on localhost."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.databases import fresh_database

STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_service_starts_and_reports_healthy(backend: str, tmp_path: Path) -> None:
    probono = str(Path(sys.executable).parent / "probono")
    with fresh_database(backend, tmp_path) as url:
        env = os.environ | {"PROBONO_DATABASE_URL": url, "PROBONO_VAR_DIR": str(tmp_path / "var")}
        subprocess.run([probono, "init", "--no-demo"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen(
            [probono, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            health = None
            # Two workers each load the model: slow on a busy 2-core machine, hence the margin.
            deadline = time.monotonic() + STARTUP_SECONDS
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.3)
            if health is None:
                server.terminate()
                output = server.communicate(timeout=30)[0].decode(errors="replace")
                raise AssertionError(
                    f"the server did not answer within {STARTUP_SECONDS} s:\n{output[-3000:]}"
                )
            assert health.status_code == 200
            assert health.json()["competences"]["esco-1.1.1"] == 13412
            docs = httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5)
            assert "swagger" in docs.text.lower()
        finally:
            server.terminate()
            server.wait(timeout=30)
