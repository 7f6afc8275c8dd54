"""The demo's engagement dashboards have something to show: costs entered through the real
import give every programme a valuation, teams and some hours still without a cost."""

from datetime import date

from sqlmodel import Session

from config import Settings
from models import queries
from reporting import demo as reporting_demo
from reporting import exports, figures, labels
from services.demo import badges, dataset
from tests.conftest import DATA_DIR

TODAY = date(2026, 6, 1)


def test_the_demo_programmes_are_valued(session: Session, settings: Settings) -> None:
    dataset.load_demo(session, DATA_DIR, seed=7, today=TODAY)
    badges.load_demo_badges(session, settings, seed=7)
    loaded = reporting_demo.load_demo_costs(session, DATA_DIR, seed=7, today=TODAY)
    assert loaded.companies == 4
    assert loaded.employees > 100
    period = figures.Period(date(2025, 1, 1), date(2026, 12, 31))
    reports = [
        figures.build(session, settings, p.slug, period)
        for p in queries.reporting.programmes(session)
    ]
    with_hours = [r for r in reports if r.hours_approved > 0]
    assert with_hours, "the demo has approved hours in some programme"
    for report in with_hours:
        assert {line.name for line in report.by_team} - {"—"}, report.programme.slug
        if report.country == "FR":
            assert report.valuation.value > 0, report.programme.slug
        else:  # Ireland has no rule set yet: counted, not valued, and said so
            assert report.valuation.value == 0
            assert report.valuation.hours_without_rules == report.hours_approved
            assert (
                "No valuation rule set covers IE" in exports.notes(report, labels.LABELS["en"])[-1]
            )
    again = reporting_demo.load_demo_costs(session, DATA_DIR, seed=7, today=TODAY)
    assert again.rows == loaded.rows  # entering the same costs again changes nothing
    assert [
        figures.build(session, settings, r.programme.slug, period).valuation.value for r in reports
    ] == [r.valuation.value for r in reports]
