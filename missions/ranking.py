"""Need → the volunteers who fit best, each with the explanation of its score.

The stored vectors of every profile are scored against the need (exact cosine over one float32
matrix), the best candidates are checked against the hard constraints, and each is scored from
semantic similarity, competence coverage, shared words and the soft factors.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from sqlmodel import Session

from matching.baselines import TfidfRanker
from matching.calibration import calibrated
from matching.constraints import NeedFacts, VolunteerFacts, exclusions
from matching.coverage import Stated, coverage
from matching.embedders import Embedder, Vectors
from matching.scoring import Explanation, Signals, pair_score
from missions.encoding import need_text, profile_text, text_sha256
from missions.people import STATED
from missions.records import FRAMEWORKS
from models import Need, VolunteerProfile, queries, utcnow

CANDIDATES = 200  # volunteers, by similarity, that go through the full scoring
_EXPOSURE_CAP = 3  # live missions at which a volunteer counts as fully exposed
_ANSWER_DELAY = timedelta(days=7)  # a proposal left this long unanswered counts against


@dataclass(frozen=True)
class RankedVolunteer:
    profile_id: int
    display_name: str
    headline: str
    city: str
    languages: list[str]
    similarity: float
    explanation: Explanation


def _need_vector(session: Session, need: Need, embedder: Embedder) -> Vectors:
    text = need_text(need.title, need.description, need.deliverable)
    stored = queries.embeddings.need_vector(session, need.id or 0, model=embedder.name)
    if stored is not None and stored[0] == text_sha256(text) and stored[1] == embedder.version:
        vector: Vectors = np.frombuffer(stored[2], dtype="<f4").astype(np.float32)
        return vector
    fresh: Vectors = embedder.encode_queries([text])[0]  # not stored yet: for this request only
    return fresh


def _need_facts(session: Session, need: Need, need_id: int) -> NeedFacts:
    return NeedFacts(
        languages=frozenset(queries.profiles.need_languages(session, [need_id])[need_id]),
        work_mode=need.work_mode.value,
        city=need.city,
        country=need.country,
        hours_estimate=need.hours_estimate,
        deadline=need.deadline,
    )


def _volunteer_facts(profile: VolunteerProfile, languages: list[str]) -> VolunteerFacts:
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


_SHORT = {framework_id: name for name, framework_id in FRAMEWORKS.items()}


def _stated(rows: list[tuple[str, str, int | None]], source: str) -> list[Stated]:
    return [Stated(f"{_SHORT[framework]}:{code}", level, source) for framework, code, level in rows]


def _responsiveness(session: Session, organisation_id: int) -> float:
    answered, total = queries.missions.proposals_answered(
        session, organisation_id, utcnow() - _ANSWER_DELAY
    )
    return 0.5 if total == 0 else answered / total  # no history yet: neutral


def rank_volunteers(
    session: Session,
    need_id: int,
    *,
    embedder: Embedder,
    top_k: int = 10,
    include_excluded: bool = False,
    today: date | None = None,
) -> list[RankedVolunteer]:
    """The best volunteers for one need, best first; excluded ones only if asked, last."""
    need = queries.profiles.get_need(session, need_id)
    ids, matrix = queries.embeddings.load_vectors(session, "profile", model=embedder.name)
    if ids.size == 0:
        return []
    similarities = matrix @ _need_vector(session, need, embedder)
    semantic = calibrated(similarities, offset=0.0)  # over the whole pool of volunteers
    order = np.argsort(-similarities, kind="stable")[:CANDIDATES]
    candidates = [int(ids[i]) for i in order]
    pairs = {p.id: (p, a) for p, a in queries.profiles.iter_profiles(session, only=candidates)}
    languages = queries.profiles.profile_languages(session, candidates)
    claims = queries.profiles.profile_claims(session, candidates, STATED)
    live = queries.missions.live_missions(session, candidates)
    requirements = _stated(
        queries.profiles.need_requirements(session, [need_id], STATED)[need_id], "declared"
    )
    texts = [profile_text(pairs[c][0].headline, pairs[c][0].about) for c in candidates]
    lexical = calibrated(
        TfidfRanker(texts)
        .scores(need_text(need.title, need.description, need.deliverable))
        .astype(np.float32),
        offset=1.0,
    )
    facts = _need_facts(session, need, need_id)
    responsiveness = _responsiveness(session, need.organisation_id)
    day = today or utcnow().date()
    ranked = []
    for position, (profile_id, index) in enumerate(zip(candidates, order, strict=True)):
        profile, account = pairs[profile_id]
        signals = Signals(
            semantic=float(semantic[index]),
            lexical=float(lexical[position]),
            coverage=coverage(requirements, _stated(claims[profile_id], "declared")),
            responsiveness=responsiveness,
            exposure=min(1.0, live.get(profile_id, 0) / _EXPOSURE_CAP),
        )
        explanation = pair_score(
            signals, exclusions(facts, _volunteer_facts(profile, languages[profile_id]), today=day)
        )
        if explanation.excluded and not include_excluded:
            continue
        ranked.append(
            RankedVolunteer(
                profile_id,
                account.display_name,
                profile.headline,
                profile.city,
                languages[profile_id],
                round(float(similarities[index]), 4),
                explanation,
            )
        )
    ranked.sort(key=lambda r: (r.explanation.excluded, -r.explanation.score))
    return ranked[:top_k]
