"""What the API returns. Request bodies reuse the records of `missions.records`."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from models import Cause, NeedStatus, OrganisationKind, WorkMode


class Check(BaseModel):
    ok: bool
    detail: str


class HealthRead(BaseModel):
    status: str  # "ok" or "degraded"
    version: str
    database: Check
    schema_revision: Check
    reference_data: Check
    competences: dict[str, int]


class FrameworkRead(BaseModel):
    id: str
    kind: str
    name: str
    version: str
    licence: str
    attribution: str
    source_url: str
    loaded_at: datetime
    competences: int


class LevelRead(BaseModel):
    level: int
    code: str
    descriptor_en: str | None
    descriptor_fr: str | None


class CompetenceRead(BaseModel):
    framework: str
    code: str
    uri: str
    title_en: str
    title_fr: str | None
    description_en: str | None
    description_fr: str | None
    groups: list[str]
    levels: list[LevelRead]
    levels_note: str | None
    alt_labels: list[str]


class CompetenceSummary(BaseModel):
    framework: str
    code: str
    title_en: str
    title_fr: str | None
    level_min: int | None
    level_max: int | None


class OrganisationRead(BaseModel):
    slug: str
    name: str
    kind: OrganisationKind
    cause: Cause | None
    city: str
    country: str
    staff_size: int | None
    website: str | None
    description: str


class NeedRead(BaseModel):
    id: int
    association: str
    title: str
    description: str
    deliverable: str
    hours_estimate: int
    work_mode: WorkMode
    city: str | None
    country: str | None
    languages: list[str]
    deadline: date | None
    status: NeedStatus
    competences: list[str]


class SuggestionRead(BaseModel):
    framework: str
    code: str
    label: str
    score: float
    level: int | None
    uri: str | None


class SkillSuggestionsRead(BaseModel):
    ecf: list[SuggestionRead]
    esco: list[SuggestionRead]
    digcomp: list[SuggestionRead]


class SuggestRequest(BaseModel):
    text: str = Field(min_length=1, max_length=10_000, description="a need or a profile")
    top_k: int = Field(default=10, ge=1, le=50)


class CompetenceMatchRead(BaseModel):
    code: str
    required_level: int | None
    offered_level: int | None
    status: str
    gap: int


class ExclusionRead(BaseModel):
    rule: str
    reason: str


class ExplanationRead(BaseModel):
    contributions: dict[str, float]
    competences: list[CompetenceMatchRead]
    exclusions: list[ExclusionRead]
    requirements_inferred: bool = Field(
        description="the need states no competence: those compared were read from its text"
    )


class VolunteerMatchRead(BaseModel):
    profile_id: int
    display_name: str
    headline: str
    city: str
    languages: list[str]
    score: float
    similarity: float
    explanation: ExplanationRead


class NeedMatchRead(BaseModel):
    need_id: int
    title: str
    association: str
    work_mode: WorkMode
    city: str | None
    hours_estimate: int
    languages: list[str]
    score: float
    similarity: float
    explanation: ExplanationRead
