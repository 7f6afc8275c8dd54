"""The mission workflow on a real database: who may do what, in which state, with reasons,
and the credential issued exactly once when both sides confirm."""

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from config import Settings
from models import (
    Conflict,
    Credential,
    EndReason,
    InvalidData,
    Mission,
    MissionEvent,
    MissionStatus,
    NeedStatus,
    NotFound,
    persisted_id,
    utcnow,
)
from services import workflow
from services.errors import NotAllowed
from services.records import CompetenceRef
from tests import factories
from tests.factories import ASSESSED, cast, completed, mission_in_progress


def _count(session: Session, table: type, **where: object) -> int:
    statement = sa.select(sa.func.count()).select_from(table)
    for column, value in where.items():
        statement = statement.where(getattr(table, column) == value)
    return int(session.execute(statement).scalar_one())


def test_apply_accept_start_log_approve_complete(session: Session, settings: Settings) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people, hours="7.25")
    first = workflow.confirm_completion(session, settings, people.volunteer, mission_id)
    assert first.mission.status is MissionStatus.IN_PROGRESS
    assert first.credential is None
    done = workflow.confirm_completion(session, settings, people.member, mission_id, ASSESSED)
    assert done.mission.status is MissionStatus.COMPLETED
    assert done.credential is not None
    assert done.mission.credential_id == done.credential.id
    events = select(MissionEvent).where(col(MissionEvent.mission_id) == mission_id)
    statuses = [e.to_status for e in session.exec(events.order_by(col(MissionEvent.id)))]
    assert statuses == [
        MissionStatus.PROPOSED,
        MissionStatus.ACCEPTED,
        MissionStatus.IN_PROGRESS,
        MissionStatus.COMPLETED,
    ]


def test_retries_and_double_submissions_do_nothing_twice(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    first = workflow.propose(session, people.volunteer, people.need_id)
    again = workflow.propose(session, people.volunteer, people.need_id)
    assert first.id == again.id
    credential = completed(session, settings, people)
    mission_id = credential.mission_id
    for actor in (people.member, people.volunteer, people.member):
        done = workflow.confirm_completion(session, settings, actor, mission_id, ASSESSED)
        assert done.credential is not None
        assert done.credential.id == credential.id
    assert _count(session, Credential, mission_id=mission_id) == 1


def test_only_the_right_people_act(session: Session, settings: Settings) -> None:
    people, others = cast(session), cast(session)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    mission_id = persisted_id(mission.id)
    # Strangers to the mission are told it does not exist: an id proves nothing.
    with pytest.raises(NotFound):
        workflow.accept(session, others.member, mission_id)  # a member of another association
    with pytest.raises(NotFound):
        workflow.accept(session, others.volunteer, mission_id)  # another volunteer
    with pytest.raises(NotFound):
        workflow.visible_mission(session, others.volunteer, mission_id)
    workflow.accept(session, people.member, mission_id)
    workflow.start(session, people.member, mission_id)
    with pytest.raises(NotAllowed, match="volunteer"):
        workflow.log_hours(session, people.member, mission_id, utcnow().date(), "2")
    entry = workflow.log_hours(session, people.volunteer, mission_id, utcnow().date(), "2")
    with pytest.raises(NotAllowed):
        workflow.review_hours(
            session, people.volunteer, mission_id, persisted_id(entry.id), approve=True
        )
    with pytest.raises(NotFound):
        workflow.review_hours(
            session, others.member, mission_id, persisted_id(entry.id), approve=True
        )


def test_declines_and_cancellations_carry_their_reason(session: Session) -> None:
    people = cast(session)
    proposal = workflow.propose(session, people.volunteer, people.need_id)
    proposal_id = persisted_id(proposal.id)
    with pytest.raises(Conflict, match="cancel it instead"):
        workflow.end(session, people.volunteer, proposal_id, EndReason.OTHER, decline=True)
    declined = workflow.end(
        session, people.member, proposal_id, EndReason.SKILLS_MISMATCH, "we need PHP", decline=True
    )
    assert declined.status is MissionStatus.DECLINED
    assert declined.end_reason is EndReason.SKILLS_MISMATCH
    assert declined.end_note == "we need PHP"
    assert declined.ended_at is not None
    with pytest.raises(Conflict, match="declined"):
        workflow.accept(session, people.volunteer, proposal_id)
    again = workflow.propose(session, people.volunteer, people.need_id)  # an ended one may restart
    cancelled = workflow.end(
        session, people.volunteer, persisted_id(again.id), EndReason.NOT_AVAILABLE, decline=False
    )
    assert cancelled.status is MissionStatus.CANCELLED


def test_completion_needs_assessments_reviewed_hours_and_levels_in_range(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people)
    with pytest.raises(InvalidData, match="assess at least one"):
        workflow.confirm_completion(session, settings, people.member, mission_id, [])
    out_of_range = [workflow.Assessment(CompetenceRef(framework="ecf", code="A.1", level=1))]
    with pytest.raises(InvalidData, match=r"A\.1"):
        workflow.confirm_completion(session, settings, people.member, mission_id, out_of_range)
    workflow.log_hours(session, people.volunteer, mission_id, utcnow().date(), "1")
    with pytest.raises(Conflict, match="still waiting"):
        workflow.confirm_completion(session, settings, people.member, mission_id, ASSESSED)


def test_hours_are_checked(session: Session) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people)
    today = utcnow().date()
    for hours in ("0", "25", "-1", "2.345", "deux"):
        with pytest.raises(InvalidData, match="hours"):
            workflow.log_hours(session, people.volunteer, mission_id, today, hours)
    with pytest.raises(InvalidData, match="still to come"):
        workflow.log_hours(session, people.volunteer, mission_id, today + timedelta(days=2), "1")


def test_the_database_refuses_a_completed_mission_without_credential(session: Session) -> None:
    mission = factories.make_mission(session)
    now = utcnow()
    mission.status = MissionStatus.COMPLETED
    mission.volunteer_confirmed_at = mission.association_confirmed_at = mission.completed_at = now
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_the_database_refuses_a_second_credential(session: Session, settings: Settings) -> None:
    credential = completed(session, settings, cast(session))
    twin = Credential(
        **{
            **credential.model_dump(),
            "id": "00000000-0000-4000-8000-000000000001",
            "status_list_index": (credential.status_list_index + 1) % 131_072,
        }
    )
    session.add(twin)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_mission_cannot_be_proposed_for_a_closed_need(session: Session) -> None:
    people = cast(session)
    need = factories.make_need(
        session, organisation_id=people.organisation_id, status=NeedStatus.CLOSED
    )
    with pytest.raises(NotFound):  # a closed need is not published: a volunteer cannot tell
        workflow.propose(session, people.volunteer, persisted_id(need.id))
    with pytest.raises(Conflict, match="closed"):  # its association is told why
        workflow.propose(session, people.member, persisted_id(need.id), people.volunteer.profile_id)
    assert _count(session, Mission, need_id=persisted_id(need.id)) == 0


def test_applying_again_after_a_completed_mission_says_why_at_once(
    session: Session, settings: Settings
) -> None:
    people = cast(session)
    credential = completed(session, settings, people)
    started = time.monotonic()
    with pytest.raises(Conflict, match="already completed a mission for this need") as refused:
        workflow.propose(session, people.volunteer, people.need_id)
    assert f"mission {credential.mission_id}" in str(refused.value)
    assert time.monotonic() - started < 0.5  # no retries of a race that is not one
