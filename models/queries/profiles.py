"""Volunteer profiles and needs, their languages and competences. Nothing here commits."""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.enums import ClaimSource, NeedStatus
from models.errors import NotFound
from models.tables import (
    Account,
    Competence,
    CompetenceClaim,
    Need,
    NeedLanguage,
    NeedRequirement,
    ProfileEmbedding,
    ProfileLanguage,
    VolunteerProfile,
)

# (framework id, code, level) as stored for a claim or requirement.
CompetenceKey = tuple[str, str, int | None]


def _grouped(rows: Iterable[Sequence[Any]]) -> defaultdict[int, list[Any]]:
    """Rows whose first column is an owner id, grouped by it (the rest as a value or tuple)."""
    found: defaultdict[int, list[Any]] = defaultdict(list)
    for owner, *rest in rows:
        found[owner].append(rest[0] if len(rest) == 1 else tuple(rest))
    return found


def find_profile_by_account(session: Session, account_id: int) -> VolunteerProfile | None:
    return session.exec(
        select(VolunteerProfile).where(col(VolunteerProfile.account_id) == account_id)
    ).first()


def get_profile(session: Session, profile_id: int) -> VolunteerProfile:
    profile = session.get(VolunteerProfile, profile_id)
    if profile is None:
        raise NotFound(f"no volunteer profile {profile_id}")
    return profile


def iter_profiles(
    session: Session, *, only: Sequence[int] | None = None, batch: int = 500
) -> Iterator[tuple[VolunteerProfile, Account]]:
    statement = select(VolunteerProfile, Account).join(
        Account, col(Account.id) == col(VolunteerProfile.account_id)
    )
    if only is not None:
        statement = statement.where(col(VolunteerProfile.id).in_(only))
    yield from session.exec(
        statement.order_by(col(VolunteerProfile.id)).execution_options(yield_per=batch)
    )


class Candidate(NamedTuple):
    """What ranking reads of a volunteer: plain columns, because a ranking reads a few hundred
    of them and building ORM objects (with their timestamps) was a third of its time."""

    id: int
    display_name: str
    headline: str
    about: str
    city: str
    country: str
    remote_ok: bool
    onsite_ok: bool
    hours_per_month: int
    available_from: date | None
    available_until: date | None


def candidates(session: Session, profile_ids: Sequence[int]) -> dict[int, Candidate]:
    """These volunteers as ranking reads them, by id (those deleted meanwhile are absent)."""
    statement = (
        sa.select(
            col(VolunteerProfile.id),
            col(Account.display_name),
            col(VolunteerProfile.headline),
            col(VolunteerProfile.about),
            col(VolunteerProfile.city),
            col(VolunteerProfile.country),
            col(VolunteerProfile.remote_ok),
            col(VolunteerProfile.onsite_ok),
            col(VolunteerProfile.hours_per_month),
            col(VolunteerProfile.available_from),
            col(VolunteerProfile.available_until),
        )
        .join(Account, col(Account.id) == col(VolunteerProfile.account_id))
        .where(col(VolunteerProfile.id).in_(profile_ids))
    )
    return {row[0]: Candidate(*row) for row in session.execute(statement)}


def count_profiles(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(VolunteerProfile)).one()


def profile_languages(session: Session, profile_ids: Sequence[int]) -> dict[int, list[str]]:
    return _grouped(
        session.exec(
            select(ProfileLanguage.profile_id, ProfileLanguage.code)
            .where(col(ProfileLanguage.profile_id).in_(profile_ids))
            .order_by(col(ProfileLanguage.code))
        )
    )


def replace_profile_languages(session: Session, profile_id: int, codes: Sequence[str]) -> None:
    session.execute(sa.delete(ProfileLanguage).where(col(ProfileLanguage.profile_id) == profile_id))
    session.add_all(
        ProfileLanguage(profile_id=profile_id, code=code) for code in dict.fromkeys(codes)
    )


def profile_claims(
    session: Session, profile_ids: Sequence[int], sources: Sequence[ClaimSource]
) -> dict[int, list[CompetenceKey]]:
    return _grouped(
        session.exec(
            select(
                CompetenceClaim.profile_id,
                Competence.framework_id,
                Competence.code,
                CompetenceClaim.level,
            )
            .join(Competence, col(Competence.id) == col(CompetenceClaim.competence_id))
            .where(
                col(CompetenceClaim.profile_id).in_(profile_ids),
                col(CompetenceClaim.source).in_(sources),
            )
            .order_by(col(Competence.framework_id), col(Competence.code))
        )
    )


def replace_profile_claims(
    session: Session, profile_id: int, source: ClaimSource, claims: Sequence[tuple[int, int | None]]
) -> None:
    """Replaces the claims of one source; claims of the other sources are kept."""
    session.execute(
        sa.delete(CompetenceClaim).where(
            col(CompetenceClaim.profile_id) == profile_id, col(CompetenceClaim.source) == source
        )
    )
    session.add_all(
        CompetenceClaim(profile_id=profile_id, competence_id=cid, level=level, source=source)
        for cid, level in claims
    )


def find_need(session: Session, organisation_id: int, external_ref: str) -> Need | None:
    return session.exec(
        select(Need).where(
            col(Need.organisation_id) == organisation_id, col(Need.external_ref) == external_ref
        )
    ).first()


def get_need(session: Session, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None:
        raise NotFound(f"no need {need_id}")
    return need


def list_needs(
    session: Session,
    *,
    statuses: Sequence[NeedStatus] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Need]:
    statement = select(Need)
    if statuses is not None:
        statement = statement.where(col(Need.status).in_(statuses))
    return list(session.exec(statement.order_by(col(Need.id)).limit(limit).offset(offset)))


def iter_needs(
    session: Session, *, only: Sequence[int] | None = None, batch: int = 500
) -> Iterator[Need]:
    statement = select(Need)
    if only is not None:
        statement = statement.where(col(Need.id).in_(only))
    yield from session.exec(statement.order_by(col(Need.id)).execution_options(yield_per=batch))


def count_needs(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Need)).one()


def need_languages(session: Session, need_ids: Sequence[int]) -> dict[int, list[str]]:
    return _grouped(
        session.exec(
            select(NeedLanguage.need_id, NeedLanguage.code)
            .where(col(NeedLanguage.need_id).in_(need_ids))
            .order_by(col(NeedLanguage.code))
        )
    )


def replace_need_languages(session: Session, need_id: int, codes: Sequence[str]) -> None:
    session.execute(sa.delete(NeedLanguage).where(col(NeedLanguage.need_id) == need_id))
    session.add_all(NeedLanguage(need_id=need_id, code=code) for code in dict.fromkeys(codes))


def need_requirements(
    session: Session, need_ids: Sequence[int], sources: Sequence[ClaimSource]
) -> dict[int, list[CompetenceKey]]:
    return _grouped(
        session.exec(
            select(
                NeedRequirement.need_id,
                Competence.framework_id,
                Competence.code,
                NeedRequirement.level,
            )
            .join(Competence, col(Competence.id) == col(NeedRequirement.competence_id))
            .where(
                col(NeedRequirement.need_id).in_(need_ids), col(NeedRequirement.source).in_(sources)
            )
            .order_by(col(Competence.framework_id), col(Competence.code))
        )
    )


def replace_need_requirements(
    session: Session,
    need_id: int,
    source: ClaimSource,
    requirements: Sequence[tuple[int, int | None]],
) -> None:
    session.execute(
        sa.delete(NeedRequirement).where(
            col(NeedRequirement.need_id) == need_id, col(NeedRequirement.source) == source
        )
    )
    session.add_all(
        NeedRequirement(need_id=need_id, competence_id=cid, level=level, source=source)
        for cid, level in requirements
    )


def profile_claim_rows(session: Session, profile_id: int) -> list[tuple[str, str, int | None, str]]:
    """(framework, code, level, source) of every competence the profile states or was given."""
    rows = session.exec(
        select(
            Competence.framework_id, Competence.code, CompetenceClaim.level, CompetenceClaim.source
        )
        .join(Competence, col(Competence.id) == col(CompetenceClaim.competence_id))
        .where(col(CompetenceClaim.profile_id) == profile_id)
        .order_by(col(Competence.framework_id), col(Competence.code))
    )
    return [(f, c, level, str(source)) for f, c, level, source in rows]


def erase_profile_details(session: Session, profile_id: int) -> None:
    """What a profile says of its person: competences, languages, place, the text's vectors."""
    for table, column in (
        (CompetenceClaim, CompetenceClaim.profile_id),
        (ProfileLanguage, ProfileLanguage.profile_id),
        (ProfileEmbedding, ProfileEmbedding.profile_id),
    ):
        session.execute(sa.delete(table).where(col(column) == profile_id))
    session.execute(
        sa.update(VolunteerProfile).where(col(VolunteerProfile.id) == profile_id).values(city="")
    )


def count_open_needs(session: Session) -> int:
    return int(
        session.exec(
            select(sa.func.count()).select_from(Need).where(col(Need.status) == NeedStatus.OPEN)
        ).one()
    )


def needs_of(session: Session, organisation_id: int) -> list[Need]:
    return list(
        session.exec(
            select(Need)
            .where(col(Need.organisation_id) == organisation_id)
            .order_by(col(Need.created_at).desc(), col(Need.id).desc())
        )
    )
