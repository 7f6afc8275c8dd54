"""Need → the volunteers who fit best, and volunteer → the needs that fit best, each with the
explanation of its score.

Candidates come from the vector pool (the most similar texts) and, for a need, from the
volunteers who state its competences whatever their wording; each candidate is checked against
the hard constraints and scored from semantic similarity, competence coverage (declared and
confirmed statements first, inferred ones by their confidence), shared words and the soft
factors. The same pair gets the same explanation from either side.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session

from matching.constraints import Nearby, NeedFacts, VolunteerFacts, exclusions, penalties
from matching.coverage import Stated, coverage, requirements_in_force
from matching.embedders import Embedder, Vectors
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
from models import ClaimSource, Need, NeedStatus, NotFound, VolunteerProfile, queries, utcnow
from models.queries.embeddings import Owner
from models.queries.matching import Filters, Statement
from services.actors import Actor
from services.errors import NotAllowed
from services.ranking.encoding import need_text, profile_text, text_sha256
from services.ranking.vector_pool import pool_for
from services.records import FRAMEWORKS

CANDIDATES = 200  # by similarity, that go through the full scoring
_STATING = 200  # more candidates: volunteers who state a required competence
_EXPOSURE_CAP = 3  # live missions at which a volunteer counts as fully exposed
_ANSWER_DELAY = timedelta(days=7)  # a proposal left this long unanswered counts against
OPEN = (NeedStatus.OPEN,)
NO_FILTERS = Filters()  # the needs a volunteer can still be matched with


@dataclass(frozen=True)
class RankedVolunteer:
    profile_id: int
    display_name: str
    headline: str
    city: str
    languages: list[str]
    similarity: float
    explanation: Explanation

    @property
    def score(self) -> float:
        return self.explanation.score


@dataclass(frozen=True)
class RankedNeed:
    need_id: int
    title: str
    association: str  # its slug
    work_mode: str
    city: str | None
    hours_estimate: int
    languages: list[str]
    similarity: float
    explanation: Explanation

    @property
    def score(self) -> float:
        return self.explanation.score


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


def _stored_vector(
    session: Session, owner: Owner, owner_id: int, text: str, embedder: Embedder
) -> Vectors:
    stored = queries.embeddings.stored_vector(session, owner, owner_id, model=embedder.name)
    if stored is not None and stored[0] == text_sha256(text) and stored[1] == embedder.version:
        vector: Vectors = np.frombuffer(stored[2], dtype="<f4").astype(np.float32)
        return vector
    # Not encoded yet (or its text just changed): encoded for this request only.
    encode = embedder.encode_queries if owner == "need" else embedder.encode_documents
    fresh: Vectors = encode([text])[0]
    return fresh


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


def _lexical(text: str, others: list[str]) -> NDArray[np.float64]:
    """Shared words, when the product's weights read them (a TF-IDF fit per ranking, a few ms)."""
    if not LEXICAL_WEIGHTED:
        return np.zeros(len(others))
    return lexical_signal(text, others)


def _order(ranked: list[Explanation]) -> list[int]:
    return sorted(range(len(ranked)), key=lambda i: (ranked[i].excluded, -ranked[i].score))


def require_need_ranking(session: Session, actor: Actor, need_id: int) -> None:
    """The volunteers ranked for a need are people's names and places: only the need's
    association and admins see them."""
    need = queries.profiles.get_need(session, need_id)
    if not (actor.is_admin or need.organisation_id in actor.associations):
        raise NotAllowed("only the need's association sees the volunteers who fit it")


def require_profile_ranking(session: Session, actor: Actor, profile_id: int) -> None:
    """The needs ranked for a volunteer say what their profile is: they are the volunteer's
    (and admins'); to anyone else the profile does not exist."""
    if not (actor.is_admin or actor.profile_id == profile_id):
        raise NotFound(f"no volunteer {profile_id}")
    queries.profiles.get_profile(session, profile_id)


def rank_volunteers(
    session: Session,
    need_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    top_k: int = 10,
    filters: Filters = NO_FILTERS,
    include_excluded: bool = False,
    today: date | None = None,
) -> list[RankedVolunteer]:
    """The best volunteers for one need, best first; excluded ones only if asked, last."""
    need = queries.profiles.get_need(session, need_id)
    text = need_text(need.title, need.description, need.deliverable)
    asked = _stated(queries.matching.requirement_statements(session, [need_id])[need_id])
    requirements = requirements_in_force(asked)
    need_esco = esco_skills(asked) | _read(session, "need", [need_id])[need_id]
    allowed = queries.matching.profile_ids(session, filters)
    query = _stored_vector(session, "need", need_id, text, embedder)
    found = pool_for("profile", embedder.name).search(session, query, CANDIDATES, allowed)
    stating = queries.matching.profiles_stating(
        session, [_framework_code(s.code) for s in requirements], _STATING
    )
    extra = [i for i in stating if i not in found.similarity and (allowed is None or i in allowed)]
    similarity = found.similarity | {
        i: float(v @ query)
        for i, v in queries.embeddings.vectors_of(
            session, "profile", extra, model=embedder.name
        ).items()
    }
    if not similarity:
        return []
    people = queries.profiles.candidates(session, list(similarity))
    candidates = [c for c in similarity if c in people]  # not deleted since the pool refreshed
    semantic = semantic_signal(
        np.array([similarity[c] for c in candidates], dtype=np.float32), found.reference
    )
    languages = queries.profiles.profile_languages(session, candidates)
    claims = queries.matching.claim_statements(session, candidates)
    offered = {c: _stated(claims[c]) for c in candidates}
    read = _read(session, "profile", candidates, need_esco)
    live = queries.missions.live_missions(session, candidates)
    lexical = _lexical(
        text, [profile_text(people[c].headline, people[c].about) for c in candidates]
    )
    facts = _need_facts(need, queries.profiles.need_languages(session, [need_id])[need_id])
    responsiveness = _responsiveness(session, need.organisation_id)
    volunteers = {c: _volunteer_facts(people[c], languages[c]) for c in candidates}
    day = today or utcnow().date()
    explained = [
        pair_score(
            Signals(
                semantic=float(semantic[position]),
                lexical=float(lexical[position]),
                coverage=coverage(requirements, offered[c]),
                esco=esco_overlap(need_esco, esco_skills(offered[c]) | read[c]),
                responsiveness=responsiveness,
                exposure=_exposure(live.get(c, 0)),
            ),
            exclusions(facts, volunteers[c], today=day, nearby=nearby),
            penalties=penalties(facts, volunteers[c], today=day, nearby=nearby),
        )
        for position, c in enumerate(candidates)
    ]
    ranked = []
    for i in _order(explained):
        if explained[i].excluded and not include_excluded:
            continue
        person = people[candidates[i]]
        ranked.append(
            RankedVolunteer(
                candidates[i],
                person.display_name,
                person.headline,
                person.city,
                languages[candidates[i]],
                round(similarity[candidates[i]], 4),
                explained[i],
            )
        )
    return ranked[:top_k]


def rank_needs(
    session: Session,
    profile_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    top_k: int = 10,
    filters: Filters = NO_FILTERS,
    include_excluded: bool = False,
    today: date | None = None,
) -> list[RankedNeed]:
    """The open needs that fit one volunteer best, best first; excluded ones only if asked."""
    profile = queries.profiles.get_profile(session, profile_id)
    text = profile_text(profile.headline, profile.about)
    allowed = queries.matching.need_ids(session, OPEN, filters)
    found = pool_for("need", embedder.name).search(
        session,
        _stored_vector(session, "profile", profile_id, text, embedder),
        CANDIDATES,
        allowed,
    )
    needs = {n.id: n for n in queries.profiles.iter_needs(session, only=list(found.similarity))}
    candidates = [c for c in found.similarity if c in needs]
    if not candidates:
        return []
    semantic = semantic_signal(
        np.array([found.similarity[c] for c in candidates], dtype=np.float32), found.reference
    )
    languages = queries.profiles.need_languages(session, candidates)
    requirements = queries.matching.requirement_statements(session, candidates)
    asked = {c: _stated(requirements[c]) for c in candidates}
    claims = _stated(queries.matching.claim_statements(session, [profile_id])[profile_id])
    volunteer_esco = esco_skills(claims) | _read(session, "profile", [profile_id])[profile_id]
    read = _read(session, "need", candidates, volunteer_esco)
    lexical = _lexical(
        text,
        [need_text(needs[c].title, needs[c].description, needs[c].deliverable) for c in candidates],
    )
    volunteer = _volunteer_facts(
        profile, queries.profiles.profile_languages(session, [profile_id])[profile_id]
    )
    exposure = _exposure(queries.missions.live_missions(session, [profile_id]).get(profile_id, 0))
    responsiveness = {
        org: _responsiveness(session, org) for org in {needs[c].organisation_id for c in candidates}
    }
    slugs = queries.organisations.organisation_slugs(session)
    facts = {c: _need_facts(needs[c], languages[c]) for c in candidates}
    day = today or utcnow().date()
    explained = [
        pair_score(
            Signals(
                semantic=float(semantic[position]),
                lexical=float(lexical[position]),
                coverage=coverage(requirements_in_force(asked[c]), claims),
                esco=esco_overlap(esco_skills(asked[c]) | read[c], volunteer_esco),
                responsiveness=responsiveness[needs[c].organisation_id],
                exposure=exposure,
            ),
            exclusions(facts[c], volunteer, today=day, nearby=nearby),
            penalties=penalties(facts[c], volunteer, today=day, nearby=nearby),
        )
        for position, c in enumerate(candidates)
    ]
    ranked = []
    for i in _order(explained):
        if explained[i].excluded and not include_excluded:
            continue
        need = needs[candidates[i]]
        ranked.append(
            RankedNeed(
                candidates[i],
                need.title,
                slugs[need.organisation_id],
                need.work_mode.value,
                need.city,
                need.hours_estimate,
                languages[candidates[i]],
                round(found.similarity[candidates[i]], 4),
                explained[i],
            )
        )
    return ranked[:top_k]


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


def _framework_code(code: str) -> tuple[str, str]:
    short, _, rest = code.partition(":")
    return FRAMEWORKS[short], rest
