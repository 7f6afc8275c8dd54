"""Organisations, programmes, accounts and memberships. Nothing here commits."""

from sqlmodel import Session, col, select

from models.enums import OrganisationKind
from models.errors import NotFound
from models.tables import Account, Membership, Organisation, Programme


def find_organisation(session: Session, slug: str) -> Organisation | None:
    return session.exec(select(Organisation).where(col(Organisation.slug) == slug)).first()


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


def find_account(session: Session, email: str) -> Account | None:
    return session.exec(select(Account).where(col(Account.email) == email.lower())).first()


def find_membership(session: Session, account_id: int, organisation_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(
            col(Membership.account_id) == account_id,
            col(Membership.organisation_id) == organisation_id,
        )
    ).first()
