"""Reading the reference frameworks as people and badges see them (titles, levels, URLs)."""

from dataclasses import dataclass

from sqlmodel import Session

from models import Competence, Framework, queries


@dataclass(frozen=True)
class LevelView:
    level: int
    code: str
    descriptor_en: str | None
    descriptor_fr: str | None


@dataclass(frozen=True)
class CompetenceView:
    framework: str
    code: str
    uri: str
    title_en: str
    title_fr: str | None
    description_en: str | None
    description_fr: str | None
    groups: list[str]
    levels: list[LevelView]
    levels_note: str | None
    alt_labels: list[str]


def competence_uri(framework: Framework, competence: Competence, base_url: str) -> str:
    """ESCO keeps its own URIs; the frameworks we host get a stable, versioned page each."""
    if competence.uri:
        return competence.uri
    return f"{base_url.rstrip('/')}/frameworks/{framework.hosted_path}/{competence.code}"


def level_code(framework: Framework, level: int) -> str:
    return f"e-{level}" if framework.kind == "ecf" else str(level)


def competence_view(
    session: Session, framework_id: str, code: str, *, base_url: str
) -> CompetenceView:
    framework = queries.reference.get_framework(session, framework_id)
    competence = queries.reference.get_competence(session, framework_id, code)
    competence_id = competence.id or 0
    return CompetenceView(
        framework=framework.id,
        code=competence.code,
        uri=competence_uri(framework, competence, base_url),
        title_en=competence.title_en,
        title_fr=competence.title_fr,
        description_en=competence.description_en,
        description_fr=competence.description_fr,
        groups=[g.title_en for g in queries.reference.list_group_titles(session, competence_id)],
        levels=[
            LevelView(lv.level, level_code(framework, lv.level), lv.descriptor_en, lv.descriptor_fr)
            for lv in queries.reference.list_competence_levels(session, competence_id)
        ],
        levels_note=competence.levels_note,
        alt_labels=queries.reference.list_alt_labels(session, competence_id),
    )
