"""cost amounts are finite and within their ceilings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The values of models.tables.reporting.CEILINGS when this revision was written.
_COST, _TURNOVER, _HOURS = "10000000", "99999999999999.99", "8784"


def _within(column: str, ceiling: str) -> str:
    return f"{column} > 0 AND {column} <= {ceiling}"


# (table, constraint, condition before, condition after)
_CHECKS = (
    ("pay_band", "ck_pay_band_annual_cost", "annual_cost > 0", _within("annual_cost", _COST)),
    (
        "employee_cost",
        "ck_employee_cost_annual_cost",
        "annual_cost IS NULL OR annual_cost > 0",
        f"annual_cost IS NULL OR ({_within('annual_cost', _COST)})",
    ),
    (
        "employee_cost",
        "ck_employee_cost_annual_hours",
        "annual_hours IS NULL OR annual_hours > 0",
        f"annual_hours IS NULL OR ({_within('annual_hours', _HOURS)})",
    ),
    (
        "company_year",
        "ck_company_year_turnover",
        "turnover >= 0",
        f"turnover >= 0 AND turnover <= {_TURNOVER}",
    ),
)


def _replace(table: str, name: str, condition: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.create_check_constraint(op.f(name), condition)


def upgrade() -> None:
    # Amounts stored before the import checked them ("Infinity", NaN on PostgreSQL, absurd
    # sizes) made every report of their company fail: they are not costs anyone can use, so
    # they go (hours beyond a year fall back to the rule set's default), and the import can
    # be run again with the right figures.
    bad_cost = f"NOT ({_within('annual_cost', _COST)})"
    op.execute(
        f"UPDATE employee_cost SET annual_hours = NULL WHERE NOT ({_within('annual_hours', _HOURS)})"
    )
    op.execute(f"DELETE FROM employee_cost WHERE annual_cost IS NOT NULL AND {bad_cost}")
    op.execute(
        f"DELETE FROM employee_cost WHERE pay_band_id IN (SELECT id FROM pay_band WHERE {bad_cost})"
    )
    op.execute(f"DELETE FROM pay_band WHERE {bad_cost}")
    op.execute(f"DELETE FROM company_year WHERE NOT (turnover >= 0 AND turnover <= {_TURNOVER})")
    for table, name, _before, after in _CHECKS:
        _replace(table, name, after)


def downgrade() -> None:
    for table, name, before, _after in _CHECKS:
        _replace(table, name, before)
