"""Hard constraints: who can never be proposed, and the reason given."""

from dataclasses import replace
from datetime import date

from matching.constraints import NeedFacts, VolunteerFacts, capacity_hours, exclusions

TODAY = date(2026, 3, 1)
NEED = NeedFacts(
    languages=frozenset({"fr"}),
    work_mode="remote",
    city=None,
    country=None,
    hours_estimate=30,
    deadline=date(2026, 6, 1),
)
VOLUNTEER = VolunteerFacts(
    languages=frozenset({"fr", "en"}),
    city="Saint-Étienne",
    country="FR",
    remote_ok=True,
    onsite_ok=True,
    hours_per_month=10,
)


def rules(need: NeedFacts, volunteer: VolunteerFacts) -> list[str]:
    return [e.rule for e in exclusions(need, volunteer, today=TODAY)]


def test_a_volunteer_who_fits_is_not_excluded() -> None:
    assert exclusions(NEED, VOLUNTEER, today=TODAY) == []


def test_no_shared_language() -> None:
    found = exclusions(NEED, replace(VOLUNTEER, languages=frozenset({"en", "es"})), today=TODAY)
    assert [e.rule for e in found] == ["language"]
    assert found[0].reason == "no shared working language (mission: fr; volunteer: en, es)"


def test_place_rules_for_remote_onsite_and_hybrid() -> None:
    onsite = replace(NEED, work_mode="onsite", city="saint etienne", country="FR")
    assert rules(onsite, VOLUNTEER) == []  # same city, written differently
    assert rules(onsite, replace(VOLUNTEER, city="Lyon")) == ["place"]
    assert rules(onsite, replace(VOLUNTEER, onsite_ok=False)) == ["place"]
    hybrid = replace(onsite, work_mode="hybrid")
    assert rules(hybrid, replace(VOLUNTEER, country="BE")) == ["place"]
    assert rules(NEED, replace(VOLUNTEER, remote_ok=False)) == ["place"]
    reason = exclusions(onsite, replace(VOLUNTEER, city="Lyon"), today=TODAY)[0].reason
    assert reason == "lives in Lyon, and this mission needs presence in saint etienne"


def test_hours_before_the_deadline() -> None:
    # 3 months (92 days) x 10 h = about 30 h: just enough; 5 h a month is not.
    assert capacity_hours(NEED, VOLUNTEER, TODAY) > 30
    found = exclusions(NEED, replace(VOLUNTEER, hours_per_month=5), today=TODAY)
    assert [e.rule for e in found] == ["hours"]
    assert "can give about 15 h before the deadline" in found[0].reason


def test_dates() -> None:
    gone = replace(VOLUNTEER, available_until=date(2026, 2, 1))
    assert rules(NEED, gone) == ["dates"]
    late = replace(VOLUNTEER, available_from=date(2026, 7, 1))
    assert rules(NEED, late) == ["dates"]
    assert rules(replace(NEED, deadline=date(2026, 1, 1)), VOLUNTEER) == ["dates"]


def test_every_broken_rule_is_reported() -> None:
    bad = replace(VOLUNTEER, languages=frozenset({"de"}), remote_ok=False, hours_per_month=1)
    assert rules(NEED, bad) == ["language", "place", "hours"]
