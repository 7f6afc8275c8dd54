"""The addresses the service publishes badges at.

Badges carry the service's address (PROBONO_PUBLIC_BASE_URL) for years, in their issuer, key
and status URLs, and verifiers fetch those. So every address badges were published at is
recorded, and the service answers for each of them with documents named at that address: a
badge issued at an old address still verifies, here and anywhere, as long as the old address
reaches this service. Starting at an address never recorded is refused (a typo would issue
badges nobody can verify); moving is said on purpose, with `probono issuers move-address`.
"""

from urllib.parse import urlsplit

from sqlmodel import Session

from config import Settings
from models import InvalidData, queries
from services.credentials.urls import PublicUrls


def current(settings: Settings) -> str:
    return PublicUrls.of(settings.public_base_url).base


def known(session: Session, settings: Settings) -> list[str]:
    """The current address first, then the others badges were published at."""
    recorded = queries.credentials.public_addresses(session)
    return [current(settings), *(base for base in recorded if base != current(settings))]


def check(session: Session, settings: Settings) -> None:
    """Raises:
    InvalidData: badges were published at other addresses, never at the configured one."""
    recorded = queries.credentials.public_addresses(session)
    here = current(settings)
    if recorded and here not in recorded:
        last = recorded[-1]
        raise InvalidData(
            f"this service published its badges at {last}, but PROBONO_PUBLIC_BASE_URL is "
            f"{here}: every badge would fail verification. To move the service there, run "
            f"`probono issuers move-address {last} {here}` (badges issued at {last} stay "
            f"verifiable as long as {last} still reaches this service); otherwise set "
            f"PROBONO_PUBLIC_BASE_URL={last}"
        )


def record(session: Session, settings: Settings) -> None:
    """Records the configured address, where badges are about to be published (flushed).

    Raises:
        InvalidData: see `check`."""
    check(session, settings)
    queries.credentials.record_public_address(session, current(settings))


def _address(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise InvalidData(f"{url!r} is not an address such as https://badges.example.org")
    return PublicUrls.of(url).base


def move(session: Session, old: str, new: str) -> int:
    """Makes `new` an address of the service, `old` staying one for the badges issued there;
    issuers whose home page was at `old` get it at `new`. Returns how many issuers moved.

    Raises:
        InvalidData: `old` was never an address of the service, or either is no address."""
    old, new = _address(old), _address(new)
    recorded = queries.credentials.public_addresses(session)
    if old not in recorded:
        known = ", ".join(recorded) or "none yet"
        raise InvalidData(f"{old} is not an address badges were published at (known: {known})")
    queries.credentials.record_public_address(session, new)
    moved = 0
    for issuer in queries.credentials.issuers(session):
        if issuer.url == old or issuer.url.startswith(old + "/"):
            issuer.url = new + issuer.url[len(old) :]
            session.add(issuer)
            moved += 1
    session.commit()
    return moved
