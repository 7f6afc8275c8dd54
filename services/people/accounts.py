"""Accounts for people who sign in: signing up, signing in (argon2 passwords, slowed down after
repeated failures), browser sessions, and a person's own data — downloaded whole, or erased.
"""

import hashlib
import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session

from models import (
    Account,
    Cause,
    Conflict,
    InvalidData,
    LoginAttempt,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    WebSession,
    persisted_id,
    queries,
    utcnow,
)
from services.credentials.urls import PublicUrls
from services.errors import NotSignedIn, TooManyAttempts
from services.people.associations import Proof, record_proof

SESSION_DAYS = 14
MIN_PASSWORD = 10
MAX_PASSWORD = 200
# Failed sign-ins tolerated in the window, per account and per address, before waiting.
FAILURES_PER_ACCOUNT, FAILURES_PER_ADDRESS = 5, 20
FAILURE_WINDOW = timedelta(minutes=15)
# Past its allowance nothing is locked: each further try waits a delay after the last failure,
# doubling from 1 s up to this, so that guessing slows to one password a minute while the
# account's owner (or a colleague behind the same office address) waits a minute at most, and
# not at all from an address they signed in from.
MAX_DELAY = timedelta(seconds=60)
LOCALES = ("fr", "en")

_hasher = PasswordHasher()  # argon2id, the library's (OWASP-level) defaults
# Compared against when the account does not exist, so that timing says nothing.
_DUMMY = _hasher.hash("an account that does not exist")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalised_email(email: str) -> str:
    """Raises:
    InvalidData: not an email address."""
    try:
        found = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidData(f"not a valid email address: {exc}", field="email") from None
    return found.normalized.lower()


def check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidData(
            f"choose a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters", field="password"
        )


def set_password(session: Session, accounts: list[Account], password: str) -> None:
    """Gives these accounts one password (the demo's): hashed once, for they share it."""
    check_password(password)
    hashed = _hasher.hash(password)
    for account in accounts:
        account.password_hash = hashed
        session.add(account)
    session.commit()


def sign_up(
    session: Session, *, email: str, password: str, display_name: str, locale: str
) -> Account:
    address = normalised_email(email)
    check_password(password)
    name = display_name.strip()
    if not 1 <= len(name) <= 120:
        raise InvalidData("give a name of 1 to 120 characters", field="display_name")
    if queries.organisations.find_account(session, address) is not None:
        raise Conflict(
            "an account already uses this email: sign in instead",
        )
    account = Account(
        email=address,
        display_name=name,
        password_hash=_hasher.hash(password),
        locale=locale if locale in LOCALES else "fr",
    )
    session.add(account)
    session.commit()
    return account


@dataclass(frozen=True)
class SignedIn:
    account: Account
    token: str  # for the session cookie; only its hash is stored


def sign_in(session: Session, *, email: str, password: str, address: str) -> SignedIn:
    """Raises:
    TooManyAttempts: too many failures lately for this address, or for this account (then
        only a short, growing delay; see `_wait_before_sign_in`).
    NotSignedIn: wrong email or password (the message does not say which)."""
    wanted = email.strip().lower()
    wait = _wait_before_sign_in(session, wanted, address)
    if wait > 0:
        raise TooManyAttempts(
            f"too many failed sign-ins: wait {wait} s before trying again", retry_after=wait
        )
    account = queries.organisations.find_account(session, wanted)
    stored = account.password_hash if account is not None and account.is_active else None
    try:
        _hasher.verify(stored or _DUMMY, password)
        ok = stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    session.add(LoginAttempt(email=wanted, address=address, succeeded=ok))
    if not ok or account is None:
        session.commit()
        raise NotSignedIn("wrong email or password")
    if _hasher.check_needs_rehash(stored or ""):
        account.password_hash = _hasher.hash(password)
    account.last_login_at = utcnow()
    return SignedIn(account, open_session(session, account))


def _wait_before_sign_in(session: Session, email: str, address: str) -> int:
    """Seconds before this address may try to sign in to this account (0: at once).

    An account or an address past its allowance only slows down: a growing delay after its
    last failure, a minute at most. The account's delay does not apply from an address it
    signed in from lately, so that nobody can keep its owner out by failing on purpose."""
    now = utcnow()
    since = now - FAILURE_WINDOW
    known = queries.organisations.signed_in_from(
        session, email=email, address=address, since=now - timedelta(days=SESSION_DAYS)
    )
    failures = queries.organisations.sign_in_failures
    waits = [0.0]
    for allowance, (count, last) in (
        (FAILURES_PER_ADDRESS, failures(session, since=since, address=address)),
        (FAILURES_PER_ACCOUNT, (0, None) if known else failures(session, since=since, email=email)),
    ):
        if count >= allowance and last is not None:
            delay = min(timedelta(seconds=2 ** min(count - allowance, 10)), MAX_DELAY)
            waits.append((last + delay - now).total_seconds())
    return max(0, math.ceil(max(waits)))


def first_session(session: Session, account: Account, address: str) -> str:
    """The session of an account just made: no password to check, nothing to slow down (the
    address's failures belong to others), and the address known to the account from now on."""
    session.add(LoginAttempt(email=account.email, address=address, succeeded=True))
    return open_session(session, account)


def open_session(session: Session, account: Account) -> str:
    """A new web session for the account; returns the cookie's token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_sha256=_digest(token),
            account_id=persisted_id(account.id),
            expires_at=utcnow() + timedelta(days=SESSION_DAYS),
        )
    )
    session.commit()
    return token


def account_of_session(session: Session, token: str | None) -> Account | None:
    """The signed-in account of a session cookie, or None (unknown, expired, deactivated)."""
    if not token:
        return None
    found = queries.organisations.find_web_session(session, _digest(token))
    if found is None:
        return None
    web_session, account = found
    if web_session.expires_at <= utcnow() or not account.is_active:
        return None
    return account


def sign_out(session: Session, token: str | None) -> None:
    if token:
        queries.organisations.delete_web_session(session, _digest(token))
        session.commit()


def export_data(session: Session, account: Account, base_url: str) -> dict[str, Any]:
    """Everything the service holds about the person, as JSON (GDPR access and portability)."""
    urls = PublicUrls.of(base_url)
    account_id = persisted_id(account.id)
    found: dict[str, Any] = {
        "account": {
            "email": account.email,
            "display_name": account.display_name,
            "locale": account.locale,
            "created_at": account.created_at.isoformat(),
            "last_login_at": account.last_login_at.isoformat() if account.last_login_at else None,
        },
        "memberships": [
            {"organisation_id": m.organisation_id, "role": m.role.value}
            for m in queries.organisations.memberships(session, account_id)
        ],
        "messages": [
            {"mission_id": m.mission_id, "created_at": m.created_at.isoformat(), "body": m.body}
            for m in queries.notifications.messages_by(session, account_id)
        ],
    }
    profile = queries.profiles.find_profile_by_account(session, account_id)
    if profile is not None:
        profile_id = persisted_id(profile.id)
        found["volunteer_profile"] = profile.model_dump(mode="json", exclude={"id", "account_id"})
        found["volunteer_profile"]["languages"] = queries.profiles.profile_languages(
            session, [profile_id]
        ).get(profile_id, [])
        found["competences"] = [
            {"framework": framework, "code": code, "level": level, "source": source}
            for framework, code, level, source in queries.profiles.profile_claim_rows(
                session, profile_id
            )
        ]
        missions = queries.missions.missions_of(
            session, volunteer_id=profile_id, organisation_ids=[], limit=10_000
        )
        found["missions"] = [
            {
                **m.model_dump(mode="json", exclude={"version"}),
                "hours": [
                    h.model_dump(mode="json")
                    for h in queries.missions.hours_of(session, persisted_id(m.id))
                ],
            }
            for m in missions
        ]
        found["credentials"] = [
            {"id": m.credential_id, "page": urls.credential(m.credential_id)}
            for m in missions
            if m.credential_id
        ]
    return found


def erase_account(session: Session, account: Account) -> None:
    """Erases the person: their name, email, password, profile text, stated competences and
    sessions. Missions and hours stay, without anyone's identity, so that associations' and
    companies' figures stay right, and so do their messages (by a former member), so that the
    other side's conversations still read right; issued credentials stay verifiable (they
    carry only a salted hash of the email, which nothing can now tie to a person)."""
    account_id = persisted_id(account.id)
    account.email = f"erased-{account_id}-{secrets.token_hex(4)}@erased.invalid"
    account.display_name = "—"
    account.password_hash = None
    account.is_active = False
    queries.organisations.delete_sessions_of(session, account_id)
    queries.organisations.delete_tokens_of(session, account_id)
    profile = queries.profiles.find_profile_by_account(session, account_id)
    if profile is not None:
        profile.headline, profile.about, profile.is_open = "", "", False
        profile.available_from = profile.available_until = None
        queries.profiles.erase_profile_details(session, persisted_id(profile.id))
    # Their messages stay in the missions' conversations (the other side's too), by nobody;
    # what they were told, and their choices, go.
    queries.notifications.forget_author(session, account_id)
    queries.notifications.forget_account(session, account_id)
    account.timezone, account.weekly_digest = None, False
    account.bounced_at = account.bounce_detail = None
    session.commit()


def _slug(session: Session, name: str) -> str:
    base = "".join(
        c if c.isalnum() else "-"
        for c in unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ).strip("-")
    base = "-".join(part for part in base.split("-") if part)[:60] or "association"
    slug, number = base, 1
    while queries.organisations.find_organisation(session, slug) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def register_association(
    session: Session,
    account: Account,
    *,
    name: str,
    city: str,
    country: str,
    cause: Cause | None = None,
    website: str | None = None,
    description: str = "",
    proof: Proof | None = None,
) -> Organisation:
    """A new association, with the account as its first member, waiting for a platform
    admin to verify the identifier (or document) it gave."""
    name, city, country = name.strip(), city.strip(), country.strip().upper()
    if not 1 <= len(name) <= 200:
        raise InvalidData("give the association's name", field="association_name")
    if not 1 <= len(city) <= 120:
        raise InvalidData("give the association's city", field="city")
    if len(country) != 2 or not country.isalpha():
        raise InvalidData("give the country as two letters, such as FR", field="country")
    organisation = Organisation(
        slug=_slug(session, name),
        name=name,
        kind=OrganisationKind.ASSOCIATION,
        cause=cause,
        city=city,
        country=country,
        website=website or None,
        description=description.strip(),
    )
    session.add(organisation)
    session.flush()
    if proof is not None:
        record_proof(session, organisation, proof)
    session.add(
        Membership(
            account_id=persisted_id(account.id),
            organisation_id=persisted_id(organisation.id),
            role=MemberRole.ASSOCIATION_MEMBER,
        )
    )
    session.commit()
    return organisation
