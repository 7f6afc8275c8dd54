"""A programme's engagement over a period: missions, hours, associations, volunteers,
credentials, response times, the competences the associations assessed, and the valuation
of the time given. The same report feeds the API, the command line, the dashboard and every
export, so they cannot disagree.

Period rules: a mission counts as proposed, accepted, completed, cancelled or declined when
that happened in the period; hours count by the day worked; a credential by its issue date.
Approved hours are valued whatever became of the mission (the association approved work it
received); hours waiting or rejected never are.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from sqlmodel import Session

from config import Settings
from models import (
    HoursStatus,
    MissionInitiator,
    MissionStatus,
    NotFound,
    Organisation,
    OrganisationKind,
    Programme,
    persisted_id,
    queries,
)
from models.queries.reporting import AssessmentRow, HoursRow, MissionRow
from reporting.valuation import GivenTime, Valuation, load_rules, value_time
from services.credentials import publication

SMALL_ASSOCIATION = 10  # staff at most: "small" in the figures


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    def holds(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment.astimezone(UTC).date() <= self.end

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=UTC)


@dataclass
class Line:
    """One row of a breakdown (a team, an association, a cause)."""

    name: str
    missions_completed: int = 0
    hours_declared: Decimal = Decimal(0)
    hours_approved: Decimal = Decimal(0)
    volunteers: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class CompetenceCount:
    framework: str
    code: str
    title: str
    area: str
    level: int | None
    missions: int


@dataclass(frozen=True)
class DigCompProgress:
    association: str
    code: str
    title: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class CredentialLine:
    id: str
    association: str
    issued_at: datetime
    revoked: bool
    verify_url: str


@dataclass(frozen=True)
class PresenceLine:
    """For the association's convention and presence sheet (no salary in it)."""

    association: str
    mission_title: str
    volunteer: str
    day: date
    hours: Decimal


@dataclass
class Report:
    programme: Programme
    company: str
    run_by: str
    period: Period
    missions: Counter[str]
    hours_declared: Decimal
    hours_approved: Decimal
    associations_helped: int
    small_associations_helped: int
    volunteers_engaged: int
    volunteers_returning: int
    credentials: list[CredentialLine]
    response_days_median: float | None
    response_days_p90: float | None
    by_team: list[Line]
    by_association: list[Line]
    by_cause: list[Line]
    competences: list[CompetenceCount]
    by_area_level: dict[tuple[str, str], int]  # (area, level) → assessments
    digcomp: list[DigCompProgress]
    valuation: Valuation
    association_names: dict[int, str]
    presence: list[PresenceLine]
    country: str

    @property
    def hours_by_month(self) -> list[tuple[str, Decimal]]:
        """Approved hours per month worked ("2025-03"), in order."""
        months: dict[str, Decimal] = {}
        for line in self.presence:
            key = line.day.strftime("%Y-%m")
            months[key] = months.get(key, Decimal(0)) + line.hours
        return sorted(months.items())

    @property
    def credentials_issued(self) -> int:
        return len(self.credentials)

    @property
    def credentials_revoked(self) -> int:
        return sum(1 for c in self.credentials if c.revoked)


def programme_of(session: Session, slug: str) -> Programme:
    found = queries.reporting.get_programme(session, slug)
    if found is None:
        raise NotFound(f"no programme {slug!r}")
    return found


def _lines(rows: list[tuple[str, HoursRow]], completed: dict[str, int]) -> list[Line]:
    lines: dict[str, Line] = {}
    for name, row in rows:
        line = lines.setdefault(name, Line(name))
        line.hours_declared += row.hours
        if row.status is HoursStatus.APPROVED:
            line.hours_approved += row.hours
        line.volunteers.add(row.volunteer_id)
    for name, count in completed.items():
        lines.setdefault(name, Line(name)).missions_completed = count
    return sorted(lines.values(), key=lambda line: (-line.hours_approved, line.name))


def _response_days(missions: list[MissionRow], period: Period) -> list[float]:
    """How long associations took to answer volunteers' applications made in the period."""
    days = []
    for row in missions:
        mission = row.mission
        if mission.initiated_by is not MissionInitiator.VOLUNTEER or not period.holds(
            mission.proposed_at
        ):
            continue
        answered = mission.association_accepted_at or (
            mission.ended_at if mission.status is MissionStatus.DECLINED else None
        )
        if answered is not None:
            days.append((answered - mission.proposed_at).total_seconds() / 86_400)
    return days


def _mission_counts(missions: list[MissionRow], period: Period) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in missions:
        m = row.mission
        counts["proposed"] += period.holds(m.proposed_at)
        accepted = (
            max(m.volunteer_accepted_at, m.association_accepted_at)
            if m.volunteer_accepted_at and m.association_accepted_at
            else None
        )
        counts["accepted"] += period.holds(accepted)
        counts["completed"] += period.holds(m.completed_at)
        counts["cancelled"] += m.status is MissionStatus.CANCELLED and period.holds(m.ended_at)
        counts["declined"] += m.status is MissionStatus.DECLINED and period.holds(m.ended_at)
    return counts


def _competences(
    rows: list[AssessmentRow], names: dict[int, str]
) -> tuple[list[CompetenceCount], dict[tuple[str, str], int], list[DigCompProgress]]:
    counted: Counter[tuple[str, str, str, str, int | None]] = Counter()
    by_area: Counter[tuple[str, str]] = Counter()
    digcomp = []
    for row in rows:
        area = row.area or "—"
        counted[(row.framework_id, row.code, row.title, area, row.level)] += 1
        if row.framework_id.startswith("ecf"):
            by_area[(area, f"e-{row.level}" if row.level else "—")] += 1
        if row.framework_id.startswith("digcomp"):
            digcomp.append(
                DigCompProgress(
                    names.get(row.association_id, "?"),
                    row.code,
                    row.title,
                    row.level_before,
                    row.level,
                )
            )
    competences = [
        CompetenceCount(f, code, title, area, level, n)
        for (f, code, title, area, level), n in sorted(counted.items())
    ]
    return competences, dict(sorted(by_area.items())), digcomp


def build(
    session: Session, settings: Settings, slug: str, period: Period, language: str = "en"
) -> Report:
    """The programme's report, competences and areas named in `language`. Raises:
    NotFound: no such programme. RulesError: the valuation rules cannot be read."""
    programme = programme_of(session, slug)
    programme_id = persisted_id(programme.id)
    organisations = queries.credentials.organisations_by_id(
        session, [programme.company_id, programme.run_by_id]
    )
    company = organisations[programme.company_id]
    missions = queries.reporting.missions(session, programme_id)
    hours = queries.reporting.hours(session, programme_id, period.start, period.end)
    approved = [h for h in hours if h.status is HoursStatus.APPROVED]
    completed = [row for row in missions if period.holds(row.mission.completed_at)]
    names = {persisted_id(row.association.id): row.association.name for row in missions}
    helped = {persisted_id(h.association.id): h.association for h in approved}
    for row in completed:
        helped[persisted_id(row.association.id)] = row.association
    engaged = {h.volunteer_id for h in hours} | {
        row.mission.volunteer_id for row in missions if period.holds(row.mission.proposed_at)
    }
    competences, by_area, digcomp = _competences(
        queries.reporting.assessments(
            session, [persisted_id(r.mission.id) for r in completed], language
        ),
        names,
    )
    median, p90 = _response_figures(_response_days(missions, period))
    return Report(
        programme=programme,
        company=company.name,
        run_by=organisations[programme.run_by_id].name,
        period=period,
        missions=_mission_counts(missions, period),
        hours_declared=sum((h.hours for h in hours), Decimal(0)),
        hours_approved=sum((h.hours for h in approved), Decimal(0)),
        associations_helped=len(helped),
        small_associations_helped=sum(1 for o in helped.values() if _small(o)),
        volunteers_engaged=len(engaged),
        volunteers_returning=len(
            queries.reporting.volunteers_active_before(session, sorted(engaged), period.starts_at)
        ),
        credentials=_credential_lines(session, settings, missions, names, period),
        response_days_median=median,
        response_days_p90=p90,
        by_team=_lines([(h.team or "—", h) for h in hours], _completed_by(completed, "team")),
        by_association=_lines(
            [(h.association.name, h) for h in hours], _completed_by(completed, "association")
        ),
        by_cause=_lines(
            [(_cause(h.association), h) for h in hours], _completed_by(completed, "cause")
        ),
        competences=competences,
        by_area_level=by_area,
        digcomp=digcomp,
        valuation=_valuation(session, settings, programme, approved, company.country),
        association_names=names,
        presence=[
            PresenceLine(h.association.name, h.need_title, h.volunteer_name, h.work_date, h.hours)
            for h in approved
        ],
        country=company.country,
    )


def _small(organisation: Organisation) -> bool:
    return (
        organisation.kind is OrganisationKind.ASSOCIATION
        and organisation.staff_size is not None
        and organisation.staff_size <= SMALL_ASSOCIATION
    )


def _cause(association: Organisation) -> str:
    return association.cause.value if association.cause else "—"


def _completed_by(completed: list[MissionRow], key: str) -> dict[str, int]:
    """Missions completed in the period, counted by team, association or cause."""
    counts: Counter[str] = Counter()
    for row in completed:
        counts[
            {
                "team": row.team or "—",
                "association": row.association.name,
                "cause": _cause(row.association),
            }[key]
        ] += 1
    return dict(counts)


def _response_figures(days: list[float]) -> tuple[float | None, float | None]:
    """The median and the 90th percentile of the associations' days to answer."""
    if not days:
        return None, None
    return statistics.median(days), (
        statistics.quantiles(days, n=10)[-1] if len(days) >= 2 else days[0]
    )


def _credential_lines(
    session: Session,
    settings: Settings,
    missions: list[MissionRow],
    names: dict[int, str],
    period: Period,
) -> list[CredentialLine]:
    """The credentials issued in the period, with where to verify each."""
    return [
        CredentialLine(
            c.id,
            names.get(_association_of(missions, c.mission_id), "?"),
            c.issued_at,
            c.revoked_at is not None,
            publication.credential_links(settings, c)["ob3_jwt"].removesuffix(".jwt"),
        )
        for c in queries.reporting.credentials(
            session, [persisted_id(row.mission.id) for row in missions]
        )
        if period.holds(c.issued_at)
    ]


def _association_of(missions: list[MissionRow], mission_id: int) -> int:
    return next(persisted_id(r.association.id) for r in missions if r.mission.id == mission_id)


def _valuation(
    session: Session,
    settings: Settings,
    programme: Programme,
    approved: list[HoursRow],
    country: str,
) -> Valuation:
    costs = queries.reporting.employee_costs(session, programme.company_id)
    given: dict[tuple[int, int, int], Decimal] = defaultdict(Decimal)
    for h in approved:
        given[(h.volunteer_id, persisted_id(h.association.id), h.work_date.year)] += h.hours
    rules = load_rules(Path(settings.data_dir) / "valuation" / "rules.json")
    return value_time(
        [
            GivenTime(
                employee, association, year, amount, *costs.get((employee, year), (None, None))
            )
            for (employee, association, year), amount in sorted(given.items())
        ],
        rules,
        country=country,
        turnover=queries.reporting.turnover(session, programme.company_id),
    )


def default_period(today: date) -> Period:
    """The calendar year so far."""
    return Period(date(today.year, 1, 1), today)
