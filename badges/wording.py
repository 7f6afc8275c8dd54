"""A badge's words, beside the documents that carry them: its name, description and criteria,
and the statement of who verified the association. English, as the badge's JSON is; the pages
translate around them."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from badges.ob3 import level_label
from badges.record import Competence, Verified

# How each kind of identifier is named in a badge (IdentifierEntry "ext:" types, in words).
IDENTIFIERS = {
    "rna": ("RNA", "RNA number"),
    "siren": ("SIREN", "SIREN number"),
    "bce": ("BCE", "Belgian enterprise number"),
    "uk_charity": ("UKCharity", "UK charity number"),
    "other": ("Reference", "reference"),
}


def _hours_text(hours: Decimal) -> str:
    """12, 3.5: no trailing zeros, no exponent."""
    return f"{hours.normalize():f}"


def name(mission_title: str) -> str:
    return f"Pro bono mission: {mission_title}"


def description(association: str, hours: Decimal) -> str:
    return (
        f"Skills-based volunteering for {association}: {_hours_text(hours)} hours of work "
        f"approved by the association, which assessed the competences exercised."
    )


def criteria(mission_title: str, association: str, competences: Sequence[Competence]) -> str:
    listed = ", ".join(
        f"{c.code} {c.title}"
        + ("" if c.level is None else f" at {level_label(c.framework, c.level)}")
        for c in competences
    )
    return (
        f'Carried out the pro bono mission "{mission_title}" for {association}, '
        f"confirmed as completed by both sides. Competences exercised, as assessed by the "
        f"association: {listed or 'none stated'}."
    )


def verified(platform: str, on: date, identifier: tuple[str, str] | None) -> Verified:
    """Who verified the association, when, and from which identifier (kind, value)."""
    statement = f"Association verified by {platform} on {on.isoformat()}"
    if identifier is None:
        return Verified(statement + ".")
    kind, value = identifier
    code, words = IDENTIFIERS[kind]
    return Verified(f"{statement} from its {words} {value}.", ((code, value),))
