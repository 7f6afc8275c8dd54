"""Verifying a badge for a badge verifier: our own documents are read from the database (the
same ones the API publishes), so verification needs no network; other issuers' documents are
fetched over HTTPS, from public addresses only, when the settings allow it."""

import re
from datetime import datetime

from sqlmodel import Session

from badges.keysets import KeySets
from badges.report import Fetched, FetchError, Report
from badges.verify import verify
from config import Settings
from models import utcnow
from services.credentials import addresses, fetching, issuers, publication
from services.credentials.urls import PublicUrls


class LocalResolver:
    """Resolves our URLs, at any of the service's addresses, from the database; others over
    the network if allowed."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self.session, self.settings = session, settings
        self._ours: list[PublicUrls] | None = None

    def ours(self, url: str) -> PublicUrls | None:
        """The address of ours the URL is at, if any (read once per verification)."""
        if self._ours is None:
            known = addresses.known(self.session, self.settings)
            self._ours = [PublicUrls.of(base) for base in known]
        return next((urls for urls in self._ours if urls.owns(url)), None)

    def fetch(self, url: str, *, accept: str) -> Fetched:
        # A did:web names its DID document over HTTPS whatever the address it was made at:
        # a service at an http address (development) serves it there.
        plain = "http://" + url.removeprefix("https://") if url.startswith("https://") else url
        for candidate in (url, plain):
            urls = self.ours(candidate)
            if urls is not None:
                found = publication.serve(
                    self.session, self.settings, urls.path(candidate), urls.base, accept
                )
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


# A credential's public page (the link people share) and its unsigned JSON: the badge behind
# them is the signed one.
_PAGE = re.compile(r"^/credentials/(?P<id>[A-Za-z0-9-]+)(?:\.json)?/?$")


def _badge_behind(resolver: LocalResolver, data: bytes | str) -> bytes | str:
    if not isinstance(data, str):
        return data
    url = data.strip()
    urls = resolver.ours(url) if url.startswith(("http://", "https://")) else None
    found = None if urls is None else _PAGE.match(urls.path(url).split("?", 1)[0])
    return data if urls is None or found is None else urls.credential(found["id"], ".jwt")


def verify_badge(
    session: Session,
    settings: Settings,
    data: bytes | str,
    *,
    email: str | None = None,
    now: datetime | None = None,
) -> Report:
    resolver = LocalResolver(session, settings)
    return verify(
        _badge_behind(resolver, data),
        resolver=resolver,
        documents=issuers.documents(settings),
        now=now or utcnow(),
        email=email,
        keysets=_KEYSETS,
    )
