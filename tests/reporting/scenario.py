"""A programme with known missions, hours, costs and turnover (figures computed by hand in
test_reports), for the report's tests and the dashboard's browser test."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col

from config import Settings
from models import (
    Account,
    Cause,
    Credential,
    EndReason,
    HoursLog,
    HoursStatus,
    MemberRole,
    Membership,
    Mission,
    OrganisationKind,
    Programme,
    persisted_id,
    utcnow,
)
from reporting import costs
from services import workflow
from services.actors import actor_of
from services.records import CompetenceRef
from tests import factories


@dataclass(frozen=True)
class Scenario:
    programme: str
    manager_email: str
    credential_ids: list[str]


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def _mission(
    session: Session,
    settings: Settings,
    volunteer: Account,
    member: Account,
    need_id: int,
    entries: list[tuple[str, str, HoursStatus]],
    *,
    complete: bool,
    assess: list[CompetenceRef] | None = None,
    cancel: bool = False,
) -> Mission:
    """A mission walked through the workflow now, then dated as the scenario says."""
    v, m = actor_of(session, volunteer), actor_of(session, member)
    mission = workflow.propose(session, v, need_id)
    mission_id = persisted_id(mission.id)
    workflow.accept(session, m, mission_id)
    workflow.start(session, v, mission_id)
    for day, hours, status in entries:
        entry = workflow.log_hours(session, v, mission_id, utcnow().date(), hours)
        # Dated as the scenario says at once: a day holds 24 hours of a mission at most.
        session.execute(
            sa.update(HoursLog)
            .where(col(HoursLog.id) == entry.id)
            .values(work_date=date.fromisoformat(day))
        )
        if status is not HoursStatus.SUBMITTED:
            workflow.review_hours(
                session,
                m,
                mission_id,
                persisted_id(entry.id),
                approve=status is HoursStatus.APPROVED,
            )
    if complete:
        workflow.confirm_completion(session, settings, v, mission_id)
        workflow.confirm_completion(
            session, settings, m, mission_id, [workflow.Assessment(a) for a in assess or []]
        )
    if cancel:
        workflow.end(session, m, mission_id, EndReason.SCOPE_CHANGED, decline=False)
    session.commit()
    return session.get(Mission, mission_id)  # type: ignore[return-value]


def _dates(session: Session, mission: Mission, **moments: str) -> None:
    values = {name: _at(day) for name, day in moments.items()}
    session.execute(sa.update(Mission).where(col(Mission.id) == mission.id).values(**values))
    if "completed_at" in values:
        session.execute(
            sa.update(Credential)
            .where(col(Credential.mission_id) == mission.id)
            .values(issued_at=values["completed_at"])
        )
    session.commit()


def build_scenario(session: Session, settings: Settings) -> Scenario:
    company = factories.make_organisation(
        session, kind=OrganisationKind.COMPANY, slug="acme", name="Acme", country="FR"
    )
    foundation = factories.make_organisation(
        session, kind=OrganisationKind.FOUNDATION, slug="acme-foundation"
    )
    programme = Programme(
        slug="acme-gives",
        name="Acme Gives",
        company_id=persisted_id(company.id),
        run_by_id=persisted_id(foundation.id),
    )
    session.add(programme)
    session.flush()
    manager = factories.make_account(session, email="manager@acme.example")
    session.add(
        Membership(
            account_id=persisted_id(manager.id),
            organisation_id=persisted_id(foundation.id),
            role=MemberRole.FOUNDATION_MANAGER,
        )
    )
    x = factories.make_organisation(session, name="X", staff_size=3, cause=Cause.EDUCATION)
    y = factories.make_organisation(session, name="Y", staff_size=40, cause=Cause.HEALTH)
    z = factories.make_organisation(session, name="Z", staff_size=5, cause=Cause.EDUCATION)
    members = {o.id: factories.make_member(session, persisted_id(o.id)) for o in (x, y, z)}
    people = {}
    for name, team in (("Alice", "Data"), ("Bob", "Cloud"), ("Carol", "Data"), ("Dan", None)):
        account = factories.make_account(
            session, email=f"{name.lower()}@acme.example", display_name=name
        )
        factories.make_profile(
            session,
            account_id=account.id,
            employer_id=company.id,
            programme_id=programme.id,
            team=team,
        )
        people[name] = account
    needs = {
        o.id: persisted_id(factories.make_need(session, organisation_id=o.id).id) for o in (x, y, z)
    }
    session.commit()
    b1 = CompetenceRef(framework="ecf", code="B.1", level=3)
    a6 = CompetenceRef(framework="ecf", code="A.6", level=2)
    m1 = _mission(
        session,
        settings,
        people["Alice"],
        members[x.id],
        needs[x.id],
        [
            *((f"2025-12-{day:02d}", "7", HoursStatus.APPROVED) for day in range(8, 13)),  # 35 h
            ("2026-01-10", "7", HoursStatus.APPROVED),
            ("2026-01-11", "7", HoursStatus.APPROVED),
        ],
        complete=True,
        assess=[b1, a6],
    )
    _dates(
        session,
        m1,
        proposed_at="2025-11-20",
        association_accepted_at="2025-11-22",
        completed_at="2026-01-20",
    )
    m2 = _mission(
        session,
        settings,
        people["Bob"],
        members[y.id],
        needs[y.id],
        [
            ("2026-02-01", "8", HoursStatus.APPROVED),
            ("2026-02-02", "8", HoursStatus.APPROVED),
            ("2026-02-03", "4", HoursStatus.APPROVED),
        ],
        complete=False,
    )
    _dates(session, m2, proposed_at="2026-01-05", association_accepted_at="2026-01-09")
    m3 = _mission(
        session,
        settings,
        people["Carol"],
        members[y.id],
        needs[y.id],
        [
            ("2026-02-10", "10", HoursStatus.APPROVED),
            ("2026-02-11", "5", HoursStatus.SUBMITTED),
            ("2026-02-12", "3", HoursStatus.REJECTED),
        ],
        complete=False,
    )
    _dates(session, m3, proposed_at="2026-02-01", association_accepted_at="2026-02-02")
    m4 = _mission(
        session,
        settings,
        people["Alice"],
        members[z.id],
        needs[z.id],
        [("2026-02-05", "4", HoursStatus.APPROVED)],
        complete=False,
        cancel=True,
    )
    _dates(
        session,
        m4,
        proposed_at="2026-01-25",
        association_accepted_at="2026-01-26",
        ended_at="2026-02-20",
    )
    m5 = _mission(
        session,
        settings,
        people["Dan"],
        members[x.id],
        needs[x.id],
        [("2026-02-15", "6", HoursStatus.APPROVED)],
        complete=False,
    )
    _dates(session, m5, proposed_at="2026-02-10", association_accepted_at="2026-02-11")
    report = costs.import_costs(
        session,
        company,
        "\n".join(
            [
                "kind,year,name,email,annual_cost,band,annual_hours",
                "employee,2025,,alice@acme.example,52000,,",
                "band,2026,Senior,,53560,,",
                "employee,2026,,alice@acme.example,,Senior,",
                "employee,2026,,bob@acme.example,180000,,",
                "employee,2026,,carol@acme.example,30000,,1200",
                "turnover,2025,,,2000000,,",
                "turnover,2026,,,10000000,,",
                "employee,2026,,nobody@acme.example,1000,,",
                "employee,2026,,bob@acme.example,-5,,",
            ]
        ),
    )
    assert report.saved == 7
    assert [e.line for e in report.errors] == [9, 10]  # unknown employee, negative cost
    credential = (
        session.exec(
            sa.select(Credential).where(  # type: ignore[call-overload]
                col(Credential.mission_id) == m1.id
            )
        )
        .scalars()
        .one()
    )
    return Scenario("acme-gives", "manager@acme.example", [credential.id])
