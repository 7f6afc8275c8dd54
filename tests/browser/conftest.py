"""The app served on localhost by `probono serve` (the real model, a real database file), and
headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) looking at it. Pages are
checked with axe-core and photographed into test-artifacts/."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlmodel import Session

import models
from config import REPOSITORY, Environment, Settings
from tests.served import environment, free_port, probono_serve

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


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The settings of the served app: tests write what a page should show through them."""
    folder = tmp_path_factory.mktemp("live")
    return Settings(
        database_url=f"sqlite:///{folder / 'live.db'}",
        var_dir=folder / "var",
        public_base_url=f"http://127.0.0.1:{free_port()}",
        env=Environment.DEVELOPMENT,
    )


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """`probono init --no-demo` then `probono serve` on a free port, with its own database."""
    folder = live_settings.var_dir.parent
    base = live_settings.public_base_url
    port = int(base.rsplit(":", 1)[1])
    env = environment(live_settings)
    subprocess.run(
        [sys.executable, "-m", "cli", "init", "--no-demo"], env=env, check=True, capture_output=True
    )
    with probono_serve(env, port, folder):
        yield base


@pytest.fixture
def live_session(live_server: str, live_settings: Settings) -> Iterator[Session]:
    """The served app's own database, written as the product would have."""
    del live_server  # started: its database is migrated
    engine = models.make_engine(live_settings.database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


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
