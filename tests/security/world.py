"""A small world with one of each kind of person, and something of each kind for them to
reach: the authorization matrix calls every route as each of them.

The targets (the need, mission, hours, credential, issuer, programme, company) all belong to
the first side — volunteer, association A, programme P1 of company C1 — and the "other" people
belong to a second side that has the same things of its own."""

from dataclasses import dataclass

from sqlmodel import Session, select

from config import Settings
from models import (
    Account,
    AssociationDocument,
    DeliveryState,
    MemberRole,
    Membership,
    NotificationKind,
    OrganisationKind,
    Programme,
    SigningKey,
    VolunteerProfile,
    persisted_id,
    queries,
)
from services.actors import create_token
from services.credentials import issuance
from services.notifications import preferences
from services.people import accounts
from tests import factories

ROLES = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "member",
    "other_member",
    "manager",
    "other_manager",
    "admin",
)


@dataclass(frozen=True)
class World:
    values: dict[str, str]  # the path parameters: {need_id} → "12"
    tokens: dict[str, str]  # role → API token (none for anonymous)
    cookies: dict[str, str]  # role → web session token (none for anonymous)


def _manager(session: Session, organisation_id: int, role: MemberRole) -> Account:
    account = factories.make_account(session)
    session.add(
        Membership(account_id=persisted_id(account.id), organisation_id=organisation_id, role=role)
    )
    session.flush()
    return account


def _programme(session: Session, slug: str) -> tuple[int, int, Account]:
    """A company, its programme (run by the company) and the company's manager."""
    company = factories.make_organisation(
        session, kind=OrganisationKind.COMPANY, slug=f"{slug}-company"
    )
    company_id = persisted_id(company.id)
    programme = Programme(slug=slug, name=slug, company_id=company_id, run_by_id=company_id)
    session.add(programme)
    session.flush()
    return (
        company_id,
        persisted_id(programme.id),
        _manager(session, company_id, MemberRole.COMPANY_MANAGER),
    )


def build(session: Session, settings: Settings) -> World:
    company_id, programme_id, manager = _programme(session, "p1")
    _, _, other_manager = _programme(session, "p2")
    people = factories.cast(session, slug="asso-a")
    other = factories.cast(session, slug="asso-b")
    session.add(  # what the admin's page offers to download
        AssociationDocument(
            organisation_id=people.organisation_id,
            filename="statuts.pdf",
            media_type="application/pdf",
            content=b"%PDF-1.4",
        )
    )
    volunteer = session.get(Account, people.volunteer.account_id)
    profile = session.get(VolunteerProfile, people.volunteer.profile_id)
    assert volunteer is not None
    assert profile is not None
    profile.employer_id, profile.programme_id = company_id, programme_id  # an employee of C1
    session.commit()
    credential = factories.completed(session, settings, people)
    issuance.endorse(session, settings, people.member, credential.id, "Thank you")
    admin = factories.make_account(session, is_platform_admin=True)
    session.commit()
    hours = queries.missions.hours_of(session, credential.mission_id)[0]
    key = session.exec(
        select(SigningKey).where(SigningKey.issuer_id == credential.issuer_id)
    ).first()
    assert key is not None
    endorsement = queries.credentials.endorsement_of(session, credential.id)
    # An email every try failed for: what the admin's page sends again.
    failed = queries.notifications.of_account(session, persisted_id(volunteer.id))[0]
    failed.state, failed.last_error = DeliveryState.FAILED, "550 mailbox unavailable"
    session.add(failed)
    session.commit()
    accounts_by_role = {
        "volunteer": volunteer,
        "other_volunteer": session.get(Account, other.volunteer.account_id),
        "member": session.get(Account, people.member.account_id),
        "other_member": session.get(Account, other.member.account_id),
        "manager": manager,
        "other_manager": other_manager,
        "admin": admin,
    }
    tokens, cookies = {}, {}
    for role, account in accounts_by_role.items():
        assert account is not None
        tokens[role] = create_token(session, account.email)
        cookies[role] = accounts.open_session(session, account)
    values = {
        "slug": "asso-a",
        "need_id": str(people.need_id),
        "profile_id": str(profile.id),
        "mission_id": str(credential.mission_id),
        "hours_id": str(hours.id),
        "credential_id": credential.id,
        "endorsement_id": "" if endorsement is None else endorsement.id,
        "issuer_id": str(credential.issuer_id),
        "key_uuid": key.kid.rsplit("/", 1)[-1],
        "number": str(credential.status_list),
        "framework_id": "ecf-4.0",
        "code": "B.1",
        "name": "ecf",
        "version": "4.0",
        "level": "e-3",
        "token": preferences.unsubscribe_token(
            settings, persisted_id(volunteer.id), NotificationKind.MESSAGE
        ),
        "notification_id": str(failed.id),
    }
    return World(values, tokens, cookies)
