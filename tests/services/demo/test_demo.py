"""The demo set: the promised size, bilingual, realistic, reproducible from its seed."""

from collections import Counter
from datetime import date

import pytest
from sqlmodel import Session, select

from config import Settings
from models import (
    Account,
    Mission,
    MissionInitiator,
    MissionStatus,
    Organisation,
    OrganisationKind,
    Programme,
    persisted_id,
    queries,
)
from services import workflow
from services.actors import actor_of
from services.credentials import verification
from services.demo import badges, dataset
from services.people.profiles import need_records, volunteer_records
from tests.conftest import DATA_DIR

TODAY = date(2026, 6, 1)


@pytest.fixture
def loaded(session: Session) -> dataset.DemoSummary:
    return dataset.load_demo(session, DATA_DIR, seed=7, today=TODAY)


def test_the_demo_set_has_the_promised_size(session: Session, loaded: dataset.DemoSummary) -> None:
    kinds = Counter(o.kind for o in session.exec(select(Organisation)))
    assert kinds == {
        OrganisationKind.ASSOCIATION: 15,
        OrganisationKind.COMPANY: 4,
        OrganisationKind.FOUNDATION: 1,
    }
    assert (loaded.volunteers, loaded.needs) == (200, 60)
    assert len(session.exec(select(Programme)).all()) == 4
    statuses = Counter(m.status for m in session.exec(select(Mission)))
    assert statuses[MissionStatus.IN_PROGRESS] >= 1
    assert statuses[MissionStatus.DECLINED] + statuses[MissionStatus.CANCELLED] >= 1


def test_the_demo_set_is_bilingual_and_covers_real_needs(
    session: Session, loaded: dataset.DemoSummary
) -> None:
    needs = list(need_records(session))
    volunteers = list(volunteer_records(session))
    french = sum(
        1 for n in needs if any(w in n.description.lower() for w in (" nous ", " notre ", " nos "))
    )
    assert 0.3 < french / len(needs) < 0.9
    assert sum(1 for v in volunteers if v.locale == "en") >= 20
    assert all(v.email.endswith("@example.org") for v in volunteers)
    assert all(v.competences for v in volunteers)
    assert all(n.competences for n in needs)
    text = " ".join(n.description for n in needs).lower()
    assert "lorem" not in text
    assert any("site" in n.title.lower() or "website" in n.title.lower() for n in needs)


def test_loading_twice_is_a_no_op(session: Session, loaded: dataset.DemoSummary) -> None:
    assert dataset.load_demo(session, DATA_DIR, seed=7, today=TODAY).already_loaded


def test_the_same_seed_gives_the_same_people(session: Session) -> None:
    first = dataset.DemoBuilder(session, DATA_DIR, seed=11, today=TODAY)
    second = dataset.DemoBuilder(session, DATA_DIR, seed=11, today=TODAY)
    other = dataset.DemoBuilder(session, DATA_DIR, seed=12, today=TODAY)
    batch = [first.volunteer(n) for n in range(20)]
    assert batch == [second.volunteer(n) for n in range(20)]
    assert batch != [other.volunteer(n) for n in range(20)]


def test_the_demo_has_real_badges_to_verify(session: Session, settings: Settings) -> None:
    dataset.load_demo(session, DATA_DIR, seed=7, today=TODAY)
    issued = badges.load_demo_badges(session, settings, seed=7)
    assert len(issued.credentials) == badges.COMPLETED
    by_id = {c.id: c for c in issued.credentials}
    reports = {
        cid: verification.verify_badge(session, settings, c.ob3_jwt) for cid, c in by_id.items()
    }
    assert reports[issued.revoked or ""].revoked
    retired = reports[issued.retired_key or ""]
    assert retired.valid  # its key is retired, still in its issuer's DID document
    assert any(c.name == "key provenance" and c.outcome == "passed" for c in retired.checks)
    valid = [r for cid, r in reports.items() if cid != issued.revoked]
    assert all(r.valid for r in valid)
    issuers = {c.issuer_id for c in issued.credentials}
    assert len(issuers) >= 2  # associations of their own, and the platform on their behalf
    assert any(c.on_behalf_of_id is not None for c in issued.credentials)
    endorsed = queries.credentials.endorsement_of(session, issued.endorsed or "")
    assert endorsed is not None
    assert verification.verify_badge(session, settings, endorsed.jwt).valid


def test_a_demo_proposal_moves_on_when_the_other_side_accepts(
    session: Session, loaded: dataset.DemoSummary
) -> None:
    """Whoever proposed a demo mission has accepted it, as a real proposal records."""
    proposed = [m for m in session.exec(select(Mission)) if m.status is MissionStatus.PROPOSED]
    assert proposed
    for mission in proposed:
        side = mission.initiated_by
        assert (mission.volunteer_accepted_at is not None) is (side is MissionInitiator.VOLUNTEER)
        assert (mission.association_accepted_at is not None) is (
            side is MissionInitiator.ASSOCIATION
        )
    mission = proposed[0]
    need = queries.profiles.get_need(session, mission.need_id)
    members = queries.organisations.members(session, need.organisation_id)
    volunteer = session.get(
        Account, queries.profiles.get_profile(session, mission.volunteer_id).account_id
    )
    assert volunteer is not None
    other = actor_of(
        session, members[0] if mission.initiated_by is MissionInitiator.VOLUNTEER else volunteer
    )
    assert (
        workflow.accept(session, other, persisted_id(mission.id)).status is MissionStatus.ACCEPTED
    )
