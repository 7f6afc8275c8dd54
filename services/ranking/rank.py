"""Need → the volunteers who fit best, and volunteer → the needs that fit best, each with the
explanation of its score.

Candidates come from the vector pool (the most similar texts) and, for a need, from the
volunteers who state its competences whatever their wording; each candidate is checked against
the hard constraints and scored from semantic similarity, competence coverage (declared and
confirmed statements first, inferred ones by their confidence), shared words and the soft
factors. The same pair gets the same explanation from either side.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session

from matching.constraints import Nearby
from matching.embedders import Embedder, Vectors
from matching.scoring import (
    Explanation,
)
from models import Need, NeedStatus, NotFound, VolunteerProfile, queries, utcnow
from models.queries.embeddings import Owner
from models.queries.matching import Filters
from services.actors import Actor
from services.errors import NotAllowed
from services.people.profiles import PUBLISHED
from services.ranking import sides
from services.ranking.encoding import need_text, profile_text, text_sha256
from services.ranking.vector_pool import Found
from services.records import FRAMEWORKS
from services.runtime import get_pool

CANDIDATES = 200  # by similarity, that go through the full scoring
_STATING = 200  # more candidates: volunteers who state a required competence
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
    association_name: str = ""  # as people read it

    @property
    def score(self) -> float:
        return self.explanation.score


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


def _allowed_need(session: Session, actor: Actor, need_id: int) -> Need:
    """The volunteers ranked for a need are people's names and places: only the need's
    association and admins see them; to anyone else an unpublished need does not exist."""
    need = queries.profiles.get_need(session, need_id)
    if actor.is_admin or need.organisation_id in actor.associations:
        return need
    if need.status not in PUBLISHED:
        raise NotFound(f"no need {need_id}")
    raise NotAllowed("only the need's association sees the volunteers who fit it")


def _allowed_profile(session: Session, actor: Actor, profile_id: int) -> VolunteerProfile:
    """The needs ranked for a volunteer say what their profile is: they are the volunteer's
    (and admins'); to anyone else the profile does not exist."""
    if not (actor.is_admin or actor.profile_id == profile_id):
        raise NotFound(f"no volunteer {profile_id}")
    return queries.profiles.get_profile(session, profile_id)


def rank_volunteers(
    session: Session,
    actor: Actor,
    need_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    top_k: int = 10,
    filters: Filters = NO_FILTERS,
    include_excluded: bool = False,
    today: date | None = None,
) -> list[RankedVolunteer]:
    """The best volunteers for one need, best first; excluded ones only if asked, last.

    Raises:
        NotFound: no such need, or an unpublished one the actor may not see.
        NotAllowed: the actor is neither of the need's association nor an admin.
    """
    need = _allowed_need(session, actor, need_id)
    text = need_text(need.title, need.description, need.deliverable)
    asking = sides.need_sides(session, {need_id: need})[need_id]
    allowed = queries.matching.profile_ids(session, filters)
    query = _stored_vector(session, "need", need_id, text, embedder)
    found = get_pool("profile", embedder.name).search(session, query, CANDIDATES, allowed)
    stating = queries.matching.profiles_stating(
        session, [_framework_code(s.code) for s in asking.requirements], _STATING
    )
    extra = [i for i in stating if i not in found.similarity and (allowed is None or i in allowed)]
    similarity = found.similarity | {
        i: float(v @ query)
        for i, v in queries.embeddings.vectors_of(
            session, "profile", extra, model=embedder.name
        ).items()
    }
    ranked = _volunteers_ranked(
        session, need, asking, similarity, found.reference, nearby, today or utcnow().date()
    )
    return [r for r in ranked if include_excluded or not r.explanation.excluded][:top_k]


def fit_volunteer(
    session: Session,
    actor: Actor,
    need_id: int,
    profile_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    today: date | None = None,
) -> RankedVolunteer | None:
    """Why one volunteer fits a need, explained as the need's ranking explains it, for the
    need's association (an applicant, an invited volunteer); None when the volunteer's text is
    not encoded yet.

    Raises:
        NotFound, NotAllowed: as `rank_volunteers`.
    """
    need = _allowed_need(session, actor, need_id)
    text = need_text(need.title, need.description, need.deliverable)
    query = _stored_vector(session, "need", need_id, text, embedder)
    found = get_pool("profile", embedder.name).search(session, query, 1, {profile_id})
    asking = sides.need_sides(session, {need_id: need})[need_id]
    ranked = _volunteers_ranked(
        session, need, asking, found.similarity, found.reference, nearby, today or utcnow().date()
    )
    return ranked[0] if ranked else None


def _volunteers_ranked(
    session: Session,
    need: Need,
    asking: sides.NeedSide,
    similarity: dict[int, float],
    reference: NDArray[np.float32],
    nearby: Nearby,
    today: date,
) -> list[RankedVolunteer]:
    """The volunteers found for a need, scored and explained, best first, excluded ones last."""
    people = queries.profiles.candidates(session, list(similarity))
    candidates = [c for c in similarity if c in people]  # not deleted since the pool refreshed
    if not candidates:
        return []
    others = sides.volunteer_sides(session, {c: people[c] for c in candidates}, asking.esco)
    explained = sides.explain(
        [(asking, others[c]) for c in candidates],
        np.array([similarity[c] for c in candidates], dtype=np.float32),
        reference,
        sides.lexical(
            need_text(need.title, need.description, need.deliverable),
            [profile_text(people[c].headline, people[c].about) for c in candidates],
        ),
        nearby=nearby,
        today=today,
    )
    return [
        RankedVolunteer(
            candidates[i],
            people[candidates[i]].display_name,
            people[candidates[i]].headline,
            people[candidates[i]].city,
            others[candidates[i]].languages,
            round(similarity[candidates[i]], 4),
            explained[i],
        )
        for i in sides.best(explained, len(explained), include_excluded=True)
    ]


def rank_needs(
    session: Session,
    actor: Actor,
    profile_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    top_k: int = 10,
    filters: Filters = NO_FILTERS,
    include_excluded: bool = False,
    today: date | None = None,
) -> list[RankedNeed]:
    """The open needs that fit one volunteer best, best first; excluded ones only if asked.

    Raises:
        NotFound: no such volunteer, or one that is not the actor (an admin sees every one).
    """
    profile = _allowed_profile(session, actor, profile_id)
    query = _stored_vector(
        session, "profile", profile_id, profile_text(profile.headline, profile.about), embedder
    )
    allowed = queries.matching.need_ids(session, OPEN, filters)
    found = get_pool("need", embedder.name).search(session, query, CANDIDATES, allowed)
    ranked = _needs_ranked(session, profile_id, profile, found, nearby, today or utcnow().date())
    return [r for r in ranked if include_excluded or not r.explanation.excluded][:top_k]


def fit(
    session: Session,
    actor: Actor,
    need_id: int,
    *,
    embedder: Embedder,
    nearby: Nearby,
    today: date | None = None,
) -> RankedNeed | None:
    """Why one need fits the acting volunteer, explained as their ranking explains it; None
    for someone without a volunteer profile, or a need whose text is not encoded yet."""
    if actor.profile_id is None:
        return None
    profile = queries.profiles.get_profile(session, actor.profile_id)
    query = _stored_vector(
        session,
        "profile",
        actor.profile_id,
        profile_text(profile.headline, profile.about),
        embedder,
    )
    found = get_pool("need", embedder.name).search(session, query, 1, {need_id})
    ranked = _needs_ranked(
        session, actor.profile_id, profile, found, nearby, today or utcnow().date()
    )
    return ranked[0] if ranked else None


def _needs_ranked(
    session: Session,
    profile_id: int,
    profile: VolunteerProfile,
    found: Found,
    nearby: Nearby,
    today: date,
) -> list[RankedNeed]:
    """The needs found for a volunteer, scored and explained, best first, excluded ones last."""
    text = profile_text(profile.headline, profile.about)
    asking = sides.volunteer_sides(session, {profile_id: profile})[profile_id]
    needs = {n.id: n for n in queries.profiles.iter_needs(session, only=list(found.similarity))}
    candidates = [c for c in found.similarity if c in needs]
    if not candidates:
        return []
    others = sides.need_sides(session, {c: needs[c] for c in candidates}, asking.esco)
    explained = sides.explain(
        [(others[c], asking) for c in candidates],
        np.array([found.similarity[c] for c in candidates], dtype=np.float32),
        found.reference,
        sides.lexical(
            text,
            [
                need_text(needs[c].title, needs[c].description, needs[c].deliverable)
                for c in candidates
            ],
        ),
        nearby=nearby,
        today=today,
    )
    organisations = queries.credentials.organisations_by_id(
        session, sorted({needs[c].organisation_id for c in candidates})
    )
    ranked = []
    for i in sides.best(explained, len(explained), include_excluded=True):
        need = needs[candidates[i]]
        association = organisations[need.organisation_id]
        ranked.append(
            RankedNeed(
                candidates[i],
                need.title,
                association.slug,
                need.work_mode.value,
                need.city,
                need.hours_estimate,
                others[candidates[i]].languages,
                round(found.similarity[candidates[i]], 4),
                explained[i],
                association_name=association.name,
            )
        )
    return ranked


def _framework_code(code: str) -> tuple[str, str]:
    short, _, rest = code.partition(":")
    return FRAMEWORKS[short], rest
