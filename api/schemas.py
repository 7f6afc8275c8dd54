"""What the API returns. Request bodies reuse the records of `services.records`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from models import (
    MAX_ID,
    MESSAGE_LENGTH,
    Cause,
    EndReason,
    HoursStatus,
    KeyAlgorithm,
    KeyStatus,
    MissionInitiator,
    MissionStatus,
    NeedStatus,
    OrganisationKind,
    Verification,
    WorkMode,
)
from services.records import CompetenceRef


class Check(BaseModel):
    ok: bool
    detail: str


class HealthRead(BaseModel):
    status: str  # "ok" or "degraded"
    version: str
    database: Check
    schema_revision: Check
    reference_data: Check
    embedding_model: Check
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
    # Associations: whether a platform admin checked that it exists (its badges are issued
    # only then), and when.
    verification: Verification
    verified_at: datetime | None


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


class PenaltyRead(BaseModel):
    rule: str = Field(description='"hours" or "place"')
    reason: str
    severity: float = Field(description="share of the rule's weight taken off the score")


class ExplanationRead(BaseModel):
    contributions: dict[str, float]
    competences: list[CompetenceMatchRead]
    exclusions: list[ExclusionRead]
    penalties: list[PenaltyRead] = Field(
        default_factory=list, description="soft rules: proposed, lower, with the reason"
    )
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


# --- missions ---------------------------------------------------------------------------------


class MissionCreate(BaseModel):
    need_id: int = Field(ge=1, le=MAX_ID)
    volunteer_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="the volunteer an association proposes the need to; empty when a "
        "volunteer applies",
    )


class MissionEnd(BaseModel):
    reason: EndReason
    note: str = Field(default="", max_length=2000)


class HoursCreate(BaseModel):
    work_date: date
    hours: Decimal = Field(gt=0, le=24, decimal_places=2)
    description: str = Field(default="", max_length=2000)


class HoursRead(BaseModel):
    id: int
    work_date: date
    hours: Decimal
    description: str
    status: HoursStatus
    reviewed_at: datetime | None


class AssessmentIn(BaseModel):
    competence: CompetenceRef = Field(
        description="the competence and the level observed; also written as in imports, "
        "framework:code:level, e.g. ecf:B.1:e-3, digcomp:4.2:5, esco:<uuid>",
    )
    level_before: int | None = Field(
        default=None, ge=1, le=8, description="DigComp: the level of the association's staff before"
    )
    comment: str = Field(default="", max_length=2000)


class CompletionIn(BaseModel):
    assessments: list[AssessmentIn] = Field(
        default_factory=list,
        max_length=30,
        description="the association's assessment of each competence exercised (required "
        "from the association, ignored from the volunteer)",
    )


class MissionRead(BaseModel):
    id: int
    need_id: int
    volunteer_id: int
    status: MissionStatus
    initiated_by: MissionInitiator
    end_reason: EndReason | None
    end_note: str | None
    proposed_at: datetime
    volunteer_accepted_at: datetime | None
    association_accepted_at: datetime | None
    started_at: datetime | None
    volunteer_confirmed_at: datetime | None
    association_confirmed_at: datetime | None
    completed_at: datetime | None
    credential_id: str | None


class MessageIn(BaseModel):
    body: str = Field(
        description=f"the message: 1 to {MESSAGE_LENGTH} characters once the spaces around it "
        "are removed; shown as written, never as HTML",
    )


class MessageRead(BaseModel):
    id: int
    mission_id: int
    side: MissionInitiator
    author: str | None = Field(description="the author's name; null once their account is erased")
    body: str
    created_at: datetime
    own: bool = Field(description="written by the caller")


class CallSlotIn(BaseModel):
    starts_at: datetime = Field(
        description="the time as a clock reads it in `timezone`, e.g. 2026-12-10T14:00 (a time "
        "given with its offset is read as that instant)"
    )
    timezone: str = Field(
        min_length=1, max_length=64, description="its IANA time zone, e.g. Europe/Paris"
    )


class CallSlotsIn(BaseModel):
    slots: list[CallSlotIn] = Field(min_length=1, max_length=3)
    minutes: int = Field(default=45, ge=15, le=180, description="how long the call lasts")


class CallChoiceIn(BaseModel):
    slot_id: int = Field(ge=1, le=MAX_ID, description="one of the times proposed")


class CallSlotRead(BaseModel):
    id: int
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime = Field(description="UTC")
    minutes: int
    timezone: str = Field(description="the time zone it was proposed in")
    chosen_at: datetime | None


class CallRead(BaseModel):
    mission_id: int
    slots: list[CallSlotRead] = Field(description="the times proposed, earliest first")
    chosen: CallSlotRead | None = Field(description="the time the volunteer chose, once booked")


# --- credentials ------------------------------------------------------------------------------


class CredentialRead(BaseModel):
    id: str
    mission_id: int
    issuer: str
    on_behalf_of: str | None
    valid_from: datetime
    valid_until: datetime | None
    revoked: bool
    revocation_reason: str | None
    links: dict[str, str]


class RevokeIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class EndorseIn(BaseModel):
    comment: str = Field(min_length=1, max_length=2000)


class EndorsementRead(BaseModel):
    id: str
    credential_id: str
    comment: str
    link: str


class KeyRead(BaseModel):
    kid: str
    algorithm: KeyAlgorithm
    status: KeyStatus


class VerifyIn(BaseModel):
    badge: str = Field(
        min_length=1,
        max_length=2_000_000,
        description="a VC-JWT, an OB 2.0 JWS, badge JSON, or the URL of a badge",
    )
    email: str | None = Field(
        default=None, max_length=254, description="check that the badge was issued to this email"
    )


class CheckRead(BaseModel):
    name: str
    outcome: str
    message: str


class ReportRead(BaseModel):
    valid: bool
    version: str | None
    form: str
    revoked: bool
    summary: str
    source: str | None
    checks: list[CheckRead]
    credential: dict[str, Any] | None
