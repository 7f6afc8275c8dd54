"""What a company enters to value its employees' time: pay bands, each employee's cost (an
amount or a band) per year, and its turnover per year. Read from CSV, row by row: every bad
row is reported with its line and reason, every good row is kept; a commit per batch of rows.

Columns (one file may mix kinds, by its `kind` column):
- `band`: year, name, annual_cost
- `employee`: year, email, annual_cost or band, annual_hours (optional, part time), team
  (optional: the employee's team, for the reports' breakdown)
- `turnover`: year, annual_cost holds the turnover
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlmodel import Session

from models import (
    CEILINGS,
    CompanyYear,
    EmployeeCost,
    InvalidData,
    NotFound,
    Organisation,
    OrganisationKind,
    PayBand,
    persisted_id,
    queries,
)
from reporting.errors import ReportingError

KINDS = ("band", "employee", "turnover")
_TEAM_LENGTH = 120


class CostError(ReportingError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


@dataclass
class CostReport:
    saved: int = 0
    errors: list[CostError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def company_of(session: Session, slug: str) -> Organisation:
    found = queries.organisations.find_organisation(session, slug)
    if found is None or found.kind is not OrganisationKind.COMPANY:
        raise NotFound(f"no company {slug!r}")
    return found


def _amount(value: str, line: int, name: str) -> Decimal:
    """A positive, finite amount within its ceiling: "Infinity", "NaN" or "1e999999999" would be
    stored as such (or fail later) and break every report that reads them."""
    try:
        amount = Decimal(value.strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise CostError(line, f"{name} {value!r} is not an amount") from None
    if not amount.is_finite():
        raise CostError(line, f"{name} {value!r} is not a finite amount")
    if amount <= 0:
        raise CostError(line, f"{name} must be more than 0")
    if amount > CEILINGS[name]:
        raise CostError(line, f"{name} {value!r} is above the largest allowed, {CEILINGS[name]}")
    return amount


def _year(value: str, line: int) -> int:
    if not value.strip().isdigit() or not 2000 <= int(value) <= 2100:
        raise CostError(line, f"year {value!r} is not a year")
    return int(value)


# Rows written per transaction: on SQLite a transaction holds the one write lock, so other
# writers (a volunteer logging hours) get their turn between batches of a large file.
BATCH_ROWS = 500


def import_costs(
    session: Session,
    company: Organisation,
    text: str,
    progress: Callable[[int, int], None] | None = None,
) -> CostReport:
    """Saves every good row, a batch at a time; `progress(done, total)` after each batch."""
    report = CostReport()
    company_id = persisted_id(company.id)
    reader = csv.DictReader(io.StringIO(text))
    try:  # each row with the line it ends on (a quoted cell may span lines)
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:  # a cell past the csv module's size limit
        raise InvalidData(f"line {reader.line_num}: the CSV cannot be read ({exc})") from None
    # Bands first: employees of the same file may name them. Lines stay those of the file.
    rows.sort(key=lambda numbered: (numbered[1].get("kind") or "").strip() != "band")
    for done, (number, row) in enumerate(rows, start=1):
        kind = (row.get("kind") or "").strip()
        try:
            with session.begin_nested():
                if kind not in KINDS:
                    raise CostError(number, f"kind must be one of {', '.join(KINDS)}")
                _save(session, company_id, kind, row, number)
            report.saved += 1
        except CostError as exc:
            report.errors.append(exc)
        except InvalidData as exc:  # text the database cannot store (models/text.py)
            report.errors.append(CostError(number, str(exc)))
        if done % BATCH_ROWS == 0 or done == len(rows):
            session.commit()
            if progress is not None:
                progress(done, len(rows))
    session.commit()
    return report


def _save(session: Session, company_id: int, kind: str, row: dict[str, str], line: int) -> None:
    year = _year(row.get("year") or "", line)
    if kind == "band":
        name = (row.get("name") or "").strip()
        if not name:
            raise CostError(line, "a band needs a name")
        band = queries.reporting.pay_band(session, company_id, year, name) or PayBand(
            company_id=company_id, year=year, name=name, annual_cost=Decimal(1)
        )
        band.annual_cost = _amount(row.get("annual_cost") or "", line, "annual_cost")
        session.add(band)
    elif kind == "turnover":
        entry = queries.reporting.company_year(session, company_id, year) or CompanyYear(
            company_id=company_id, year=year, turnover=Decimal(0)
        )
        entry.turnover = _amount(row.get("annual_cost") or "", line, "turnover")
        session.add(entry)
    else:
        _employee(session, company_id, year, row, line)
    session.flush()


def _employee(session: Session, company_id: int, year: int, row: dict[str, str], line: int) -> None:
    email = (row.get("email") or "").strip().lower()
    account = queries.organisations.find_account(session, email)
    profile = (
        None
        if account is None
        else queries.profiles.find_profile_by_account(session, persisted_id(account.id))
    )
    if profile is None or profile.employer_id != company_id:
        raise CostError(line, f"no employee {email!r} of this company has a volunteer profile")
    entry = queries.reporting.employee_cost(session, persisted_id(profile.id), year) or (
        EmployeeCost(company_id=company_id, profile_id=persisted_id(profile.id), year=year)
    )
    band_name = (row.get("band") or "").strip()
    if band_name:
        band = queries.reporting.pay_band(session, company_id, year, band_name)
        if band is None:
            raise CostError(line, f"no pay band {band_name!r} for {year}")
        entry.pay_band_id, entry.annual_cost = band.id, None
    else:
        entry.annual_cost = _amount(row.get("annual_cost") or "", line, "annual_cost")
        entry.pay_band_id = None
    hours = (row.get("annual_hours") or "").strip()
    entry.annual_hours = _amount(hours, line, "annual_hours") if hours else None
    team = (row.get("team") or "").strip()
    if len(team) > _TEAM_LENGTH:
        raise CostError(line, f"a team's name has at most {_TEAM_LENGTH} characters")
    if team:
        profile.team = team
        session.add(profile)
    session.add(entry)
