"""Plain factories: each creates one valid row (flushed, not committed); overrides change it.
And the cast of a mission, walked through the real workflow (which commits)."""

import itertools
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session

from config import Settings
from models import (
    Account,
    Credential,
    MemberRole,
    Membership,
    Mission,
    MissionInitiator,
    Need,
    NeedLanguage,
    Organisation,
    OrganisationKind,
    Verification,
    VolunteerProfile,
    WorkMode,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor, actor_of
from services.records import CompetenceRef
from services.workflow import Assessment

_counter = itertools.count(1)
T = TypeVar("T")


def _save(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    return row


def make_organisation(session: Session, **overrides: Any) -> Organisation:
    n = next(_counter)
    values: dict[str, Any] = {
        "slug": f"org-{n}",
        "name": f"Organisation {n}",
        "kind": OrganisationKind.ASSOCIATION,
        "city": "Lyon",
        "country": "FR",
        # Checked by the platform: its missions issue badges (a pending one's wait).
        "verification": Verification.VERIFIED,
    } | overrides
    return _save(session, Organisation(**values))


def make_account(session: Session, **overrides: Any) -> Account:
    n = next(_counter)
    values: dict[str, Any] = {
        "email": f"person{n}@example.org",
        "display_name": f"Person {n}",
    } | overrides
    return _save(session, Account(**values))


def make_profile(session: Session, **overrides: Any) -> VolunteerProfile:
    account_id = overrides.pop("account_id", None) or make_account(session).id
    values: dict[str, Any] = {
        "account_id": account_id,
        "headline": "Web developer",
        "about": "I build websites.",
        "city": "Lyon",
        "country": "FR",
        "timezone": "Europe/Paris",
        "hours_per_month": 8,
    } | overrides
    return _save(session, VolunteerProfile(**values))


def make_need(session: Session, **overrides: Any) -> Need:
    organisation_id = overrides.pop("organisation_id", None) or make_organisation(session).id
    n = next(_counter)
    values: dict[str, Any] = {
        "organisation_id": organisation_id,
        "external_ref": f"need-{n}",
        "title": "A new website",
        "description": "Our website is old.",
        "hours_estimate": 30,
        "work_mode": WorkMode.REMOTE,
    } | overrides
    need = _save(session, Need(**values))
    # Every need the product saves has a working language (NeedRecord requires one).
    _save(session, NeedLanguage(need_id=persisted_id(need.id), code="fr"))
    return need


def make_mission(session: Session, **overrides: Any) -> Mission:
    need_id = overrides.pop("need_id", None) or make_need(session).id
    volunteer_id = overrides.pop("volunteer_id", None) or make_profile(session).id
    values: dict[str, Any] = {
        "need_id": need_id,
        "volunteer_id": volunteer_id,
        "initiated_by": MissionInitiator.VOLUNTEER,
    } | overrides
    return _save(session, Mission(**values))


def competence_id(session: Session, framework_id: str, code: str) -> int:
    competence = queries.reference.get_competence(session, framework_id, code)
    assert competence.id is not None
    return competence.id


def make_member(session: Session, organisation_id: int, **overrides: Any) -> Account:
    """An account that acts for the organisation as an association member."""
    account = make_account(session, **overrides)
    _save(
        session,
        Membership(
            account_id=persisted_id(account.id),
            organisation_id=organisation_id,
            role=MemberRole.ASSOCIATION_MEMBER,
        ),
    )
    return account


@dataclass(frozen=True)
class Cast:
    """The people of one mission: its volunteer and a member of the need's association."""

    volunteer: Actor
    member: Actor
    volunteer_email: str
    need_id: int
    organisation_id: int


def cast(session: Session, **organisation: Any) -> Cast:
    org = make_organisation(session, **organisation)
    organisation_id = persisted_id(org.id)
    member = make_member(session, organisation_id)
    profile = make_profile(session)
    need = make_need(session, organisation_id=organisation_id, title="Un site pour la troupe")
    account = session.get(Account, profile.account_id)
    assert account is not None
    session.commit()
    return Cast(
        actor_of(session, account),
        actor_of(session, member),
        account.email,
        persisted_id(need.id),
        organisation_id,
    )


ASSESSED = (Assessment(CompetenceRef(framework="ecf", code="B.1", level=3)),)


def mission_in_progress(session: Session, people: Cast, *, hours: str = "6.5") -> int:
    """A mission both sides accepted and started, with one day of approved hours."""
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, people.volunteer, mission_id)
    entry = workflow.log_hours(session, people.volunteer, mission_id, utcnow().date(), hours)
    workflow.review_hours(session, people.member, mission_id, persisted_id(entry.id), approve=True)
    return mission_id


def completed(session: Session, settings: Settings, people: Cast) -> Credential:
    """A completed mission's credential (both sides confirmed, B.1 assessed at e-3)."""
    mission_id = mission_in_progress(session, people)
    workflow.confirm_completion(session, settings, people.volunteer, mission_id)
    done = workflow.confirm_completion(session, settings, people.member, mission_id, ASSESSED)
    assert done.credential is not None
    return done.credential
