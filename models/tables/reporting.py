"""What companies enter for the valuation of the time their employees give: the cost of each
employee (or of a pay band) per year, and the company's turnover per year. Only the totals of
a valuation are ever shown; these rows never leave the reporting code."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import AwareDateTime, utcnow

_MONEY = sa.Numeric(14, 2)

# The largest value each amount may take: a yearly cost (of an employee or a pay band), a
# company's turnover (its column holds 14 digits before the point) and the hours of a year.
# The database refuses anything else, "Infinity" and "NaN" included (on PostgreSQL, NaN
# compares above every number), so that no stored row can break a report.
CEILINGS = {
    "annual_cost": Decimal(10_000_000),
    "turnover": Decimal(10**14) - Decimal("0.01"),
    "annual_hours": Decimal(8_784),
}


def within(column: str, ceiling: str) -> str:
    """The SQL condition of a positive amount within its ceiling."""
    return f"{column} > 0 AND {column} <= {CEILINGS[ceiling]}"


class PayBand(SQLModel, table=True):
    """A company's cost level shared by several employees (gross salary plus employer
    charges, for a year)."""

    __tablename__ = "pay_band"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "year", "name"),
        sa.CheckConstraint(within("annual_cost", "annual_cost"), name="annual_cost"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    year: int
    name: str = Field(max_length=80)
    annual_cost: Decimal = Field(sa_type=_MONEY)
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class EmployeeCost(SQLModel, table=True):
    """One employee's cost for a year: an amount, or a pay band (exactly one of them)."""

    __tablename__ = "employee_cost"
    __table_args__ = (
        sa.UniqueConstraint("profile_id", "year"),
        sa.CheckConstraint("(annual_cost IS NULL) <> (pay_band_id IS NULL)", name="one_source"),
        sa.CheckConstraint(
            f"annual_cost IS NULL OR ({within('annual_cost', 'annual_cost')})", name="annual_cost"
        ),
        sa.CheckConstraint(
            f"annual_hours IS NULL OR ({within('annual_hours', 'annual_hours')})",
            name="annual_hours",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    profile_id: int = Field(foreign_key="volunteer_profile.id", ondelete="CASCADE", index=True)
    year: int
    annual_cost: Decimal | None = Field(default=None, sa_type=_MONEY)
    pay_band_id: int | None = Field(default=None, foreign_key="pay_band.id", ondelete="RESTRICT")
    # The employee's yearly working hours when not the rule set's default (part time).
    annual_hours: Decimal | None = Field(default=None, sa_type=sa.Numeric(7, 2))
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class CompanyYear(SQLModel, table=True):
    """A company's turnover for a year: the tax reduction's ceiling depends on it."""

    __tablename__ = "company_year"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "year"),
        sa.CheckConstraint(
            f"turnover >= 0 AND turnover <= {CEILINGS['turnover']}", name="turnover"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    year: int
    turnover: Decimal = Field(sa_type=sa.Numeric(16, 2))
