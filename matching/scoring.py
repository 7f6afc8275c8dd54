"""The score of a (need, volunteer) pair in [0, 1], with its explanation.

Every score comes with what made it: each contribution, each competence matched, below level or
missing, and each exclusion reason. An excluded pair scores 0 and says why.
"""

from dataclasses import dataclass, field

from matching.constraints import Exclusion
from matching.coverage import CompetenceMatch, Coverage


@dataclass(frozen=True)
class Weights:
    """Provisional until the ranking evaluation (docs/matching-quality.md) measures them.

    Stated competences outweigh text similarity: the multilingual model scores texts in the
    need's own language higher (a French salesman's blog above an English-writing developer),
    while a competence someone declared or confirmed does not depend on the language used.
    """

    semantic: float = 0.35  # the texts mean the same thing (embedding, calibrated per need)
    coverage: float = 0.45  # the competences the need states, at their levels
    lexical: float = 0.1  # shared words and names of tools (TF-IDF), calibrated per need
    responsiveness: float = 0.05  # the association answers its volunteers
    fairness: float = 0.05  # volunteers already proposed everywhere are spread out


@dataclass(frozen=True)
class Signals:
    semantic: float  # each in [0, 1]
    lexical: float
    coverage: Coverage
    responsiveness: float = 0.5  # unknown history: neutral
    exposure: float = 0.0  # share of the volunteer's recent proposals; 0 = not over-exposed


@dataclass(frozen=True)
class Explanation:
    score: float
    contributions: dict[str, float]
    competences: tuple[CompetenceMatch, ...] = ()
    exclusions: tuple[Exclusion, ...] = field(default=())

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)


def pair_score(
    signals: Signals, exclusions: list[Exclusion], weights: Weights | None = None
) -> Explanation:
    """Weighted sum of the signals; a need that states no competence gives coverage's weight
    to semantic similarity, so its volunteers are not all marked down alike."""
    w = weights or Weights()
    semantic_weight, coverage_weight = w.semantic, w.coverage
    if signals.coverage.score is None:
        semantic_weight, coverage_weight = w.semantic + w.coverage, 0.0
    contributions = {
        "semantic": semantic_weight * signals.semantic,
        "coverage": coverage_weight * (signals.coverage.score or 0.0),
        "lexical": w.lexical * signals.lexical,
        "responsiveness": w.responsiveness * signals.responsiveness,
        "fairness": w.fairness * (1.0 - signals.exposure),
    }
    total = sum(contributions.values()) / (
        semantic_weight + coverage_weight + w.lexical + w.responsiveness + w.fairness
    )
    score = 0.0 if exclusions else round(min(1.0, max(0.0, total)), 4)
    return Explanation(
        score=score,
        contributions={name: round(value, 4) for name, value in contributions.items()},
        competences=signals.coverage.matches,
        exclusions=tuple(exclusions),
    )
