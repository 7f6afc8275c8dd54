"""Valuation of donated working time, by rule sets that are data (one per country and year,
`data/valuation/rules.json`), never code branches.

Money is `Decimal` throughout and rounded only when shown (`cents`). The French rule set
(mécénat de compétences): each hour is valued at the employee's cost (gross salary plus
employer charges) for the year divided by the year's working hours, the cost retained being
capped at `cap_multiple` times the social-security ceiling; the tax reduction is `reduction_rate`
of the value, within a ceiling of `ceiling_turnover_rate` times turnover or `ceiling_fixed`,
whichever is higher, and what exceeds it carries forward.
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from reporting.errors import ReportingError

CENT = Decimal("0.01")


class RulesError(ReportingError):
    """No rule set for a country and year, or a malformed rules file."""


def cents(amount: Decimal) -> Decimal:
    """For display and exports only: the amount rounded to the cent (half up, as on a bill)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RuleSet:
    country: str
    year: int
    name: str
    currency: str
    social_security_ceiling: Decimal  # PASS in France
    cap_multiple: Decimal
    annual_hours: Decimal
    reduction_rate: Decimal
    ceiling_fixed: Decimal
    ceiling_turnover_rate: Decimal
    carry_forward_years: int
    source: str

    @property
    def cost_cap(self) -> Decimal:
        return self.cap_multiple * self.social_security_ceiling

    def reduction_ceiling(self, turnover: Decimal | None) -> Decimal:
        by_turnover = self.ceiling_turnover_rate * (turnover or Decimal(0))
        return max(self.ceiling_fixed, by_turnover)


def load_rules(path: Path) -> dict[tuple[str, int], RuleSet]:
    """Raises:
    RulesError: the file is missing or a rule set lacks a field."""
    try:
        rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["rule_sets"]
        return {
            (row["country"], int(row["year"])): RuleSet(
                country=row["country"],
                year=int(row["year"]),
                name=row["name"],
                currency=row["currency"],
                social_security_ceiling=Decimal(row["social_security_ceiling"]),
                cap_multiple=Decimal(row["cap_multiple"]),
                annual_hours=Decimal(row["annual_hours"]),
                reduction_rate=Decimal(row["reduction_rate"]),
                ceiling_fixed=Decimal(row["ceiling_fixed"]),
                ceiling_turnover_rate=Decimal(row["ceiling_turnover_rate"]),
                carry_forward_years=int(row["carry_forward_years"]),
                source=row["source"],
            )
            for row in rows
        }
    except (OSError, KeyError, ValueError, TypeError, ArithmeticError) as exc:
        raise RulesError(f"the valuation rules {path} cannot be read: {exc}") from exc


@dataclass(frozen=True)
class GivenTime:
    """Approved hours one employee gave one association in one year."""

    employee: int  # an opaque key (the profile id): names and costs never leave this module
    association: int
    year: int
    hours: Decimal
    annual_cost: Decimal | None  # gross salary plus employer charges; None: not entered
    annual_hours: Decimal | None = None  # the employee's own working hours, if not the rule's


@dataclass
class YearValuation:
    year: int
    rule: RuleSet
    value: Decimal = Decimal(0)
    hours_valued: Decimal = Decimal(0)
    hours_without_cost: Decimal = Decimal(0)  # approved, but no cost entered: not valued
    employees_capped: int = 0  # whose cost was above the cap
    turnover: Decimal | None = None

    @property
    def reduction_estimate(self) -> Decimal:
        return self.rule.reduction_rate * self.value

    @property
    def ceiling(self) -> Decimal:
        return self.rule.reduction_ceiling(self.turnover)

    @property
    def reduction_this_year(self) -> Decimal:
        return min(self.reduction_estimate, self.ceiling)

    @property
    def carried_forward(self) -> Decimal:
        return self.reduction_estimate - self.reduction_this_year


@dataclass
class Valuation:
    years: dict[int, YearValuation] = field(default_factory=dict)
    by_association: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (assoc, year)
    # Approved hours of years the country has no rule set for: counted, never valued.
    without_rules: dict[int, Decimal] = field(default_factory=dict)

    @property
    def hours_without_rules(self) -> Decimal:
        return sum(self.without_rules.values(), Decimal(0))

    @property
    def value(self) -> Decimal:
        return sum((y.value for y in self.years.values()), Decimal(0))

    @property
    def reduction_estimate(self) -> Decimal:
        return sum((y.reduction_this_year for y in self.years.values()), Decimal(0))


def value_time(
    given: Iterable[GivenTime],
    rules: dict[tuple[str, int], RuleSet],
    *,
    country: str,
    turnover: dict[int, Decimal] | None = None,
) -> Valuation:
    """The valuation of approved hours, year by year with each year's rule set; hours of a
    year (or a country) without one are set apart in `without_rules`, not guessed at."""
    found = Valuation()
    capped: dict[int, set[int]] = defaultdict(set)
    for time in given:
        rule = rules.get((country, time.year))
        if rule is None:
            found.without_rules[time.year] = (
                found.without_rules.get(time.year, Decimal(0)) + time.hours
            )
            continue
        year = found.years.setdefault(
            time.year, YearValuation(time.year, rule, turnover=(turnover or {}).get(time.year))
        )
        if time.annual_cost is None:
            year.hours_without_cost += time.hours
            continue
        retained = min(time.annual_cost, rule.cost_cap)
        if retained < time.annual_cost:
            capped[time.year].add(time.employee)
        hourly = retained / (time.annual_hours or rule.annual_hours)
        value = hourly * time.hours
        year.value += value
        year.hours_valued += time.hours
        key = (time.association, time.year)
        found.by_association[key] = found.by_association.get(key, Decimal(0)) + value
    for year_number, employees in capped.items():
        found.years[year_number].employees_capped = len(employees)
    return found
