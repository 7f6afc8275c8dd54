"""Reading the reference frameworks as people and badges see them (titles, levels, URLs)."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from badges.record import level_label
from models import Competence, Framework, NotFound, queries
from services.credentials.urls import PublicUrls


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
    if competence.uri or framework.hosted_path is None:
        return competence.uri or ""
    return PublicUrls.of(base_url).competence(framework.hosted_path, competence.code)


def level_code(framework: Framework, level: int) -> str:
    return level_label(framework.kind.value, level)


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


@dataclass(frozen=True)
class CompetencePage:
    """What the page of a competence (or of a competence at one level) shows, for people and,
    as a CASE-like item, for machines: every alignment URL of a badge resolves to one."""

    framework: Framework
    view: CompetenceView
    level: LevelView | None

    def item(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "uri": self.view.uri if self.level is None else f"{self.view.uri}/{self.level.code}",
            "CFItemType": "Competency" if self.level is None else "ProficiencyLevel",
            "humanCodingScheme": self.view.code
            if self.level is None
            else f"{self.view.code}/{self.level.code}",
            "fullStatement": self.view.description_en or self.view.title_en,
            "title": {"en": self.view.title_en, "fr": self.view.title_fr},
            "framework": {
                "name": self.framework.name,
                "version": self.framework.version,
                "licence": self.framework.licence,
                "source": self.framework.source_url,
            },
            "levels": [
                {"code": lv.code, "uri": f"{self.view.uri}/{lv.code}"} for lv in self.view.levels
            ],
        }
        if self.level is not None:
            found["level"] = {
                "code": self.level.code,
                "descriptor": {"en": self.level.descriptor_en, "fr": self.level.descriptor_fr},
            }
        return found


def competence_page(
    session: Session, hosted_path: str, code: str, level: str | None, *, base_url: str
) -> CompetencePage:
    framework = next(
        (f for f in queries.reference.list_frameworks(session) if f.hosted_path == hosted_path),
        None,
    )
    if framework is None:
        raise NotFound(f"no framework is published at /frameworks/{hosted_path}")
    view = competence_view(session, framework.id, code, base_url=base_url)
    found = None
    if level is not None:
        found = next((lv for lv in view.levels if lv.code == level), None)
        if found is None:
            allowed = ", ".join(lv.code for lv in view.levels) or "none"
            raise NotFound(f"{code} has no level {level} (levels: {allowed})")
    return CompetencePage(framework, view, found)
