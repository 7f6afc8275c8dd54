"""What companies enter for the valuation of the time their employees give: the cost of each
employee (or of a pay band) per year, and the company's turnover per year. Only the totals of
a valuation are ever shown; these rows never leave the reporting code."""

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.types import AwareDateTime, utcnow

_MONEY = sa.Numeric(14, 2)


class PayBand(SQLModel, table=True):
    """A company's cost level shared by several employees (gross salary plus employer
    charges, for a year)."""

    __tablename__ = "pay_band"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "year", "name"),
        sa.CheckConstraint("annual_cost > 0", name="annual_cost"),
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
        sa.CheckConstraint("annual_cost IS NULL OR annual_cost > 0", name="annual_cost"),
        sa.CheckConstraint("annual_hours IS NULL OR annual_hours > 0", name="annual_hours"),
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
        sa.CheckConstraint("turnover >= 0", name="turnover"),
    )

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    year: int
    turnover: Decimal = Field(sa_type=sa.Numeric(16, 2))
