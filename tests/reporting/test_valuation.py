"""The valuation rules on their own, against amounts computed by hand (to the cent)."""

from decimal import Decimal

from config import REPOSITORY
from reporting.valuation import GivenTime, cents, load_rules, value_time

RULES = load_rules(REPOSITORY / "data" / "valuation" / "rules.json")


def test_an_hour_is_the_yearly_cost_over_the_yearly_hours() -> None:
    # 52,000 / 1,607 h = 32.358431... an hour; 35 h = 1,132.545... → 1,132.55
    found = value_time([GivenTime(1, 10, 2025, Decimal(35), Decimal(52_000))], RULES, country="FR")
    assert cents(found.value) == Decimal("1132.55")
    assert found.years[2025].hours_valued == 35


def test_the_cost_is_capped_at_three_social_security_ceilings() -> None:
    # 2026: 3 x 48,060 = 144,180 retained of 180,000; / 1,607 x 20 h = 1,794.3995 → 1,794.40
    found = value_time([GivenTime(2, 10, 2026, Decimal(20), Decimal(180_000))], RULES, country="FR")
    assert cents(found.value) == Decimal("1794.40")
    assert found.years[2026].employees_capped == 1
    below = value_time([GivenTime(3, 10, 2026, Decimal(20), Decimal(144_000))], RULES, country="FR")
    assert below.years[2026].employees_capped == 0


def test_part_time_uses_the_employees_own_hours() -> None:
    # 30,000 / 1,200 h = 25.00 an hour; 10 h = 250.00
    found = value_time(
        [GivenTime(4, 10, 2026, Decimal(10), Decimal(30_000), Decimal(1200))], RULES, country="FR"
    )
    assert cents(found.value) == Decimal("250.00")


def test_each_year_has_its_rule_set() -> None:
    # Above the cap, the value follows each year's ceiling: 3 x 47,100 in 2025, 3 x 48,060 in
    # 2026 (hours on each side of the new year are valued with their own year's rule).
    rich = Decimal(200_000)
    found = value_time(
        [GivenTime(5, 10, 2025, Decimal(10), rich), GivenTime(5, 10, 2026, Decimal(10), rich)],
        RULES,
        country="FR",
    )
    assert cents(found.years[2025].value) == Decimal("879.28")  # 141,300 / 1,607 x 10
    assert cents(found.years[2026].value) == Decimal("897.20")  # 144,180 / 1,607 x 10


def test_the_reduction_is_sixty_percent_within_its_ceiling() -> None:
    # A full year (1,607 h) of an employee costing 100,000 (under the cap): value 100,000.00;
    # 60 % = 60,000.00, against a ceiling of max(20,000, 0.5 % of turnover).
    given = [GivenTime(1, 10, 2026, Decimal(1607), Decimal(100_000))]
    small = value_time(given, RULES, country="FR", turnover={2026: Decimal(1_000_000)})
    year = small.years[2026]
    assert cents(year.value) == Decimal("100000.00")
    assert cents(year.reduction_estimate) == Decimal("60000.00")
    assert year.ceiling == Decimal(20_000)  # 0.5 % of 1,000,000 = 5,000 < 20,000
    assert cents(year.reduction_this_year) == Decimal("20000.00")
    assert cents(year.carried_forward) == Decimal("40000.00")
    large = value_time(given, RULES, country="FR", turnover={2026: Decimal(20_000_000)})
    assert large.years[2026].ceiling == Decimal(100_000)  # 0.5 % of 20 M
    assert cents(large.years[2026].reduction_this_year) == Decimal("60000.00")


def test_hours_without_a_cost_are_counted_apart_and_not_valued() -> None:
    found = value_time([GivenTime(6, 10, 2026, Decimal(6), None)], RULES, country="FR")
    assert found.value == 0
    assert found.years[2026].hours_without_cost == 6


def test_hours_without_a_rule_set_are_set_apart_not_guessed() -> None:
    later = value_time(
        [
            GivenTime(7, 10, 2031, Decimal(3), Decimal(50_000)),
            GivenTime(7, 10, 2026, Decimal(2), Decimal(50_000)),
        ],
        RULES,
        country="FR",
    )
    assert later.without_rules == {2031: Decimal(3)}
    assert list(later.years) == [2026]
    elsewhere = value_time([GivenTime(7, 10, 2026, Decimal(1), Decimal(1))], RULES, country="DE")
    assert elsewhere.value == 0
    assert elsewhere.hours_without_rules == 1
