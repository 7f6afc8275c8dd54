"""Our badges checked by verifiers we did not write, against the real service.

`probono init` (with its demo badges) and `probono serve` run on a free port with their own
database, published as https://badges.example.test: the badges name that address, and each
outside verifier's network is pointed at the port (DCC verifier-core's fetch, openbadgeslib's
download seam, validator-core's requests adapter). Nothing leaves the machine.
"""

import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import models
from config import Environment, Settings
from tests.served import environment, free_port, probono_serve

PUBLIC = "https://badges.example.test"


@dataclass(frozen=True)
class Site:
    """The served service: its public address, where it really listens, and its settings."""

    public: str
    local: str  # http://127.0.0.1:PORT
    settings: Settings
    folder: Path

    def local_url(self, url: str) -> str:
        """Where a URL the badges name is really served."""
        if not url.startswith(self.public + "/"):
            raise AssertionError(f"a verifier asked for {url}: not one of the service's URLs")
        return self.local + url[len(self.public) :]

    def get(self, url: str, accept: str | None = None) -> tuple[int, str, bytes]:
        """Status, media type and body of one of the service's URLs, fetched over HTTP."""
        request = urllib.request.Request(self.local_url(url))
        if accept:
            request.add_header("Accept", accept)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, answer.headers.get_content_type(), answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read()

    @cached_property
    def engine(self) -> Engine:
        return models.make_engine(self.settings.database_url)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def probono(self, *arguments: str) -> str:
        """A `probono` command on the served database; its output."""
        done = subprocess.run(
            [sys.executable, "-m", "cli", *arguments],
            env=environment(self.settings),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("interop")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'probono.db'}",
        var_dir=folder / "var",
        public_base_url=PUBLIC,
        env=Environment.DEVELOPMENT,
    )
    port = free_port()
    env = environment(settings)
    subprocess.run([sys.executable, "-m", "cli", "init"], env=env, check=True, capture_output=True)
    with probono_serve(env, port, folder) as local:
        yield Site(PUBLIC, local, settings, folder)
