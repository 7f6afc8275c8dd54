"""A badge's words, beside the documents that carry them: its name, description and criteria,
the statement of who verified the association, and the few phrases the documents write around
the facts. In the recipient's language (French or English; the achievement's `inLanguage`
says which), so that a French volunteer shows a French badge."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from badges.record import Competence, Verified, level_label

LANGUAGES = ("fr", "en")
_PHRASES = {
    "en": {
        "name": "Pro bono mission: {title}",
        "description": "Skills-based volunteering for {association}: {hours} hours of work "
        "approved by the association, which assessed the competences exercised.",
        "criteria": 'Carried out the pro bono mission "{title}" for {association}, confirmed '
        "as completed by both sides. Competences exercised, as assessed by the association: "
        "{listed}.",
        "none": "none stated",
        "at": "{competence} at {level}",
        "at level": "{competence}, level {level}",
        "verified": "Association verified by {platform} on {on}",
        "verified from": "{statement} from its {words} {value}.",
        "observed": "{competence}: level observed by the association",
        "observed in short": "{description} (level observed: {level})",
        "narrative": "{hours} hours of pro bono work for {association}, approved by the "
        "association.",
        "genre": "Pro bono mission",
        "endorsement": "Endorsement by {name}",
    },
    "fr": {
        "name": "Mission pro bono : {title}",
        "description": "Mécénat de compétences pour {association} : {hours} heures de travail "
        "approuvées par l'association, qui a évalué les compétences exercées.",
        "criteria": "A mené la mission pro bono « {title} » pour {association}, dont les deux "
        "parties ont confirmé l'achèvement. Compétences exercées, évaluées par l'association : "
        "{listed}.",
        "none": "aucune indiquée",
        "at": "{competence} au niveau {level}",
        "at level": "{competence}, niveau {level}",
        "verified": "Association vérifiée par {platform} le {on}",
        "verified from": "{statement} d'après son {words} {value}.",
        "observed": "{competence} : niveau observé par l'association",
        "observed in short": "{description} (niveau observé : {level})",
        "narrative": "{hours} heures de travail pro bono pour {association}, approuvées par "
        "l'association.",
        "genre": "Mission pro bono",
        "endorsement": "Recommandation de {name}",
    },
}
# How each kind of identifier is named in a badge (IdentifierEntry "ext:" types, in words).
IDENTIFIERS = {
    "rna": ("RNA", {"en": "RNA number", "fr": "numéro RNA"}),
    "siren": ("SIREN", {"en": "SIREN number", "fr": "numéro SIREN"}),
    "bce": ("BCE", {"en": "Belgian enterprise number", "fr": "numéro d'entreprise belge"}),
    "uk_charity": (
        "UKCharity",
        {"en": "UK charity number", "fr": "numéro d'organisme caritatif britannique"},
    ),
    "other": ("Reference", {"en": "reference", "fr": "numéro de référence"}),
}


def phrase(language: str, key: str, **facts: object) -> str:
    """One of the documents' phrases in the badge's language (English if it has none)."""
    return _PHRASES.get(language, _PHRASES["en"])[key].format(**facts)


def _hours_text(hours: Decimal, language: str) -> str:
    """12, 3.5 (3,5 in French): no trailing zeros, no exponent."""
    text = f"{hours.normalize():f}"
    return text.replace(".", ",") if language == "fr" else text


def name(mission_title: str, language: str) -> str:
    return phrase(language, "name", title=mission_title)


def mission_title(badge_name: str) -> str:
    """The mission's title inside a badge's name, whichever language names it."""
    for words in _PHRASES.values():
        prefix = words["name"].removesuffix("{title}")
        if badge_name.startswith(prefix):
            return badge_name.removeprefix(prefix)
    return badge_name


def description(association: str, hours: Decimal, language: str) -> str:
    return phrase(
        language, "description", association=association, hours=_hours_text(hours, language)
    )


def narrative(association: str, hours: Decimal, language: str) -> str:
    return phrase(
        language, "narrative", association=association, hours=_hours_text(hours, language)
    )


def criteria(
    mission_title: str, association: str, competences: Sequence[Competence], language: str
) -> str:
    listed = ", ".join(
        f"{c.code} {c.title}"
        if c.level is None
        else phrase(
            language,
            "at",
            competence=f"{c.code} {c.title}",
            level=level_label(c.framework, c.level),
        )
        for c in competences
    )
    return phrase(
        language,
        "criteria",
        title=mission_title,
        association=association,
        listed=listed or phrase(language, "none"),
    )


def verified(
    platform: str, on: date, identifier: tuple[str, str] | None, language: str
) -> Verified:
    """Who verified the association, when, and from which identifier (kind, value)."""
    statement = phrase(language, "verified", platform=platform, on=on.isoformat())
    if identifier is None:
        return Verified(statement + ".")
    kind, value = identifier
    code, words = IDENTIFIERS[kind]
    return Verified(
        phrase(
            language,
            "verified from",
            statement=statement,
            words=words.get(language, words["en"]),
            value=value,
        ),
        ((code, value),),
    )
