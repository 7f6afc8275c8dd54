"""`probono init` then `probono serve`: a real server process answers on localhost; it
refuses to start on a database that was never set up, and believes forwarded client addresses
from the trusted proxies only."""

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
    probono = _probono()
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
            health = _wait_for(server, port)
            assert health.status_code == 200
            assert health.json()["competences"]["esco-1.1.1"] == 13412
            docs = httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5)
            assert "swagger" in docs.text.lower()
        finally:
            server.terminate()
            server.wait(timeout=30)


def _probono() -> str:
    return str(Path(sys.executable).parent / "probono")


def _wait_for(server: subprocess.Popen[bytes], port: int) -> httpx.Response:
    """The server's first health answer (two workers each loading the model are slow on a
    busy 2-core machine, hence the margin)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    server.terminate()
    output = server.communicate(timeout=30)[0].decode(errors="replace")
    raise AssertionError(f"the server did not answer within {STARTUP_SECONDS} s:\n{output[-3000:]}")


def test_serving_a_database_never_set_up_is_refused_with_what_to_run(tmp_path: Path) -> None:
    env = os.environ | {"PROBONO_VAR_DIR": str(tmp_path / "var")}
    refused = subprocess.run(
        [_probono(), "serve", "--port", str(_free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0
    assert "run `probono init`" in refused.stderr


def _verifications(env: dict[str, str], count: int) -> list[int]:
    """`count` verifications from this machine, each claiming another client address."""
    port = _free_port()
    server = subprocess.Popen(
        [_probono(), "serve", "--port", str(port)],
        env=env | {"PROBONO_PRELOAD_MODEL": "false"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(server, port)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            return [
                http.post(
                    "/api/v1/verify",
                    json={"badge": "not a badge"},
                    headers={"X-Forwarded-For": f"198.51.100.{n % 250}"},
                ).status_code
                for n in range(count)
            ]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_forwarded_addresses_count_only_from_trusted_proxies(tmp_path: Path) -> None:
    env = os.environ | {"PROBONO_VAR_DIR": str(tmp_path / "var")}
    subprocess.run([_probono(), "migrate"], env=env, check=True, capture_output=True)
    # No proxy trusted (the default): a local client writing the header is still one client.
    statuses = _verifications(env, 70)
    assert statuses[:60] == [200] * 60
    assert statuses[60:] == [429] * 10
    # Behind a proxy on this machine, each forwarded client has its own allowance.
    statuses = _verifications(env | {"PROBONO_TRUSTED_PROXIES": "127.0.0.1"}, 70)
    assert statuses == [200] * 70
