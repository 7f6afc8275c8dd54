"""The one shape of a volunteer and of a need, shared by the API, imports, exports and demo data.

A record names other things by their public keys (organisation slug, competence code), never by
database ids, so that a file exported from one database imports into another.
"""

from datetime import date
from typing import Annotated, Any, Literal
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from models import NeedStatus, WorkMode

FRAMEWORKS = {
    "ecf": "ecf-4.0",
    "digcomp": "digcomp-2.2",
    "gi": "probono-gi-1.0",
    "esco": "esco-1.1.1",
}
_TIMEZONES = available_timezones()


def _split(value: Any) -> Any:
    """CSV cells carry lists as 'fr;en'."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return value


def _lower(value: str) -> str:
    return value.lower()


def _upper(value: str) -> str:
    return value.upper()


def _timezone(value: str) -> str:
    if value not in _TIMEZONES:
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
LanguageCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"), AfterValidator(_lower)
]
CountryCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z]{2}$"), AfterValidator(_upper)
]
Languages = Annotated[
    list[LanguageCode], BeforeValidator(_split), Field(min_length=1, max_length=10)
]
Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
]


class CompetenceRef(BaseModel):
    """A competence at a level, written `ecf:B.1:e-3`, `digcomp:4.2:3` or `esco:<uuid>` in CSV."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: Literal["ecf", "digcomp", "gi", "esco"] = "ecf"
    code: Text
    level: int | None = Field(default=None, ge=1, le=8)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        parts = value.strip().split(":")
        if len(parts) not in (2, 3):
            raise ValueError(f"{value!r}: write framework:code[:level], e.g. ecf:B.1:e-3")
        level = parts[2].removeprefix("e-") if len(parts) == 3 else None
        return {"framework": parts[0], "code": parts[1], "level": level}

    def __str__(self) -> str:
        if self.level is None:
            return f"{self.framework}:{self.code}"
        shown = f"e-{self.level}" if self.framework == "ecf" else str(self.level)
        return f"{self.framework}:{self.code}:{shown}"


Competences = Annotated[list[CompetenceRef], BeforeValidator(_split), Field(max_length=50)]


class VolunteerRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: EmailStr
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    headline: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    about: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    languages: Languages
    city: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    country: CountryCode
    timezone: Annotated[str, AfterValidator(_timezone)] = "Europe/Paris"
    remote_ok: bool = True
    onsite_ok: bool = True
    hours_per_month: int = Field(ge=0, le=200)
    available_from: date | None = None
    available_until: date | None = None
    employer: Slug | None = None
    programme: Slug | None = None
    locale: Literal["fr", "en"] = "fr"
    competences: Competences = []

    @field_validator("email")
    @classmethod
    def _email_lower(cls, value: str) -> str:
        return value.lower()

    @model_validator(mode="after")
    def _window(self) -> "VolunteerRecord":
        if (
            self.available_from
            and self.available_until
            and self.available_from > self.available_until
        ):
            raise ValueError("available_from is after available_until")
        if not (self.remote_ok or self.onsite_ok):
            raise ValueError("remote_ok and onsite_ok cannot both be false")
        return self


class NeedRecord(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    association: Slug
    ref: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=10_000)]
    deliverable: Annotated[str, StringConstraints(max_length=2_000)] = ""
    hours_estimate: int = Field(ge=1, le=2000)
    work_mode: WorkMode
    city: Annotated[str, StringConstraints(max_length=120)] | None = None
    country: CountryCode | None = None
    languages: Languages
    deadline: date | None = None
    status: NeedStatus = NeedStatus.OPEN
    competences: Competences = []

    @model_validator(mode="after")
    def _place(self) -> "NeedRecord":
        if self.work_mode is not WorkMode.REMOTE and not self.city:
            raise ValueError(f"a {self.work_mode.value} need says where: city is required")
        return self
