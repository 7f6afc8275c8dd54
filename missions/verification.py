"""Verifying a badge for a badge verifier: our own documents are read from the database (the
same ones the API publishes), so verification needs no network; other issuers' documents are
fetched over HTTPS, from public addresses only, when the settings allow it."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session

from badges.conformance import Documents
from badges.keysets import KeySets
from badges.report import Fetched, FetchError, Report
from badges.verify import verify
from config import Settings
from missions import fetching, publication
from missions.urls import PublicUrls
from models import utcnow


class LocalResolver:
    """Resolves our URLs from the database; others over the network if allowed."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session, self.settings = session, settings
        self.urls = PublicUrls.of(settings.public_base_url)

    def fetch(self, url: str, *, accept: str) -> Fetched:
        if self.urls.owns(url):
            found = publication.serve(self.session, self.settings, self.urls.path(url))
            return Fetched(found.status, found.media_type, found.body)
        if not self.settings.verify_fetch_external:
            raise FetchError(
                f"{url} is not one of this service's documents, and fetching other issuers' "
                "documents is off (PROBONO_VERIFY_FETCH_EXTERNAL)"
            )
        return fetching.fetch(url, accept=accept)


# The key sets of issuers this process has verified badges of (kept a few minutes).
_KEYSETS = KeySets()


def forget_key_sets() -> None:
    """Drops the kept key sets (tests; an operator after removing a compromised key)."""
    _KEYSETS.clear()


@lru_cache(maxsize=4)
def documents(folder: Path) -> Documents:
    """The local contexts and schema, parsed once per process."""
    return Documents(folder)


def verify_badge(
    session: Session,
    settings: Settings,
    data: bytes | str,
    *,
    email: str | None = None,
    now: datetime | None = None,
) -> Report:
    return verify(
        data,
        resolver=LocalResolver(session, settings),
        documents=documents(settings.data_dir / "openbadges"),
        now=now or utcnow(),
        email=email,
        keysets=_KEYSETS,
    )
