"""The score of a (need, volunteer) pair in [0, 1], with its explanation.

Every score comes with what made it: each contribution, each competence matched, below level or
missing, and each exclusion reason. An excluded pair scores 0 and says why.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from matching.calibration import calibrated
from matching.constraints import Exclusion, Penalty
from matching.coverage import CompetenceMatch, Coverage, Stated
from matching.lexical import TfidfRanker

# Where each channel's logistic crosses 0.5, in standard deviations over the pool: an average
# volunteer is half-similar in meaning, while sharing words is rarer and only the top counts.
_SEMANTIC_OFFSET = 0.0
_LEXICAL_OFFSET = 1.0


@dataclass(frozen=True)
class Weights:
    """How much each signal counts. The two sets below were chosen by the ranking evaluation
    (docs/matching-quality.md), each by a grid search over the team's FR/EN set in its own
    situation, with semantic similarity kept at 0.15 or more so that volunteers who cover a need
    equally are still told apart by their text."""

    semantic: float  # the texts mean the same thing (embedding, calibrated per need)
    coverage: float  # the competences the need asks for, at their levels
    lexical: float  # shared words and names of tools (TF-IDF), calibrated per need
    esco: float = 0.0  # the ESCO skills read in both texts overlap
    responsiveness: float = 0.05  # the association answers its volunteers
    fairness: float = 0.05  # volunteers already proposed everywhere are spread out
    # Soft rules, taken off the score by their severity: part of the hours only, a hybrid
    # mission done mostly from afar.
    hours: float = 0.1
    place: float = 0.1


# Both sets were chosen on the training split of the ranking evaluation, by a search over the
# weights with every training need asked in both languages (docs/matching-quality.md), never on
# its test split.
# The association stated the competences its need asks for. Stated competences outweigh text
# similarity: the multilingual model scores texts in the need's own language higher, while a
# competence someone declared or confirmed does not depend on the language used.
STATED = Weights(semantic=0.15, coverage=0.6, lexical=0.0, esco=0.15, hours=0.4, place=0.2)
# Nobody stated what the need asks: its competences are inferred from its text and are wrong
# often enough that coverage counts less, and the ESCO skills both texts show count more. Shared
# words add nothing once meaning and competences are known. Part of the hours weighs heavily: a
# volunteer with half the hours asked loses 0.4, against 0.2 for a hybrid mission from afar.
GUESSED = Weights(semantic=0.15, coverage=0.45, lexical=0.0, esco=0.3, hours=0.8, place=0.2)
# Whether the product's weights read shared words at all: when not, ranking need not count them.
LEXICAL_WEIGHTED = STATED.lexical > 0 or GUESSED.lexical > 0


def weights_for(coverage: Coverage) -> Weights:
    """The product's weights for a pair, by what is known of the need's competences."""
    return GUESSED if coverage.guessed else STATED


@dataclass(frozen=True)
class Signals:
    semantic: float  # each in [0, 1]
    lexical: float
    coverage: Coverage
    esco: float = 0.0  # in [0, 1]: share of the need's ESCO skills the volunteer's text shows
    responsiveness: float = 0.5  # unknown history: neutral
    exposure: float = 0.0  # share of the volunteer's recent proposals; 0 = not over-exposed


@dataclass(frozen=True)
class Explanation:
    score: float
    contributions: dict[str, float]
    competences: tuple[CompetenceMatch, ...] = ()
    exclusions: tuple[Exclusion, ...] = field(default=())
    penalties: tuple[Penalty, ...] = field(default=())
    requirements_inferred: bool = False  # the need's competences were read from its text

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)


def pair_score(
    signals: Signals,
    exclusions: Sequence[Exclusion],
    weights: Weights | None = None,
    penalties: Sequence[Penalty] = (),
) -> Explanation:
    """Weighted sum of the signals (by default the product's weights for what is known of the
    need's competences), less the soft penalties; a need with no competence at all gives
    coverage's weight to semantic similarity, so its volunteers are not all marked down alike."""
    w = weights or weights_for(signals.coverage)
    semantic_weight, coverage_weight = w.semantic, w.coverage
    if signals.coverage.score is None:
        semantic_weight, coverage_weight = w.semantic + w.coverage, 0.0
    contributions = {
        "semantic": semantic_weight * signals.semantic,
        "coverage": coverage_weight * (signals.coverage.score or 0.0),
        "lexical": w.lexical * signals.lexical,
        "esco": w.esco * signals.esco,
        "responsiveness": w.responsiveness * signals.responsiveness,
        "fairness": w.fairness * (1.0 - signals.exposure),
    }
    for penalty in penalties:
        weight = {"hours": w.hours, "place": w.place}[penalty.rule]
        contributions[penalty.rule] = (
            contributions.get(penalty.rule, 0.0) - weight * penalty.severity
        )
    total = sum(contributions.values()) / (
        semantic_weight + coverage_weight + w.lexical + w.esco + w.responsiveness + w.fairness
    )
    score = 0.0 if exclusions else round(min(1.0, max(0.0, total)), 4)
    return Explanation(
        score=score,
        contributions={name: round(value, 4) for name, value in contributions.items()},
        competences=signals.coverage.matches,
        exclusions=tuple(exclusions),
        penalties=tuple(penalties),
        requirements_inferred=signals.coverage.guessed,
    )


def esco_skills(statements: Sequence[Stated]) -> dict[str, float]:
    """The ESCO skills of one side, each by its weight (an inferred one by its score)."""
    found: dict[str, float] = {}
    for statement in statements:
        if statement.code.startswith("esco:"):
            found[statement.code] = max(found.get(statement.code, 0.0), statement.weight)
    return found


def esco_overlap(need: dict[str, float], volunteer: dict[str, float]) -> float:
    """Share of the need's ESCO skills (each by its score) that the volunteer's text shows too."""
    total = sum(need.values())
    if not total:
        return 0.0
    return sum(min(score, volunteer.get(skill, 0.0)) for skill, score in need.items()) / total


def semantic_signal(
    similarities: NDArray[np.float32], reference: NDArray[np.float32] | None = None
) -> NDArray[np.float64]:
    """Embedding cosines of one query against its pool, as scores comparable across models.

    `reference` is the query's cosines over the whole pool (or a sample of it) when
    `similarities` are only some candidates."""
    return calibrated(similarities, offset=_SEMANTIC_OFFSET, reference=reference)


def lexical_signal(query: str, texts: Sequence[str]) -> NDArray[np.float64]:
    """Shared words and tool names (character TF-IDF fitted on the pool), calibrated likewise."""
    raw = _fitted(tuple(texts)).scores(query).astype(np.float32)
    return calibrated(raw, offset=_LEXICAL_OFFSET)


@lru_cache(maxsize=32)
def _fitted(texts: tuple[str, ...]) -> TfidfRanker:
    # Fitting is three quarters of a ranking's time (150 of 200 ms for a need's 200
    # candidates), and a need's candidates stay the same from one request to the next until a
    # profile changes: the same texts give the same model. The last 32 are kept per process
    # (about 3 MB each; a fitted model is only read, safe across threads).
    return TfidfRanker(texts)
