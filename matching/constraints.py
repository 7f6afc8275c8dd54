"""Hard constraints between a need and a volunteer: each failed rule excludes the pair and says
why, in words both sides understand. A volunteer who cannot do the mission is never proposed."""

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Without a deadline or an end of availability, capacity is counted over this horizon.
DEFAULT_HORIZON = timedelta(days=90)
_DAYS_PER_MONTH = 30.44


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


@dataclass(frozen=True)
class Exclusion:
    rule: str  # "language", "place", "dates" or "hours"
    reason: str


def _place(name: str) -> str:
    """Compares city names without case, accents or hyphens ("Saint-Étienne" = "saint etienne")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace("-", " ").split())


@dataclass(frozen=True)
class Nearby:
    """Groups of cities close enough for a hybrid mission's occasional visits (one metropolitan
    area or a short train ride). On-site missions still need the same city."""

    groups: tuple[frozenset[str], ...] = ()

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]]) -> "Nearby":
        return cls(tuple(frozenset(_place(city) for city in group) for group in groups))

    @classmethod
    def load(cls, path: Path) -> "Nearby":
        return cls.of(json.loads(path.read_text(encoding="utf-8"))["groups"])

    def __call__(self, a: str, b: str) -> bool:
        a, b = _place(a), _place(b)
        return a == b or any(a in group and b in group for group in self.groups)


def _reachable(need: NeedFacts, volunteer: VolunteerFacts, nearby: Nearby) -> bool:
    if need.city is None:
        return False
    if need.country is not None and need.country != volunteer.country:
        return False
    if need.work_mode == "hybrid":
        return nearby(need.city, volunteer.city)
    return _place(need.city) == _place(volunteer.city)


def _place_exclusion(
    need: NeedFacts, volunteer: VolunteerFacts, nearby: Nearby
) -> Exclusion | None:
    if need.work_mode == "remote":
        if volunteer.remote_ok:
            return None
        return Exclusion("place", "works on site only, and this mission is done remotely")
    where = need.city or "the association's city"
    if not volunteer.onsite_ok:
        return Exclusion(
            "place", f"works remotely only, and this mission needs presence in {where}"
        )
    if not _reachable(need, volunteer, nearby):
        return Exclusion(
            "place",
            f"lives in {volunteer.city}, and this mission needs presence in {where}"
            + (" or nearby" if need.work_mode == "hybrid" else ""),
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


def exclusions(
    need: NeedFacts, volunteer: VolunteerFacts, *, today: date, nearby: Nearby = Nearby()
) -> list[Exclusion]:
    """Every hard rule the pair breaks (empty: the volunteer can take the mission)."""
    found = []
    if not need.languages & volunteer.languages:
        found.append(
            Exclusion(
                "language",
                f"no shared working language (mission: {', '.join(sorted(need.languages))}; "
                f"volunteer: {', '.join(sorted(volunteer.languages))})",
            )
        )
    place = _place_exclusion(need, volunteer, nearby)
    if place is not None:
        found.append(place)
    if volunteer.available_until is not None and volunteer.available_until < today:
        found.append(
            Exclusion("dates", f"not available since {volunteer.available_until:%Y-%m-%d}")
        )
    elif need.deadline is not None and need.deadline < today:
        found.append(Exclusion("dates", f"the deadline {need.deadline:%Y-%m-%d} has passed"))
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
            )
        )
    else:
        capacity = capacity_hours(need, volunteer, today)
        if capacity < need.hours_estimate:
            found.append(
                Exclusion(
                    "hours",
                    f"can give about {capacity:.0f} h before the deadline "
                    f"({volunteer.hours_per_month} h a month); the mission needs about "
                    f"{need.hours_estimate} h",
                )
            )
    return found
