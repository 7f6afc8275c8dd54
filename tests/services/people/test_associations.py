"""A badge is worth the trust in who vouches for it: associations give an identifier at
sign-up, a platform admin verifies them, and until then their completed missions issue no
credential (it is issued at verification, exactly once). Nobody vouches for their own
mission, and no day has more than 24 hours."""

import json

import pytest
from sqlmodel import Session

from config import Settings
from models import (
    Conflict,
    IdentifierKind,
    InvalidData,
    Mission,
    Verification,
    persisted_id,
    queries,
    utcnow,
)
from services import workflow
from services.actors import Actor, actor_of
from services.credentials import publication, verification
from services.errors import NotAllowed
from services.people import associations
from services.people.associations import Proof
from tests import factories
from tests.factories import ASSESSED, cast, mission_in_progress

PDF = b"%PDF-1.4 statutes of the association"


@pytest.mark.parametrize(
    ("kind", "given", "kept"),
    [
        (IdentifierKind.RNA, "w751 234 567", "W751234567"),
        (IdentifierKind.SIREN, "732 829 320", "732829320"),
        (IdentifierKind.BCE, "BE 0403.170.701", "0403170701"),
        (IdentifierKind.UK_CHARITY, "1123456", "1123456"),
        (IdentifierKind.UK_CHARITY, "sc012345", "SC012345"),
    ],
)
def test_identifiers_are_kept_as_registers_write_them(
    kind: IdentifierKind, given: str, kept: str
) -> None:
    assert associations.check_proof(Proof(kind, given)) == kept


@pytest.mark.parametrize(
    ("kind", "given"),
    [
        (IdentifierKind.RNA, "751234567"),  # no W
        (IdentifierKind.SIREN, "732829321"),  # wrong check digit (Luhn)
        (IdentifierKind.BCE, "0403170702"),  # wrong check number (mod 97)
        (IdentifierKind.UK_CHARITY, "12345"),
    ],
)
def test_a_wrong_identifier_is_refused_saying_what_it_looks_like(
    kind: IdentifierKind, given: str
) -> None:
    with pytest.raises(InvalidData) as refused:
        associations.check_proof(Proof(kind, given))
    assert refused.value.field == "identifier"


def test_other_needs_a_real_document() -> None:
    with pytest.raises(InvalidData, match="send a document"):
        associations.check_proof(Proof(IdentifierKind.OTHER, "statuts 2019"))
    with pytest.raises(InvalidData, match="PDF, PNG or JPEG"):
        associations.check_proof(
            Proof(IdentifierKind.OTHER, "", "a.pdf", "application/pdf", b"<html>")
        )
    assert (
        associations.check_proof(
            Proof(IdentifierKind.OTHER, "statuts", "s.pdf", "application/pdf", PDF)
        )
        == "statuts"
    )


def _admin(session: Session) -> Actor:
    account = factories.make_account(session, is_platform_admin=True)
    session.commit()
    return actor_of(session, account)


def _complete(session: Session, settings: Settings, people: factories.Cast) -> Mission:
    mission_id = mission_in_progress(session, people)
    workflow.confirm_completion(session, settings, people.volunteer, mission_id)
    done = workflow.confirm_completion(session, settings, people.member, mission_id, ASSESSED)
    assert done.credential is None
    assert done.credential_waits
    return done.mission


def test_a_pending_association_records_the_mission_and_the_badge_waits_for_verification(
    session: Session, settings: Settings
) -> None:
    people = cast(
        session,
        verification=Verification.PENDING,
        identifier_kind=IdentifierKind.RNA,
        identifier="W751234567",
        slug="les-amis-du-code",
    )
    mission = _complete(session, settings, people)
    mission_id = persisted_id(mission.id)
    assert mission.completed_at is not None
    assert queries.credentials.credential_of_mission(session, mission_id) is None
    with pytest.raises(NotAllowed, match="platform admin"):
        associations.verify(session, settings, people.member, "les-amis-du-code")
    admin = _admin(session)
    assert associations.verify(session, settings, admin, "les-amis-du-code") == 1
    credential = queries.credentials.credential_of_mission(session, mission_id)
    assert credential is not None
    # Verifying again, or a second admin at the same moment: still one credential.
    assert associations.verify(session, settings, admin, "les-amis-du-code") == 0
    assert not workflow.issue_waiting(session, settings, mission_id)
    report = verification.verify_badge(session, settings, credential.ob3_jwt)
    assert report.valid, [c for c in report.checks if c.outcome == "failed"]
    payload = json.loads(
        publication.serve(session, settings, f"/credentials/{credential.id}.json").body
    )
    creator = payload["credentialSubject"]["achievement"]["creator"]
    today = utcnow().date().isoformat()
    # In the volunteer's language (French here, the accounts' default).
    assert (
        f"vérifiée par probono le {today} d'après son numéro RNA W751234567"
        in creator["description"]
    )
    assert creator["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": "W751234567", "identifierType": "ext:RNA"}
    ]


def test_a_rejected_association_issues_nothing_and_knows_why(
    session: Session, settings: Settings
) -> None:
    people = cast(session, verification=Verification.PENDING, slug="made-up")
    _complete(session, settings, people)
    admin = _admin(session)
    with pytest.raises(InvalidData, match="say why"):
        associations.reject(session, admin, "made-up", " ")
    associations.reject(session, admin, "made-up", "no such association in the RNA")
    found = queries.organisations.get_organisation(session, "made-up")
    assert found.verification is Verification.REJECTED
    assert found.verification_note == "no such association in the RNA"
    assert queries.missions.waiting_credentials(session, persisted_id(found.id))
    associations.verify(session, settings, admin, "made-up")  # an admin may change their mind
    with pytest.raises(Conflict, match="verified already"):
        associations.reject(session, admin, "made-up", "too late")


def test_nobody_vouches_for_their_own_mission(session: Session, settings: Settings) -> None:
    """The probe: one person as the association's member and as its volunteer."""
    people = cast(session)
    both = actor_of(
        session,
        factories.make_member(session, people.organisation_id, email="both@example.org"),
    )
    profile = factories.make_profile(session, account_id=both.account_id)
    session.commit()
    both = actor_of(session, queries.organisations.get_account(session, "both@example.org"))
    assert both.profile_id == profile.id
    mission = workflow.propose(session, both, people.need_id)
    mission_id = persisted_id(mission.id)
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, both, mission_id)
    entry = workflow.log_hours(session, both, mission_id, utcnow().date(), "5")
    with pytest.raises(NotAllowed, match="you are this mission's volunteer"):
        workflow.review_hours(session, both, mission_id, persisted_id(entry.id), approve=True)
    with pytest.raises(NotAllowed, match="you are this mission's volunteer"):
        workflow.confirm_completion(session, settings, both, mission_id, ASSESSED)
    workflow.review_hours(session, people.member, mission_id, persisted_id(entry.id), approve=True)


def test_a_day_has_24_hours_at_most_per_mission(session: Session) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people, hours="20")
    today = utcnow().date()
    with pytest.raises(InvalidData, match="20 hours are already logged") as refused:
        workflow.log_hours(session, people.volunteer, mission_id, today, "4.5")
    assert refused.value.field == "hours"
    workflow.log_hours(session, people.volunteer, mission_id, today, "4")
