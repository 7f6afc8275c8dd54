"""Reference frameworks: e-CF 4.0, DigComp 2.2, the general-interest annex and ESCO skills.

All four share one shape so that claims, requirements and assessments point at one table:
a framework has levels, groups (e-CF areas, DigComp areas, ESCO hierarchy) and competences;
a competence has the levels it allows (with our own descriptors) and labels.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.enums import FrameworkKind, LabelKind
from models.tables.base import LANGUAGE_CODE_LENGTH
from models.types import AwareDateTime, enum_type


class Framework(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=40)  # "ecf-4.0", "esco-1.1.1"
    kind: FrameworkKind = Field(sa_type=enum_type(FrameworkKind, "kind"))
    name: str = Field(max_length=200)  # as targetFramework in credentials
    version: str = Field(max_length=20)
    licence: str = Field(sa_type=sa.Text)
    attribution: str = Field(sa_type=sa.Text)
    source_url: str = Field(max_length=300)
    # Where the service hosts a page per competence ("ecf/4.0" → /frameworks/ecf/4.0/A.10);
    # None for frameworks with their own dereferenceable URIs (ESCO).
    hosted_path: str | None = Field(default=None, max_length=40)
    # Hash of the data files this framework was loaded from: a changed file means a reload.
    data_sha256: str = Field(max_length=64)
    loaded_at: datetime = Field(sa_type=AwareDateTime)


class FrameworkLevel(SQLModel, table=True):
    """A proficiency level of a framework (e-CF e-1..e-5, DigComp 1..8, annex 1..3)."""

    __tablename__ = "framework_level"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 8", name="level"),)

    framework_id: str = Field(foreign_key="framework.id", primary_key=True, ondelete="CASCADE")
    level: int = Field(primary_key=True)
    code: str = Field(max_length=8)  # as shown to people: "e-3", "5"
    title_en: str = Field(max_length=120)
    title_fr: str = Field(max_length=120)
    gist_en: str = Field(default="", sa_type=sa.Text)
    gist_fr: str = Field(default="", sa_type=sa.Text)


class CompetenceGroup(SQLModel, table=True):
    """e-CF area, DigComp area or ESCO hierarchy node."""

    __tablename__ = "competence_group"
    __table_args__ = (sa.UniqueConstraint("framework_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: str = Field(foreign_key="framework.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=40)
    title_en: str = Field(max_length=300)
    title_fr: str | None = Field(default=None, max_length=300)
    parent_id: int | None = Field(default=None, foreign_key="competence_group.id")


class Competence(SQLModel, table=True):
    """One competence or skill of a framework; an ESCO skill keeps its UUID as its code."""

    __table_args__ = (
        sa.UniqueConstraint("framework_id", "code"),
        sa.CheckConstraint(
            "(level_min IS NULL) = (level_max IS NULL) AND "
            "(level_min IS NULL OR (1 <= level_min AND level_min <= level_max AND level_max <= 8))",
            name="level_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    framework_id: str = Field(foreign_key="framework.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=64)
    uri: str | None = Field(default=None, max_length=300)  # the framework's own URI (ESCO)
    title_en: str = Field(max_length=500)
    title_fr: str | None = Field(default=None, max_length=500)
    description_en: str | None = Field(default=None, sa_type=sa.Text)
    description_fr: str | None = Field(default=None, sa_type=sa.Text)
    level_min: int | None = None
    level_max: int | None = None
    # How sure we are of the level range ("verified", "flagged: …"); None where no levels.
    levels_note: str | None = Field(default=None, sa_type=sa.Text)


class CompetenceLevel(SQLModel, table=True):
    """A level a competence allows. Claims and assessments reference it, so the database itself
    refuses a level outside the competence's range (e.g. A.1 at e-2)."""

    __tablename__ = "competence_level"

    competence_id: int = Field(foreign_key="competence.id", primary_key=True, ondelete="CASCADE")
    level: int = Field(primary_key=True)
    descriptor_en: str | None = Field(default=None, sa_type=sa.Text)
    descriptor_fr: str | None = Field(default=None, sa_type=sa.Text)


class CompetenceLabel(SQLModel, table=True):
    """Preferred and alternative labels (ESCO synonyms), for lexical matching."""

    __tablename__ = "competence_label"
    __table_args__ = (sa.UniqueConstraint("competence_id", "lang", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    competence_id: int = Field(foreign_key="competence.id", ondelete="CASCADE")
    lang: str = Field(max_length=LANGUAGE_CODE_LENGTH)
    label: str = Field(max_length=500)
    kind: LabelKind = Field(sa_type=enum_type(LabelKind, "kind"))


class CompetenceGroupLink(SQLModel, table=True):
    """Places a competence in the groups it belongs to (an ESCO skill may sit in several)."""

    __tablename__ = "competence_group_link"

    competence_id: int = Field(foreign_key="competence.id", primary_key=True, ondelete="CASCADE")
    group_id: int = Field(
        foreign_key="competence_group.id", primary_key=True, ondelete="CASCADE", index=True
    )


class CompetenceAnchor(SQLModel, table=True):
    """A general-interest annex entry builds on e-CF and DigComp competences."""

    __tablename__ = "competence_anchor"

    competence_id: int = Field(foreign_key="competence.id", primary_key=True, ondelete="CASCADE")
    anchor_id: int = Field(foreign_key="competence.id", primary_key=True, ondelete="CASCADE")
