"""Each side of a pair as scoring reads it, whichever side asks, and the one scoring of a
pair: the core that `services.ranking.rank` ranks both directions with, so that a pair gets
the same explanation from either side."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session

from matching.constraints import Nearby, NeedFacts, VolunteerFacts, exclusions, penalties
from matching.coverage import Stated, coverage, requirements_in_force
from matching.scoring import (
    LEXICAL_WEIGHTED,
    Explanation,
    Signals,
    esco_overlap,
    esco_skills,
    lexical_signal,
    pair_score,
    semantic_signal,
)
from models import ClaimSource, Need, VolunteerProfile, queries, utcnow
from models.queries.embeddings import Owner
from models.queries.matching import Statement
from services.records import FRAMEWORKS

_EXPOSURE_CAP = 3  # live missions at which a volunteer counts as fully exposed
_ANSWER_DELAY = timedelta(days=7)  # a proposal left this long unanswered counts against

_SHORT = {framework_id: name for name, framework_id in FRAMEWORKS.items()}
# An enum's `.value` costs a descriptor call; a ranking reads thousands of statements.
_SOURCES = {source: source.value for source in ClaimSource}


def _stated(rows: Sequence[Statement]) -> list[Stated]:
    return [
        Stated(
            f"{_SHORT[framework]}:{code}",
            level,
            _SOURCES[source],
            weight=1.0 if confidence is None else confidence,
        )
        for framework, code, level, source, confidence in rows
    ]


def _need_facts(need: Need, languages: list[str]) -> NeedFacts:
    return NeedFacts(
        languages=frozenset(languages),
        work_mode=need.work_mode.value,
        city=need.city,
        country=need.country,
        hours_estimate=need.hours_estimate,
        deadline=need.deadline,
    )


def _volunteer_facts(
    profile: VolunteerProfile | queries.profiles.Candidate, languages: list[str]
) -> VolunteerFacts:
    return VolunteerFacts(
        languages=frozenset(languages),
        city=profile.city,
        country=profile.country,
        remote_ok=profile.remote_ok,
        onsite_ok=profile.onsite_ok,
        hours_per_month=profile.hours_per_month,
        available_from=profile.available_from,
        available_until=profile.available_until,
    )


def _responsiveness(session: Session, organisation_id: int) -> float:
    answered, total = queries.missions.proposals_answered(
        session, organisation_id, utcnow() - _ANSWER_DELAY
    )
    return 0.5 if total == 0 else answered / total  # no history yet: neutral


def _exposure(live: int) -> float:
    return min(1.0, live / _EXPOSURE_CAP)


def lexical(text: str, others: list[str]) -> NDArray[np.float64]:
    """Shared words, when the product's weights read them (a TF-IDF fit per ranking, a few ms)."""
    if not LEXICAL_WEIGHTED:
        return np.zeros(len(others))
    return lexical_signal(text, others)


@dataclass(frozen=True)
class NeedSide:
    """What scoring reads of a need, whichever side asks."""

    requirements: list[Stated]  # those in force
    esco: dict[str, float]  # stated and read ESCO skills
    facts: NeedFacts
    languages: list[str]
    responsiveness: float  # of its association


@dataclass(frozen=True)
class VolunteerSide:
    """What scoring reads of a volunteer, whichever side asks."""

    offered: list[Stated]
    esco: dict[str, float]
    facts: VolunteerFacts
    languages: list[str]
    exposure: float


def need_sides(
    session: Session, needs: Mapping[int, Need], wanted: dict[str, float] | None = None
) -> dict[int, NeedSide]:
    """Needs as scoring reads them, in a few queries for all; of their read ESCO skills, only
    those of `wanted` (the other side's) when given."""
    ids = list(needs)
    requirements = queries.matching.requirement_statements(session, ids)
    languages = queries.profiles.need_languages(session, ids)
    read = _read(session, "need", ids, wanted)
    responsiveness = {
        org: _responsiveness(session, org) for org in {n.organisation_id for n in needs.values()}
    }
    sides = {}
    for i in ids:
        asked = _stated(requirements[i])
        sides[i] = NeedSide(
            requirements_in_force(asked),
            esco_skills(asked) | read[i],
            _need_facts(needs[i], languages[i]),
            languages[i],
            responsiveness[needs[i].organisation_id],
        )
    return sides


def volunteer_sides(
    session: Session,
    people: Mapping[int, VolunteerProfile | queries.profiles.Candidate],
    wanted: dict[str, float] | None = None,
) -> dict[int, VolunteerSide]:
    """Volunteers as scoring reads them; as `need_sides`."""
    ids = list(people)
    languages = queries.profiles.profile_languages(session, ids)
    claims = queries.matching.claim_statements(session, ids)
    read = _read(session, "profile", ids, wanted)
    live = queries.missions.live_missions(session, ids)
    sides = {}
    for i in ids:
        offered = _stated(claims[i])
        sides[i] = VolunteerSide(
            offered,
            esco_skills(offered) | read[i],
            _volunteer_facts(people[i], languages[i]),
            languages[i],
            _exposure(live.get(i, 0)),
        )
    return sides


def explain(
    pairs: Sequence[tuple[NeedSide, VolunteerSide]],
    similarity: NDArray[np.float32],
    reference: NDArray[np.float32],
    lexical: NDArray[np.float64],
    *,
    nearby: Nearby,
    today: date,
) -> list[Explanation]:
    """The one scoring of a pair, whichever side asks: the same pair gets the same
    explanation from either side."""
    semantic = semantic_signal(similarity, reference)
    return [
        pair_score(
            Signals(
                semantic=float(semantic[position]),
                lexical=float(lexical[position]),
                coverage=coverage(need.requirements, volunteer.offered),
                esco=esco_overlap(need.esco, volunteer.esco),
                responsiveness=need.responsiveness,
                exposure=volunteer.exposure,
            ),
            exclusions(need.facts, volunteer.facts, today=today, nearby=nearby),
            penalties=penalties(need.facts, volunteer.facts, today=today, nearby=nearby),
        )
        for position, (need, volunteer) in enumerate(pairs)
    ]


def best(explained: list[Explanation], top_k: int, include_excluded: bool) -> list[int]:
    """Positions of the best `top_k`, best first; excluded ones only if asked, last."""
    order = sorted(
        range(len(explained)), key=lambda i: (explained[i].excluded, -explained[i].score)
    )
    return [i for i in order if include_excluded or not explained[i].excluded][:top_k]


def _read(
    session: Session, owner: Owner, ids: list[int], wanted: dict[str, float] | None = None
) -> dict[int, dict[str, float]]:
    """The ESCO skills read in these texts, as the engine names them ("esco:<uuid>"); only
    those of `wanted` if given (the other side's: the only ones an overlap counts)."""
    codes = None if wanted is None else [c.removeprefix("esco:") for c in wanted]
    return {
        owner_id: {f"esco:{code}": score for code, score in found.items()}
        for owner_id, found in queries.matching.read_skills(session, owner, ids, codes).items()
    }
