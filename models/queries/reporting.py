"""What the engagement reports read: a programme's missions, hours, assessments and
credentials over a period, and what the company entered for the valuation. Nothing here
commits."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import HoursStatus
from models.tables import (
    Account,
    CompanyYear,
    Competence,
    CompetenceAssessment,
    CompetenceGroup,
    CompetenceGroupLink,
    Credential,
    EmployeeCost,
    HoursLog,
    Mission,
    Need,
    Organisation,
    PayBand,
    Programme,
    VolunteerProfile,
)


@dataclass(frozen=True)
class MissionRow:
    mission: Mission
    association: Organisation
    team: str | None


@dataclass(frozen=True)
class HoursRow:
    mission_id: int
    volunteer_id: int
    volunteer_name: str
    team: str | None
    association: Organisation
    need_title: str
    work_date: date
    hours: Decimal
    status: HoursStatus


@dataclass(frozen=True)
class AssessmentRow:
    mission_id: int
    association_id: int
    framework_id: str
    code: str
    title: str
    area: str | None
    level: int | None
    level_before: int | None


def get_programme(session: Session, slug: str) -> Programme | None:
    return session.exec(select(Programme).where(col(Programme.slug) == slug)).first()


def missions(session: Session, programme_id: int) -> list[MissionRow]:
    """Every mission of the programme (the report filters by its dates)."""
    rows = session.exec(
        select(Mission, Organisation, VolunteerProfile.team)
        .join(Need, col(Need.id) == col(Mission.need_id))
        .join(Organisation, col(Organisation.id) == col(Need.organisation_id))
        .join(VolunteerProfile, col(VolunteerProfile.id) == col(Mission.volunteer_id))
        .where(col(Mission.programme_id) == programme_id)
        .order_by(col(Mission.proposed_at), col(Mission.id))
    )
    return [MissionRow(m, o, team) for m, o, team in rows]


def hours(session: Session, programme_id: int, start: date, end: date) -> list[HoursRow]:
    """Hours logged on the programme's missions for days in [start, end]."""
    rows = session.execute(
        sa.select(
            HoursLog,
            col(Mission.volunteer_id),
            col(Account.display_name),
            col(VolunteerProfile.team),
            Organisation,
            col(Need.title),
        )
        .join(Mission, col(Mission.id) == col(HoursLog.mission_id))
        .join(Need, col(Need.id) == col(Mission.need_id))
        .join(Organisation, col(Organisation.id) == col(Need.organisation_id))
        .join(VolunteerProfile, col(VolunteerProfile.id) == col(Mission.volunteer_id))
        .join(Account, col(Account.id) == col(VolunteerProfile.account_id))
        .where(
            col(Mission.programme_id) == programme_id,
            col(HoursLog.work_date) >= start,
            col(HoursLog.work_date) <= end,
        )
        .order_by(col(HoursLog.work_date), col(HoursLog.id))
    )
    return [
        HoursRow(h.mission_id, volunteer, name, team, org, title, h.work_date, h.hours, h.status)
        for h, volunteer, name, team, org, title in rows
    ]


def assessments(
    session: Session, mission_ids: Sequence[int], language: str = "en"
) -> list[AssessmentRow]:
    """The associations' assessments of these missions, with each competence's area, their
    titles in `language` where the catalogue has them ("fr"), else in English."""
    french = language == "fr"
    area_title = (
        sa.func.coalesce(CompetenceGroup.title_fr, CompetenceGroup.title_en)
        if french
        else CompetenceGroup.title_en
    )
    area = (
        select(area_title)
        .join(CompetenceGroupLink, col(CompetenceGroupLink.group_id) == col(CompetenceGroup.id))
        .where(col(CompetenceGroupLink.competence_id) == col(Competence.id))
        .order_by(col(CompetenceGroup.code))
        .limit(1)
        .scalar_subquery()
    )
    rows = session.exec(
        select(CompetenceAssessment, Competence, area, Need.organisation_id)
        .join(Competence, col(Competence.id) == col(CompetenceAssessment.competence_id))
        .join(Mission, col(Mission.id) == col(CompetenceAssessment.mission_id))
        .join(Need, col(Need.id) == col(Mission.need_id))
        .where(col(CompetenceAssessment.mission_id).in_(mission_ids))
        .order_by(col(Competence.framework_id), col(Competence.code))
    )
    return [
        AssessmentRow(
            a.mission_id,
            org,
            c.framework_id,
            c.code,
            (c.title_fr if french else None) or c.title_en,
            group,
            a.level,
            a.level_before,
        )
        for a, c, group, org in rows
    ]


def credentials(session: Session, mission_ids: Sequence[int]) -> list[Credential]:
    return list(
        session.exec(
            select(Credential)
            .where(col(Credential.mission_id).in_(mission_ids))
            .order_by(col(Credential.issued_at))
        )
    )


def volunteers_active_before(
    session: Session, volunteer_ids: Sequence[int], before: datetime
) -> set[int]:
    """Those of these volunteers who had a mission proposed before `before` (returning)."""
    return set(
        session.exec(
            select(Mission.volunteer_id)
            .where(col(Mission.volunteer_id).in_(volunteer_ids), col(Mission.proposed_at) < before)
            .distinct()
        )
    )


def employee_costs(
    session: Session, company_id: int
) -> dict[tuple[int, int], tuple[Decimal, Decimal | None]]:
    """(profile, year) → (annual cost, the employee's own annual hours) as the company entered
    them, pay bands resolved."""
    rows = session.exec(
        select(EmployeeCost, col(PayBand.annual_cost))
        .outerjoin(PayBand, col(PayBand.id) == col(EmployeeCost.pay_band_id))
        .where(col(EmployeeCost.company_id) == company_id)
    )
    found: dict[tuple[int, int], tuple[Decimal, Decimal | None]] = {}
    for cost, band_cost in rows:
        amount = cost.annual_cost if cost.annual_cost is not None else band_cost
        if amount is not None:
            found[(cost.profile_id, cost.year)] = (Decimal(amount), cost.annual_hours)
    return found


def turnover(session: Session, company_id: int) -> dict[int, Decimal]:
    rows = session.exec(
        select(CompanyYear.year, col(CompanyYear.turnover)).where(
            col(CompanyYear.company_id) == company_id
        )
    )
    return {year: Decimal(amount) for year, amount in rows}


def programmes(session: Session) -> list[Programme]:
    return list(session.exec(select(Programme).order_by(col(Programme.name))))


def pay_band(session: Session, company_id: int, year: int, name: str) -> PayBand | None:
    return session.exec(
        select(PayBand).where(
            col(PayBand.company_id) == company_id,
            col(PayBand.year) == year,
            col(PayBand.name) == name,
        )
    ).first()


def company_year(session: Session, company_id: int, year: int) -> CompanyYear | None:
    return session.exec(
        select(CompanyYear).where(
            col(CompanyYear.company_id) == company_id, col(CompanyYear.year) == year
        )
    ).first()


def employee_cost(session: Session, profile_id: int, year: int) -> EmployeeCost | None:
    return session.exec(
        select(EmployeeCost).where(
            col(EmployeeCost.profile_id) == profile_id, col(EmployeeCost.year) == year
        )
    ).first()


def employees(session: Session, company_id: int) -> list[tuple[VolunteerProfile, str]]:
    """A company's employees with a volunteer profile, and their emails, in a stable order."""
    rows = session.exec(
        select(VolunteerProfile, col(Account.email))
        .join(Account, col(Account.id) == col(VolunteerProfile.account_id))
        .where(col(VolunteerProfile.employer_id) == company_id)
        .order_by(col(VolunteerProfile.id))
    )
    return [(profile, email) for profile, email in rows]
