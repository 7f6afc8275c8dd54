"""Coverage of a need's competences by a volunteer's, at the required levels.

A higher level covers fully; a lower one counts partially and the gap is named; a missing one
counts nothing. Confirmed and declared competences take precedence over inferred ones.
"""

from collections.abc import Sequence
from dataclasses import dataclass

# Sources a competence statement comes from, strongest first.
PRECEDENCE = ("confirmed", "declared", "inferred")
# Credit lost per level below the requirement (one level short still counts 0.6).
_PER_LEVEL_GAP = 0.4


@dataclass(frozen=True)
class Stated:
    """A competence a need requires or a volunteer has, with where the statement comes from."""

    code: str  # "ecf:B.1", "esco:<uuid>"
    level: int | None
    source: str = "declared"
    weight: float = 1.0  # a requirement's importance or an inference's confidence


@dataclass(frozen=True)
class CompetenceMatch:
    code: str
    required_level: int | None
    offered_level: int | None
    status: str  # "met", "below" or "missing"
    credit: float  # in [0, 1]
    source: str | None  # of the volunteer's statement used

    @property
    def gap(self) -> int:
        if self.required_level is None or self.offered_level is None:
            return 0
        return max(0, self.required_level - self.offered_level)


@dataclass(frozen=True)
class Coverage:
    score: float | None  # None when the need states no competence
    matches: tuple[CompetenceMatch, ...]
    # Every requirement was inferred from the need's text: nobody stated what the need asks.
    guessed: bool = False


def strongest(statements: Sequence[Stated]) -> dict[str, Stated]:
    """One statement per competence: the strongest source, then the highest level."""
    best: dict[str, Stated] = {}
    for statement in statements:
        current = best.get(statement.code)
        if current is None or _rank(statement) < _rank(current):
            best[statement.code] = statement
    return best


def _rank(statement: Stated) -> tuple[int, int]:
    source = (
        PRECEDENCE.index(statement.source) if statement.source in PRECEDENCE else len(PRECEDENCE)
    )
    return source, -(statement.level or 0)


def coverage(requirements: Sequence[Stated], claims: Sequence[Stated]) -> Coverage:
    required = strongest(requirements)
    offered = strongest(claims)
    matches = []
    for code, need in required.items():
        claim = offered.get(code)
        if claim is None:
            matches.append(CompetenceMatch(code, need.level, None, "missing", 0.0, None))
            continue
        gap = 0 if need.level is None or claim.level is None else need.level - claim.level
        credit = 1.0 if gap <= 0 else max(0.0, 1.0 - _PER_LEVEL_GAP * gap)
        credit *= min(1.0, claim.weight)  # an inferred competence counts as far as it is sure
        status = "met" if gap <= 0 else "below"
        matches.append(CompetenceMatch(code, need.level, claim.level, status, credit, claim.source))
    if not matches:
        return Coverage(None, ())
    weights = [required[m.code].weight for m in matches]
    score = sum(w * m.credit for w, m in zip(weights, matches, strict=True)) / sum(weights)
    guessed = all(r.source == "inferred" for r in required.values())
    return Coverage(score, tuple(matches), guessed)


def requirements_in_force(requirements: Sequence[Stated]) -> list[Stated]:
    """A need's declared or confirmed requirements when it has any, else the inferred ones:
    once the association has said what it needs, a guess from its text adds nothing."""
    stated = [r for r in requirements if r.source != "inferred"]
    return stated or list(requirements)
