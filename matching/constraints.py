"""Constraints between a need and a volunteer, as the people themselves see them.

Hard rules exclude a pair and say why (no shared language, cannot be where the mission is, not
available, far too few hours): a volunteer who cannot do the mission is never proposed. Soft
rules only mark a pair down, with a reason in words: a volunteer who can give part of the hours
(the mission may take longer), or who lives elsewhere but can work remotely on a hybrid mission.
"""

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# Without a deadline or an end of availability, capacity is counted over this horizon.
DEFAULT_HORIZON = timedelta(days=90)
_DAYS_PER_MONTH = 30.44
# Below this share of the estimated hours the mission cannot be done in time: excluded. Between
# it and the full estimate, the mission may take longer: a soft penalty.
HOURS_FLOOR = 0.25


@dataclass(frozen=True)
class NeedFacts:
    languages: frozenset[str]
    work_mode: str  # "remote", "onsite" or "hybrid"
    city: str | None
    country: str | None
    hours_estimate: int
    deadline: date | None = None


@dataclass(frozen=True)
class VolunteerFacts:
    languages: frozenset[str]
    city: str
    country: str
    remote_ok: bool
    onsite_ok: bool
    hours_per_month: int
    available_from: date | None = None
    available_until: date | None = None


# The figures and names behind a reason, so that a page can say it in its own language: "kind"
# names the reason's variant, the rest fill it in (hours, cities, dates, language codes).
Facts = Mapping[str, str | int | date]


@dataclass(frozen=True)
class Exclusion:
    rule: str  # "language", "place", "dates" or "hours"
    reason: str  # in English, for the API and the command line
    facts: Facts = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Penalty:
    """A soft rule the pair breaks: the volunteer can still be proposed, lower."""

    rule: str  # "hours" or "place"
    reason: str  # in English, for the API and the command line
    severity: float  # in (0, 1]: how much of the rule's weight the pair loses
    facts: Facts = field(default_factory=dict, hash=False)


def _place(name: str) -> str:
    """Compares city names without case, accents or hyphens ("Saint-Étienne" = "saint etienne")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace("-", " ").split())


@dataclass(frozen=True)
class Nearby:
    """Which cities are the same (their names in other languages and spellings: Bruxelles =
    Brussels = Brussel) and which are close enough for a hybrid mission's occasional visits (one
    metropolitan area or a short train ride). On-site missions still need the same city."""

    groups: tuple[frozenset[str], ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # plain name → the city's first name

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]], aliases: Iterable[Iterable[str]] = ()) -> "Nearby":
        names = {}
        for names_of_one_city in aliases:
            plain = [_place(name) for name in names_of_one_city]
            names.update(dict.fromkeys(plain, plain[0]))
        canonical = cls((), names).same_as
        return cls(tuple(frozenset(canonical(city) for city in group) for group in groups), names)

    @classmethod
    def load(cls, nearby: Path, aliases: Path | None = None) -> "Nearby":
        """Reads data/places/nearby_cities.json and, if given, data/places/city_aliases.json."""
        names = json.loads(aliases.read_text(encoding="utf-8"))["cities"] if aliases else ()
        return cls.of(json.loads(nearby.read_text(encoding="utf-8"))["groups"], names)

    def same_as(self, city: str) -> str:
        """The city's one name for comparisons (without case, accents or hyphens)."""
        plain = _place(city)
        return self.aliases.get(plain, plain)

    def same(self, a: str, b: str) -> bool:
        return self.same_as(a) == self.same_as(b)

    def __call__(self, a: str, b: str) -> bool:
        a, b = self.same_as(a), self.same_as(b)
        return a == b or any(a in group and b in group for group in self.groups)


def _reachable(need: NeedFacts, volunteer: VolunteerFacts, nearby: Nearby) -> bool:
    if need.city is None:
        return False
    if need.country is not None and need.country != volunteer.country:
        return False
    if need.work_mode == "hybrid":
        return nearby(need.city, volunteer.city)
    return nearby.same(need.city, volunteer.city)


def _hybrid_from_afar(need: NeedFacts, volunteer: VolunteerFacts, nearby: Nearby) -> bool:
    """A hybrid mission the volunteer would mostly do remotely: they work remotely, and they
    cannot come (they live elsewhere, or do not work on site)."""
    return (
        need.work_mode == "hybrid"
        and volunteer.remote_ok
        and not (volunteer.onsite_ok and _reachable(need, volunteer, nearby))
    )


def _place_exclusion(
    need: NeedFacts, volunteer: VolunteerFacts, nearby: Nearby
) -> Exclusion | None:
    if need.work_mode == "remote":
        if volunteer.remote_ok:
            return None
        return Exclusion(
            "place",
            "works on site only, and this mission is done remotely",
            {"kind": "onsite_only"},
        )
    if _hybrid_from_afar(need, volunteer, nearby):
        return None  # a soft penalty (`penalties`)
    where = need.city or "the association's city"
    if not volunteer.onsite_ok:
        return Exclusion(
            "place",
            f"works remotely only, and this mission needs presence in {where}",
            {"kind": "remote_only", "where": where},
        )
    if not _reachable(need, volunteer, nearby):
        return Exclusion(
            "place",
            f"lives in {volunteer.city}, and this mission needs presence in {where}"
            + (" or nearby" if need.work_mode == "hybrid" else ""),
            {
                "kind": "far_hybrid" if need.work_mode == "hybrid" else "far",
                "city": volunteer.city,
                "where": where,
            },
        )
    return None


def _window(need: NeedFacts, volunteer: VolunteerFacts, today: date) -> tuple[date, date]:
    start = max(today, volunteer.available_from or today)
    ends = [d for d in (need.deadline, volunteer.available_until) if d is not None]
    return start, min(ends) if ends else start + DEFAULT_HORIZON


def capacity_hours(need: NeedFacts, volunteer: VolunteerFacts, today: date) -> float:
    """Hours the volunteer can give between now (or their start) and the deadline."""
    start, end = _window(need, volunteer, today)
    return max(0.0, (end - start).days / _DAYS_PER_MONTH * volunteer.hours_per_month)


def _hours_facts(
    kind: str, need: NeedFacts, volunteer: VolunteerFacts, capacity: float
) -> dict[str, str | int]:
    """The figures of an hours reason; "by" says until when they are counted: the deadline (1),
    the end of the volunteer's availability (2), or the next three months (0)."""
    deadline, until = need.deadline, volunteer.available_until
    by = 1 if deadline and (until is None or deadline <= until) else 2 if until else 0
    return {
        "kind": kind,
        "capacity": round(capacity),
        "asked": need.hours_estimate,
        "per_month": volunteer.hours_per_month,
        "by": by,
        "months": round(DEFAULT_HORIZON.days / _DAYS_PER_MONTH),
    }


def _until(facts: Mapping[str, str | int]) -> str:
    if facts["by"] == 1:
        return "before the deadline"
    if facts["by"] == 2:
        return "before the end of their availability"
    return f"in the next {facts['months']} months"


def exclusions(
    need: NeedFacts, volunteer: VolunteerFacts, *, today: date, nearby: Nearby = Nearby()
) -> list[Exclusion]:
    """Every hard rule the pair breaks (empty: the volunteer can take the mission)."""
    found = []
    if not need.languages & volunteer.languages:
        mission, theirs = ", ".join(sorted(need.languages)), ", ".join(sorted(volunteer.languages))
        found.append(
            Exclusion(
                "language",
                f"no shared working language (mission: {mission}; volunteer: {theirs})",
                {"kind": "none_shared", "mission": mission, "volunteer": theirs},
            )
        )
    place = _place_exclusion(need, volunteer, nearby)
    if place is not None:
        found.append(place)
    if volunteer.available_until is not None and volunteer.available_until < today:
        found.append(
            Exclusion(
                "dates",
                f"not available since {volunteer.available_until:%Y-%m-%d}",
                {"kind": "unavailable_since", "date": volunteer.available_until},
            )
        )
    elif need.deadline is not None and need.deadline < today:
        found.append(
            Exclusion(
                "dates",
                f"the deadline {need.deadline:%Y-%m-%d} has passed",
                {"kind": "deadline_passed", "date": need.deadline},
            )
        )
    elif (
        need.deadline is not None
        and volunteer.available_from is not None
        and volunteer.available_from > need.deadline
    ):
        found.append(
            Exclusion(
                "dates",
                f"available from {volunteer.available_from:%Y-%m-%d}, after the deadline "
                f"{need.deadline:%Y-%m-%d}",
                {
                    "kind": "starts_after",
                    "start": volunteer.available_from,
                    "date": need.deadline,
                },
            )
        )
    else:
        capacity = capacity_hours(need, volunteer, today)
        if capacity < HOURS_FLOOR * need.hours_estimate:
            facts = _hours_facts("too_few", need, volunteer, capacity)
            found.append(
                Exclusion(
                    "hours",
                    f"can give about {facts['capacity']} h {_until(facts)} "
                    f"({volunteer.hours_per_month} h a month); the mission needs about "
                    f"{need.hours_estimate} h",
                    facts,
                )
            )
    return found


def penalties(
    need: NeedFacts, volunteer: VolunteerFacts, *, today: date, nearby: Nearby = Nearby()
) -> list[Penalty]:
    """Every soft rule the pair breaks, with its reason in words (empty: nothing to say)."""
    found = []
    capacity = capacity_hours(need, volunteer, today)
    if HOURS_FLOOR * need.hours_estimate <= capacity < need.hours_estimate:
        facts = _hours_facts("part_of", need, volunteer, capacity)
        found.append(
            Penalty(
                "hours",
                f"can give about {facts['capacity']} h of the {need.hours_estimate} h asked "
                f"{_until(facts)}: the mission may take longer",
                severity=round(1.0 - capacity / need.hours_estimate, 4),
                facts=facts,
            )
        )
    if _hybrid_from_afar(need, volunteer, nearby):
        where = need.city or "the association's city"
        far = not _reachable(need, volunteer, nearby)
        found.append(
            Penalty(
                "place",
                f"lives in {volunteer.city}, not near {where}: would work remotely and come rarely"
                if far
                else f"works remotely only: would rarely come to {where}",
                severity=1.0,
                facts={
                    "kind": "from_afar" if far else "rarely_there",
                    "city": volunteer.city,
                    "where": where,
                },
            )
        )
    return found
