"""The app served on localhost by `probono serve` (the real model, a real database file), and
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) looking at it. Pages are
checked with axe-core and photographed into test-artifacts/."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from config import REPOSITORY, Environment, Settings

CHROMIUM = Path(os.environ.get("PROBONO_CHROMIUM", "/usr/bin/chromium"))
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPOSITORY / "test-artifacts" / "browser"
# Chromium's own calls home are refused by this machine's closed network; turn them off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The settings of the served app: tests write what a page should show through them."""
    folder = tmp_path_factory.mktemp("live")
    return Settings(
        database_url=f"sqlite:///{folder / 'live.db'}",
        var_dir=folder / "var",
        public_base_url=f"http://127.0.0.1:{_free_port()}",
        env=Environment.DEVELOPMENT,
    )


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """`probono init --no-demo` then `probono serve` on a free port, with its own database."""
    folder = live_settings.var_dir.parent
    base = live_settings.public_base_url
    port = int(base.rsplit(":", 1)[1])
    env = {
        **os.environ,
        "PROBONO_DATABASE_URL": live_settings.database_url,
        "PROBONO_VAR_DIR": str(live_settings.var_dir),
        "PROBONO_PUBLIC_BASE_URL": base,
        "PROBONO_ENV": "development",
    }
    command = [sys.executable, "-m", "cli"]
    subprocess.run([*command, "init", "--no-demo"], env=env, check=True, capture_output=True)
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2):
                break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()) from None
            time.sleep(0.5)
    else:
        server.kill()
        raise RuntimeError("the server did not start: " + (folder / "server.log").read_text())
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"no Chromium at {CHROMIUM}: install Debian's chromium (make test does, as root)"
        )
    if not AXE.exists():
        raise RuntimeError(f"no axe-core at {AXE}: run `npm ci` (make test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser: Browser, base: str, locale: str) -> Page:
    """A fresh browser context (its own cookies) whose language is `locale`."""
    context = browser.new_context(
        base_url=base,
        locale=locale,
        extra_http_headers={"Accept-Language": locale},
        accept_downloads=True,
        bypass_csp=True,  # lets the test inject axe-core; the pages keep their policy
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page
