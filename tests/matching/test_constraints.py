"""Hard constraints: who can never be proposed, and the reason given."""

from dataclasses import replace
from datetime import date

from matching.constraints import (
    Nearby,
    NeedFacts,
    VolunteerFacts,
    capacity_hours,
    exclusions,
    penalties,
)
from tests.conftest import DATA_DIR

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
    assert rules(hybrid, replace(VOLUNTEER, country="BE", remote_ok=False)) == ["place"]
    assert rules(NEED, replace(VOLUNTEER, remote_ok=False)) == ["place"]
    reason = exclusions(onsite, replace(VOLUNTEER, city="Lyon"), today=TODAY)[0].reason
    assert reason == "lives in Lyon, and this mission needs presence in saint etienne"


def test_hours_below_a_quarter_exclude_and_part_of_them_only_lower() -> None:
    # 3 months (92 days) x 10 h = about 30 h: enough, nothing to say.
    assert capacity_hours(NEED, VOLUNTEER, TODAY) > 30
    assert penalties(NEED, VOLUNTEER, today=TODAY) == []
    # 5 h a month: about 15 h of the 30 asked, the mission may take longer.
    half = replace(VOLUNTEER, hours_per_month=5)
    assert exclusions(NEED, half, today=TODAY) == []
    [penalty] = penalties(NEED, half, today=TODAY)
    assert penalty.rule == "hours"
    assert penalty.reason == (
        "can give about 15 h of the 30 h asked before the deadline: the mission may take longer"
    )
    assert 0.45 < penalty.severity < 0.55
    # 2 h a month: about 6 h, under a quarter of the 30 asked: excluded, no penalty as well.
    found = exclusions(NEED, replace(VOLUNTEER, hours_per_month=2), today=TODAY)
    assert [e.rule for e in found] == ["hours"]
    assert "can give about 6 h before the deadline" in found[0].reason
    assert penalties(NEED, replace(VOLUNTEER, hours_per_month=2), today=TODAY) == []


def test_a_hybrid_mission_from_afar_is_lower_not_excluded_for_remote_workers() -> None:
    hybrid = replace(NEED, work_mode="hybrid", city="Lyon", country="FR")
    nearby = Nearby.of([["Lyon", "Saint-Étienne"]])
    assert exclusions(hybrid, VOLUNTEER, today=TODAY, nearby=nearby) == []
    assert penalties(hybrid, VOLUNTEER, today=TODAY, nearby=nearby) == []
    far = replace(VOLUNTEER, city="Lille")
    assert exclusions(hybrid, far, today=TODAY, nearby=nearby) == []
    [penalty] = penalties(hybrid, far, today=TODAY, nearby=nearby)
    assert (penalty.rule, penalty.severity) == ("place", 1.0)
    assert penalty.reason.startswith("lives in Lille, not near Lyon")
    # Not open to remote work: they cannot do it at all.
    on_site_only = replace(far, remote_ok=False)
    assert [e.rule for e in exclusions(hybrid, on_site_only, today=TODAY, nearby=nearby)] == [
        "place"
    ]
    # On-site missions stay a hard rule.
    onsite = replace(hybrid, work_mode="onsite")
    assert [e.rule for e in exclusions(onsite, far, today=TODAY, nearby=nearby)] == ["place"]


def test_a_city_is_the_same_under_its_names_in_other_languages() -> None:
    places = Nearby.of(
        [["Bruxelles", "Louvain"]], [["Bruxelles", "Brussels", "Brussel"], ["Louvain", "Leuven"]]
    )
    onsite = replace(NEED, work_mode="onsite", city="Bruxelles", country="BE")
    brussels = replace(VOLUNTEER, city="brussel", country="BE")
    assert exclusions(onsite, brussels, today=TODAY, nearby=places) == []
    assert exclusions(onsite, brussels, today=TODAY) != []  # without the aliases: not the same
    hybrid = replace(onsite, work_mode="hybrid")
    leuven = replace(brussels, city="Leuven", remote_ok=False)
    assert exclusions(hybrid, leuven, today=TODAY, nearby=places) == []


def test_the_alias_file_knows_the_common_names() -> None:
    data_dir = DATA_DIR
    places = Nearby.load(
        data_dir / "places" / "nearby_cities.json", data_dir / "places" / "city_aliases.json"
    )
    for a, b in (("Bruxelles", "Brussels"), ("Genève", "Geneva"), ("Lisboa", "Lisbon")):
        assert places.same(a, b)
    assert not places.same("Lyon", "Lille")


def test_dates() -> None:
    gone = replace(VOLUNTEER, available_until=date(2026, 2, 1))
    assert rules(NEED, gone) == ["dates"]
    late = replace(VOLUNTEER, available_from=date(2026, 7, 1))
    assert rules(NEED, late) == ["dates"]
    assert rules(replace(NEED, deadline=date(2026, 1, 1)), VOLUNTEER) == ["dates"]


def test_every_broken_rule_is_reported() -> None:
    bad = replace(VOLUNTEER, languages=frozenset({"de"}), remote_ok=False, hours_per_month=1)
    assert rules(NEED, bad) == ["language", "place", "hours"]


def test_a_reason_carries_its_figures_and_counts_hours_until_when_it_says() -> None:
    half = replace(VOLUNTEER, hours_per_month=5)
    [penalty] = penalties(NEED, half, today=TODAY)
    assert penalty.facts == {
        "kind": "part_of",
        "capacity": 15,
        "asked": 30,
        "per_month": 5,
        "by": 1,
        "months": 3,
    }
    # No deadline: the hours are counted over the next three months, and said so.
    [open_ended] = penalties(replace(NEED, deadline=None, hours_estimate=20), half, today=TODAY)
    assert open_ended.reason == (
        "can give about 15 h of the 20 h asked in the next 3 months: the mission may take longer"
    )
    # The volunteer leaves before the deadline: counted until then.
    leaving = replace(half, available_until=date(2026, 4, 1))
    [found] = exclusions(NEED, leaving, today=TODAY)
    assert found.facts["kind"] == "too_few"
    assert "can give about 5 h before the end of their availability" in found.reason
    passed = exclusions(replace(NEED, deadline=date(2026, 1, 1)), VOLUNTEER, today=TODAY)
    assert [(e.rule, e.facts) for e in passed] == [
        ("dates", {"kind": "deadline_passed", "date": date(2026, 1, 1)})
    ]
