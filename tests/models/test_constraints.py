"""The database itself refuses bad data, whichever code writes it."""

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from models import (
    Account,
    ClaimSource,
    CompetenceClaim,
    EndReason,
    Mission,
    MissionInitiator,
    MissionStatus,
    Need,
    WorkMode,
    persisted_id,
)
from tests.factories import (
    competence_id,
    make_account,
    make_mission,
    make_need,
    make_organisation,
    make_profile,
)


def _flush_in_savepoint(session: Session, row: object) -> None:
    with session.begin_nested():  # rolled back if the flush fails; the session stays usable
        session.add(row)
        session.flush()


def _refused(session: Session, row: object) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        _flush_in_savepoint(session, row)


def test_a_level_outside_the_competence_range_is_refused(session: Session) -> None:
    profile = make_profile(session)
    a1 = competence_id(session, "ecf-4.0", "A.1")  # e-4 … e-5
    _refused(
        session,
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=a1,
            level=2,
            source=ClaimSource.DECLARED,
        ),
    )
    session.add(
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=a1,
            level=4,
            source=ClaimSource.DECLARED,
        )
    )
    session.flush()


def test_one_claim_per_competence_and_source(session: Session) -> None:
    profile = make_profile(session)
    b1 = competence_id(session, "ecf-4.0", "B.1")
    session.add(
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=b1,
            level=2,
            source=ClaimSource.INFERRED,
        )
    )
    session.flush()
    session.add(
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=b1,
            level=3,
            source=ClaimSource.CONFIRMED,
        )
    )
    session.flush()
    _refused(
        session,
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=b1,
            level=1,
            source=ClaimSource.INFERRED,
        ),
    )


def test_emails_are_unique_and_lower_case(session: Session) -> None:
    make_account(session, email="ana@example.org")
    _refused(session, Account(email="ana@example.org", display_name="Ana again"))
    _refused(session, Account(email="Ana@Example.org", display_name="Ana upper"))


def test_unknown_status_values_are_refused(session: Session) -> None:
    need = make_need(session)
    with pytest.raises((sa.exc.IntegrityError, sa.exc.StatementError)), session.begin_nested():
        session.execute(sa.text("UPDATE need SET status = 'lost' WHERE id = :id"), {"id": need.id})


def test_onsite_need_must_say_where(session: Session) -> None:
    organisation = make_organisation(session)
    _refused(
        session,
        Need(
            organisation_id=persisted_id(organisation.id),
            external_ref="x",
            title="t",
            description="d",
            hours_estimate=10,
            work_mode=WorkMode.ONSITE,
        ),
    )


def test_ended_mission_carries_a_reason(session: Session) -> None:
    need, volunteer = make_need(session), make_profile(session)
    pair: dict[str, Any] = {
        "need_id": persisted_id(need.id),
        "volunteer_id": persisted_id(volunteer.id),
    }
    ended: dict[str, Any] = {"status": MissionStatus.DECLINED, "ended_at": datetime.now(UTC)}
    _refused(session, Mission(**pair, **ended, initiated_by=MissionInitiator.VOLUNTEER))
    _refused(
        session,
        Mission(**pair, initiated_by=MissionInitiator.VOLUNTEER, end_reason=EndReason.OTHER),
    )
    declined = Mission(
        **pair, **ended, initiated_by=MissionInitiator.VOLUNTEER, end_reason=EndReason.NOT_AVAILABLE
    )
    _flush_in_savepoint(session, declined)
    assert declined.id is not None


def test_completion_needs_both_confirmations(session: Session) -> None:
    mission = make_mission(session)
    mission.status, mission.completed_at = MissionStatus.COMPLETED, datetime.now(UTC)
    mission.volunteer_confirmed_at = datetime.now(UTC)
    _refused(session, mission)


def test_one_live_mission_per_need_and_volunteer(session: Session) -> None:
    first = make_mission(session)
    _refused(
        session,
        Mission(
            need_id=first.need_id, volunteer_id=first.volunteer_id, initiated_by=first.initiated_by
        ),
    )
    first.status, first.end_reason, first.ended_at = (
        MissionStatus.CANCELLED,
        EndReason.OTHER,
        datetime.now(UTC),
    )
    session.add(first)
    session.flush()
    again = make_mission(session, need_id=first.need_id, volunteer_id=first.volunteer_id)
    assert again.id != first.id


def test_timestamps_come_back_timezone_aware(session: Session) -> None:
    account = make_account(session)
    session.expire_all()
    reread = session.get(Account, account.id)
    assert reread is not None
    assert reread.created_at.tzinfo is not None
    assert reread.created_at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_naive_timestamps_are_refused(session: Session) -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    row = Account(email="naive@example.org", display_name="N", created_at=naive)
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        _flush_in_savepoint(session, row)
