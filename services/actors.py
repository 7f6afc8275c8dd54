"""Who is acting: an account, with the roles its profile and memberships give it, found from
an API token. Every use-case that changes a mission or a credential takes an `Actor` and
checks it itself, so the API and the CLI apply the same rules."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session

from models import Account, ApiToken, MemberRole, persisted_id, queries, utcnow
from services.errors import NotAllowed, NotSignedIn

TOKEN_PREFIX = "pb_"  # makes a leaked token easy to recognise (and to scan for)


@dataclass(frozen=True)
class Actor:
    account_id: int
    email: str
    display_name: str
    profile_id: int | None  # set when the account is a volunteer
    associations: frozenset[int]  # organisations the account is an association member of
    is_admin: bool = False
    managed: frozenset[int] = frozenset()  # companies and foundations it manages

    def require_volunteer(self, profile_id: int) -> None:
        if self.profile_id != profile_id:
            raise NotAllowed("only the volunteer of this mission can do that")

    def require_member(self, organisation_id: int) -> None:
        if organisation_id not in self.associations:
            raise NotAllowed("only a member of the mission's association can do that")


# Whoever runs the command line on the service's machine holds the database itself: the
# commands that only read (`probono match`) act with an admin's rights, as they always could.
OPERATOR = Actor(0, "", "the operator", None, frozenset(), is_admin=True)


def actor_of(session: Session, account: Account) -> Actor:
    account_id = persisted_id(account.id)
    profile = queries.profiles.find_profile_by_account(session, account_id)
    memberships = queries.organisations.memberships(session, account_id)
    associations = frozenset(
        m.organisation_id for m in memberships if m.role is MemberRole.ASSOCIATION_MEMBER
    )
    managed = frozenset(
        m.organisation_id
        for m in memberships
        if m.role in (MemberRole.COMPANY_MANAGER, MemberRole.FOUNDATION_MANAGER)
    )
    return Actor(
        account_id,
        account.email,
        account.display_name,
        None if profile is None else profile.id,
        associations,
        account.is_platform_admin,
        managed,
    )


def actor_by_email(session: Session, email: str) -> Actor:
    """For the command line, which acts for a named account on the operator's machine."""
    return actor_of(session, queries.organisations.get_account(session, email.strip().lower()))


TOKEN_USE_PRECISION = timedelta(minutes=10)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, email: str, *, name: str = "") -> str:
    """A new API token for the account; only its hash is kept, so it is shown only now."""
    account = queries.organisations.get_account(session, email.strip().lower())
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(account_id=persisted_id(account.id), token_sha256=_digest(token), name=name)
    )
    session.commit()
    return token


def actor_for_token(session: Session, token: str | None) -> Actor:
    """Raises:
    NotSignedIn: no token, an unknown one, or one of a deactivated account."""
    if not token:
        raise NotSignedIn("this action needs an account: send 'Authorization: Bearer <token>'")
    found = queries.organisations.find_token(session, _digest(token))
    if found is None or not found[1].is_active:
        raise NotSignedIn("the API token is unknown or has been withdrawn")
    api_token, account = found
    now = utcnow()
    # To the ten minutes: a write on every request would make readers wait for writers.
    if api_token.last_used_at is None or now - api_token.last_used_at > TOKEN_USE_PRECISION:
        api_token.last_used_at = now
    return actor_of(session, account)
