"""Organisations, programmes, accounts, memberships, tokens and sessions. Nothing here
commits."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import OrganisationKind, Verification
from models.errors import NotFound
from models.tables import (
    Account,
    ApiToken,
    AssociationDocument,
    LoginAttempt,
    Membership,
    Mission,
    Need,
    Organisation,
    Programme,
    WebSession,
)
from models.types import persisted_id


def find_organisation(session: Session, slug: str) -> Organisation | None:
    return session.exec(select(Organisation).where(col(Organisation.slug) == slug)).first()


def is_verified(session: Session, organisation_id: int) -> bool:
    """Whether a platform admin verified the association (its missions issue badges)."""
    found = session.exec(
        select(Organisation.verification).where(col(Organisation.id) == organisation_id)
    ).first()
    return found is Verification.VERIFIED


def get_organisation(session: Session, slug: str) -> Organisation:
    organisation = find_organisation(session, slug)
    if organisation is None:
        raise NotFound(f"no organisation {slug!r}")
    return organisation


def list_organisations(
    session: Session, *, kind: OrganisationKind | None = None, limit: int = 100, offset: int = 0
) -> list[Organisation]:
    statement = select(Organisation)
    if kind is not None:
        statement = statement.where(col(Organisation.kind) == kind)
    statement = statement.order_by(col(Organisation.name)).limit(limit).offset(offset)
    return list(session.exec(statement))


def organisation_slugs(session: Session) -> dict[int, str]:
    return {
        id_: slug for id_, slug in session.exec(select(Organisation.id, Organisation.slug)) if id_
    }


def find_programme(session: Session, slug: str) -> Programme | None:
    return session.exec(select(Programme).where(col(Programme.slug) == slug)).first()


def programme_slugs(session: Session) -> dict[int, str]:
    return {id_: slug for id_, slug in session.exec(select(Programme.id, Programme.slug)) if id_}


def demo_accounts(session: Session) -> list[Account]:
    """The demo set's accounts (all on example.org) that have no password yet."""
    return list(
        session.exec(
            select(Account).where(
                col(Account.email).endswith("@example.org"), col(Account.password_hash).is_(None)
            )
        )
    )


def find_account(session: Session, email: str) -> Account | None:
    return session.exec(select(Account).where(col(Account.email) == email.lower())).first()


def find_membership(session: Session, account_id: int, organisation_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(
            col(Membership.account_id) == account_id,
            col(Membership.organisation_id) == organisation_id,
        )
    ).first()


def get_account(session: Session, email: str) -> Account:
    account = find_account(session, email)
    if account is None:
        raise NotFound(f"no account {email!r}")
    return account


def memberships(session: Session, account_id: int) -> list[Membership]:
    return list(session.exec(select(Membership).where(col(Membership.account_id) == account_id)))


def find_token(session: Session, token_sha256: str) -> tuple[ApiToken, Account] | None:
    row = session.exec(
        select(ApiToken, Account)
        .join(Account, col(Account.id) == col(ApiToken.account_id))
        .where(col(ApiToken.token_sha256) == token_sha256)
    ).first()
    return None if row is None else (row[0], row[1])


def members(session: Session, organisation_id: int) -> list[Account]:
    return list(
        session.exec(
            select(Account)
            .join(Membership, col(Membership.account_id) == col(Account.id))
            .where(col(Membership.organisation_id) == organisation_id)
            .order_by(col(Account.id))
        )
    )


def platform_admins(session: Session) -> list[Account]:
    return list(
        session.exec(
            select(Account).where(col(Account.is_platform_admin)).order_by(col(Account.id))
        )
    )


def sign_in_failures(
    session: Session, *, since: datetime, email: str | None = None, address: str | None = None
) -> tuple[int, datetime | None]:
    """Failed sign-ins since then, for an account or an address: (how many, the last)."""
    statement = select(sa.func.count(), sa.func.max(col(LoginAttempt.at))).where(
        col(LoginAttempt.at) >= since, col(LoginAttempt.succeeded).is_(False)
    )
    if email is not None:
        statement = statement.where(col(LoginAttempt.email) == email)
    if address is not None:
        statement = statement.where(col(LoginAttempt.address) == address)
    count, last = session.exec(statement).one()
    return int(count), last


def signed_in_from(session: Session, *, email: str, address: str, since: datetime) -> bool:
    """Whether this account signed in successfully from this address since then."""
    return (
        session.exec(
            select(LoginAttempt.id).where(
                col(LoginAttempt.email) == email,
                col(LoginAttempt.address) == address,
                col(LoginAttempt.succeeded).is_(True),
                col(LoginAttempt.at) >= since,
            )
        ).first()
        is not None
    )


def find_web_session(session: Session, token_sha256: str) -> tuple[WebSession, Account] | None:
    row = session.exec(
        select(WebSession, Account)
        .join(Account, col(Account.id) == col(WebSession.account_id))
        .where(col(WebSession.token_sha256) == token_sha256)
    ).first()
    return None if row is None else (row[0], row[1])


def delete_web_session(session: Session, token_sha256: str) -> None:
    session.execute(sa.delete(WebSession).where(col(WebSession.token_sha256) == token_sha256))


def delete_sessions_of(session: Session, account_id: int) -> None:
    session.execute(sa.delete(WebSession).where(col(WebSession.account_id) == account_id))


def delete_tokens_of(session: Session, account_id: int) -> None:
    session.execute(sa.delete(ApiToken).where(col(ApiToken.account_id) == account_id))


def account_by_id(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def delete_sign_ins_before(session: Session, cutoff: datetime) -> int:
    result = session.execute(sa.delete(LoginAttempt).where(col(LoginAttempt.at) < cutoff))
    return int(result.rowcount)  # type: ignore[attr-defined]


def delete_sessions_expired(session: Session, now: datetime) -> int:
    result = session.execute(sa.delete(WebSession).where(col(WebSession.expires_at) < now))
    return int(result.rowcount)  # type: ignore[attr-defined]


def accounts_idle_since(session: Session, cutoff: datetime) -> list[Account]:
    """Active accounts, platform admins aside, made, signed in with and whose tokens were
    used only before `cutoff`."""
    recent_token = (
        select(ApiToken.id)
        .where(col(ApiToken.account_id) == col(Account.id))
        .where(col(ApiToken.last_used_at) >= cutoff)
        .exists()
    )
    return list(
        session.exec(
            select(Account)
            .where(col(Account.is_active), ~col(Account.is_platform_admin))
            .where(col(Account.created_at) < cutoff)
            .where(
                sa.or_(col(Account.last_login_at).is_(None), col(Account.last_login_at) < cutoff)
            )
            .where(~recent_token)
            .order_by(col(Account.id))
        ).all()
    )


def associations_to_verify(session: Session) -> list[tuple[Organisation, str | None, int]]:
    """Every association, those waiting for a verification first (oldest first), each with
    its document's file name (the newest) and the number of its credentials waiting."""
    waiting = (
        select(sa.func.count())
        .select_from(Mission)
        .join(Need, col(Need.id) == col(Mission.need_id))
        .where(col(Need.organisation_id) == col(Organisation.id), col(Mission.credential_waits))
        .scalar_subquery()
    )
    rows = session.exec(
        select(Organisation, waiting)
        .where(col(Organisation.kind) == OrganisationKind.ASSOCIATION)
        .order_by(
            sa.case((col(Organisation.verification) == Verification.PENDING, 0), else_=1),
            col(Organisation.created_at),
        )
    ).all()
    documents = dict(
        session.exec(
            select(
                col(AssociationDocument.organisation_id), col(AssociationDocument.filename)
            ).order_by(col(AssociationDocument.id))
        ).all()
    )
    return [(found, documents.get(persisted_id(found.id)), int(count)) for found, count in rows]


def association_document(session: Session, slug: str) -> AssociationDocument | None:
    return session.exec(
        select(AssociationDocument)
        .join(Organisation, col(Organisation.id) == col(AssociationDocument.organisation_id))
        .where(col(Organisation.slug) == slug)
        .order_by(col(AssociationDocument.id).desc())
    ).first()


def organisation_by_id(session: Session, organisation_id: int) -> Organisation:
    found = session.get(Organisation, organisation_id)
    if found is None:
        raise NotFound(f"no organisation {organisation_id}")
    return found
