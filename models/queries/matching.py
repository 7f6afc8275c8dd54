"""What ranking reads: competence statements of every source, and the filters of a search."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import ClaimSource, NeedStatus, WorkMode
from models.queries.profiles import _grouped
from models.tables import (
    Competence,
    CompetenceClaim,
    Need,
    NeedLanguage,
    NeedRequirement,
    ProfileLanguage,
    VolunteerProfile,
)

# (framework id, code, level, source, confidence) of one claim or requirement.
Statement = tuple[str, str, int | None, ClaimSource, float | None]


# The ESCO skills read in a text are many per owner and only ever compared with the other
# side's: the statements ranking reads leave them out, `read_skills` fetches the few that match.
_READ_ESCO = "esco-1.1.1"


def _statements(
    table: type[CompetenceClaim] | type[NeedRequirement], key: Any, owner_ids: Sequence[int]
) -> sa.Select[Any]:
    return (
        sa.select(
            key,
            col(Competence.framework_id),
            col(Competence.code),
            col(table.level),
            col(table.source),
            col(table.confidence),
        )
        .join(Competence, col(Competence.id) == col(table.competence_id))
        .where(
            key.in_(owner_ids),
            sa.not_(
                sa.and_(
                    col(Competence.framework_id) == _READ_ESCO,
                    col(table.source) == ClaimSource.INFERRED,
                )
            ),
        )
        .order_by(col(Competence.framework_id), col(Competence.code))
    )


def claim_statements(session: Session, profile_ids: Sequence[int]) -> dict[int, list[Statement]]:
    """The competence statements of these volunteers, all sources (precedence is the engine's),
    but the ESCO skills read in their texts (`read_skills`)."""
    return _grouped(
        session.execute(_statements(CompetenceClaim, col(CompetenceClaim.profile_id), profile_ids))
    )


def requirement_statements(session: Session, need_ids: Sequence[int]) -> dict[int, list[Statement]]:
    """The same for needs."""
    return _grouped(
        session.execute(_statements(NeedRequirement, col(NeedRequirement.need_id), need_ids))
    )


def read_skills(
    session: Session, owner: str, owner_ids: Sequence[int], codes: Sequence[str] | None = None
) -> dict[int, dict[str, float]]:
    """The ESCO skills read in these owners' texts, code → score; only `codes` if given."""
    table: type[CompetenceClaim] | type[NeedRequirement]
    table, key = (
        (CompetenceClaim, col(CompetenceClaim.profile_id))
        if owner == "profile"
        else (NeedRequirement, col(NeedRequirement.need_id))
    )
    query = (
        sa.select(key, col(Competence.code), col(table.confidence))
        .join(Competence, col(Competence.id) == col(table.competence_id))
        .where(
            key.in_(owner_ids),
            col(Competence.framework_id) == _READ_ESCO,
            col(table.source) == ClaimSource.INFERRED,
        )
    )
    if codes is not None:
        query = query.where(col(Competence.code).in_(codes))
    found: dict[int, dict[str, float]] = {i: {} for i in owner_ids}
    for owner_id, code, confidence in session.execute(query):
        found[owner_id][code] = confidence or 0.0
    return found


def replace_inferred(
    session: Session,
    owner: str,
    owner_id: int,
    inferred: Mapping[int, tuple[int | None, float]],
    *,
    version: str,
) -> None:
    """Replaces the inferred statements of one profile or need: competence id → (level,
    confidence), inferred by the reader `version`. Declared and confirmed statements are kept."""
    table: type[CompetenceClaim] | type[NeedRequirement]
    table, key = (
        (CompetenceClaim, "profile_id") if owner == "profile" else (NeedRequirement, "need_id")
    )
    session.execute(
        sa.delete(table).where(
            getattr(table, key) == owner_id, col(table.source) == ClaimSource.INFERRED
        )
    )
    if inferred:
        session.execute(
            sa.insert(table),
            [
                {
                    key: owner_id,
                    "competence_id": cid,
                    "level": level,
                    "source": ClaimSource.INFERRED,
                    "confidence": round(confidence, 4),
                    "inferred_by": version,
                }
                for cid, (level, confidence) in inferred.items()
            ],
        )


@dataclass(frozen=True)
class Filters:
    """What a person searching narrows to; unset fields do not filter."""

    languages: frozenset[str] = frozenset()  # the other side works in one of these
    city: str | None = None  # the volunteer lives in, or the need takes place in, this city
    work_mode: WorkMode | None = None  # needs only: done remotely, on site or both
    competence: str | None = None  # an e-CF code the volunteer states or the need requires


def _ecf(code: str) -> sa.ColumnElement[bool]:
    return sa.and_(col(Competence.framework_id) == "ecf-4.0", col(Competence.code) == code)


def profile_ids(session: Session, filters: Filters) -> set[int] | None:
    """Volunteers that pass the filters; None when nothing filters (all of them)."""
    statement = select(VolunteerProfile.id)
    if filters == Filters():
        return None
    if filters.languages:
        statement = statement.where(
            sa.exists().where(
                col(ProfileLanguage.profile_id) == col(VolunteerProfile.id),
                col(ProfileLanguage.code).in_(filters.languages),
            )
        )
    if filters.city:
        statement = statement.where(
            sa.func.lower(col(VolunteerProfile.city)) == sa.func.lower(filters.city)
        )
    if filters.competence:
        statement = statement.where(
            sa.exists()
            .where(col(CompetenceClaim.profile_id) == col(VolunteerProfile.id))
            .where(col(Competence.id) == col(CompetenceClaim.competence_id))
            .where(_ecf(filters.competence))
        )
    return {int(i) for i in session.exec(statement) if i is not None}


def need_ids(session: Session, statuses: Sequence[NeedStatus], filters: Filters) -> set[int]:
    """Needs in these statuses that pass the filters."""
    statement = select(Need.id).where(col(Need.status).in_(statuses))
    if filters.languages:
        statement = statement.where(
            sa.exists().where(
                col(NeedLanguage.need_id) == col(Need.id),
                col(NeedLanguage.code).in_(filters.languages),
            )
        )
    if filters.city:
        statement = statement.where(sa.func.lower(col(Need.city)) == sa.func.lower(filters.city))
    if filters.work_mode is not None:
        statement = statement.where(col(Need.work_mode) == filters.work_mode)
    if filters.competence:
        statement = statement.where(
            sa.exists()
            .where(col(NeedRequirement.need_id) == col(Need.id))
            .where(col(Competence.id) == col(NeedRequirement.competence_id))
            .where(_ecf(filters.competence))
        )
    return {int(i) for i in session.exec(statement) if i is not None}


def profiles_stating(session: Session, codes: Sequence[tuple[str, str]], limit: int) -> list[int]:
    """Volunteers who state any of these competences (framework id, code), whatever their text:
    candidates the similarity search alone could miss in a large pool."""
    if not codes:
        return []
    wanted = sa.or_(
        *(sa.and_(col(Competence.framework_id) == f, col(Competence.code) == c) for f, c in codes)
    )
    statement = (
        select(CompetenceClaim.profile_id)
        .join(Competence, col(Competence.id) == col(CompetenceClaim.competence_id))
        .where(wanted, col(CompetenceClaim.source) != ClaimSource.INFERRED)
        .distinct()
        .limit(limit)
    )
    return [int(i) for i in session.exec(statement)]
