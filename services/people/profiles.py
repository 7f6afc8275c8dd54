"""Saving volunteers and needs from records, and reading them back as records.

These functions do not commit: the use-case that calls them (an API route's use-case, an import,
the demo loader) commits once at its end.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session

from models import (
    Account,
    ClaimSource,
    InvalidData,
    Need,
    NeedStatus,
    NotFound,
    Organisation,
    OrganisationKind,
    VolunteerProfile,
    persisted_id,
    queries,
    utcnow,
)
from services.actors import Actor
from services.records import FRAMEWORKS, CompetenceRef, NeedRecord, VolunteerRecord

# Sources a person states; inferred competences are the engine's and are not imported or exported.
STATED = (ClaimSource.DECLARED, ClaimSource.CONFIRMED)
# Needs anyone may read; drafts and closed ones are their association's alone.
PUBLISHED = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


@dataclass
class CompetenceResolver:
    """Turns competence references into (competence id, level), checking each level's range."""

    session: Session
    _cache: dict[tuple[str, str], tuple[int, int | None, int | None] | None] = field(
        default_factory=dict
    )

    def resolve(self, refs: Iterable[CompetenceRef]) -> list[tuple[int, int | None]]:
        resolved: dict[int, int | None] = {}
        for ref in refs:
            framework_id = FRAMEWORKS[ref.framework]
            key = (framework_id, ref.code)
            if key not in self._cache:
                found = queries.reference.find_competence(self.session, framework_id, ref.code)
                self._cache[key] = (
                    None
                    if found is None or found.id is None
                    else (found.id, found.level_min, found.level_max)
                )
            entry = self._cache[key]
            if entry is None:
                raise InvalidData(
                    f"unknown competence {ref.framework}:{ref.code}", field="competences"
                )
            competence_id, low, high = entry
            resolved[competence_id] = _checked_level(ref, low, high)
        return list(resolved.items())


def _checked_level(ref: CompetenceRef, low: int | None, high: int | None) -> int | None:
    if low is None or high is None:
        if ref.level is not None:
            raise InvalidData(f"{ref.framework}:{ref.code} has no levels", field="competences")
        return None
    if ref.level is None:
        raise InvalidData(
            f"{ref}: give a level ({_shown(ref, low)} to {_shown(ref, high)})", field="competences"
        )
    if not low <= ref.level <= high:
        raise InvalidData(
            f"{ref}: {ref.code} allows levels {_shown(ref, low)} to {_shown(ref, high)}",
            field="competences",
        )
    return ref.level


def _shown(ref: CompetenceRef, level: int) -> str:
    return f"e-{level}" if ref.framework == "ecf" else str(level)


def _organisation_id(
    session: Session, slug: str | None, kind: set[OrganisationKind], field_name: str
) -> int | None:
    if slug is None:
        return None
    organisation = queries.organisations.find_organisation(session, slug)
    if organisation is None or organisation.kind not in kind:
        wanted = " or ".join(sorted(k.value for k in kind))
        raise InvalidData(f"no {wanted} with slug {slug!r}", field=field_name)
    return organisation.id


def save_volunteer(
    session: Session, record: VolunteerRecord, resolver: CompetenceResolver
) -> VolunteerProfile:
    """Creates or updates the account (by email) and the profile of one volunteer."""
    employer_id = _organisation_id(session, record.employer, {OrganisationKind.COMPANY}, "employer")
    programme_id = None
    if record.programme is not None:
        programme = queries.organisations.find_programme(session, record.programme)
        if programme is None:
            raise InvalidData(f"no programme {record.programme!r}", field="programme")
        programme_id = programme.id
    claims = resolver.resolve(record.competences)

    account = queries.organisations.find_account(session, record.email)
    if account is None:
        account = Account(
            email=record.email, display_name=record.display_name, locale=record.locale
        )
    account.display_name, account.locale = record.display_name, record.locale
    session.add(account)
    session.flush()
    account_id = persisted_id(account.id)
    profile = queries.profiles.find_profile_by_account(session, account_id) or VolunteerProfile(
        account_id=account_id,
        headline=record.headline,
        about=record.about,
        city=record.city,
        country=record.country,
        timezone=record.timezone,
        hours_per_month=record.hours_per_month,
    )
    profile.sqlmodel_update(
        record.model_dump(
            include={
                "headline",
                "about",
                "city",
                "country",
                "timezone",
                "remote_ok",
                "onsite_ok",
                "hours_per_month",
                "available_from",
                "available_until",
            }
        )
        | {"employer_id": employer_id, "programme_id": programme_id, "updated_at": utcnow()}
    )
    session.add(profile)
    session.flush()
    profile_id = persisted_id(profile.id)
    queries.profiles.replace_profile_languages(session, profile_id, record.languages)
    queries.profiles.replace_profile_claims(session, profile_id, ClaimSource.DECLARED, claims)
    return profile


def save_need(session: Session, record: NeedRecord, resolver: CompetenceResolver) -> Need:
    """Creates or updates one need, identified by its association and the association's ref."""
    organisation_id = persisted_id(
        _organisation_id(session, record.association, {OrganisationKind.ASSOCIATION}, "association")
    )
    requirements = resolver.resolve(record.competences)
    need = queries.profiles.find_need(session, organisation_id, record.ref) or Need(
        organisation_id=organisation_id,
        external_ref=record.ref,
        title=record.title,
        description=record.description,
        hours_estimate=record.hours_estimate,
        work_mode=record.work_mode,
    )
    need.sqlmodel_update(
        record.model_dump(
            include={
                "title",
                "description",
                "deliverable",
                "hours_estimate",
                "work_mode",
                "city",
                "country",
                "deadline",
                "status",
            }
        )
        | {"updated_at": utcnow()}
    )
    session.add(need)
    session.flush()
    need_id = persisted_id(need.id)
    queries.profiles.replace_need_languages(session, need_id, record.languages)
    queries.profiles.replace_need_requirements(session, need_id, ClaimSource.DECLARED, requirements)
    return need


def _refs(keys: Iterable[tuple[str, str, int | None]]) -> list[CompetenceRef]:
    short = {framework_id: name for name, framework_id in FRAMEWORKS.items()}
    return [
        CompetenceRef(framework=short[fid], code=code, level=level) for fid, code, level in keys
    ]


def volunteer_records(
    session: Session, *, only: Sequence[int] | None = None, batch: int = 500
) -> Iterator[VolunteerRecord]:
    """Volunteers as records in id order: all of them (an export) or the profiles `only` lists."""
    organisations = queries.organisations.organisation_slugs(session)
    programmes = queries.organisations.programme_slugs(session)
    pending: list[tuple[VolunteerProfile, Account]] = []
    for pair in queries.profiles.iter_profiles(session, only=only, batch=batch):
        pending.append(pair)
        if len(pending) == batch:
            yield from _volunteer_batch(session, pending, organisations, programmes)
            pending = []
    yield from _volunteer_batch(session, pending, organisations, programmes)


def _volunteer_batch(
    session: Session,
    pairs: list[tuple[VolunteerProfile, Account]],
    organisations: dict[int, str],
    programmes: dict[int, str],
) -> Iterator[VolunteerRecord]:
    ids = [persisted_id(profile.id) for profile, _ in pairs]
    languages = queries.profiles.profile_languages(session, ids)
    claims = queries.profiles.profile_claims(session, ids, STATED)
    for profile_id, (profile, account) in zip(ids, pairs, strict=True):
        yield _volunteer_record(
            profile, account, languages[profile_id], claims[profile_id], organisations, programmes
        )


def _volunteer_record(
    profile: VolunteerProfile,
    account: Account,
    languages: list[str],
    claims: list[tuple[str, str, int | None]],
    organisations: dict[int, str],
    programmes: dict[int, str],
) -> VolunteerRecord:
    return VolunteerRecord(
        email=account.email,
        display_name=account.display_name,
        headline=profile.headline,
        about=profile.about,
        languages=languages,
        city=profile.city,
        country=profile.country,
        timezone=profile.timezone,
        remote_ok=profile.remote_ok,
        onsite_ok=profile.onsite_ok,
        hours_per_month=profile.hours_per_month,
        available_from=profile.available_from,
        available_until=profile.available_until,
        employer=organisations.get(profile.employer_id) if profile.employer_id else None,
        programme=programmes.get(profile.programme_id) if profile.programme_id else None,
        locale=account.locale,
        competences=_refs(claims),
    )


def need_records(
    session: Session, *, only: Sequence[int] | None = None, batch: int = 500
) -> Iterator[NeedRecord]:
    """Needs as records in id order: all of them (an export) or the needs `only` lists."""
    pending: list[Need] = []
    for need in queries.profiles.iter_needs(session, only=only, batch=batch):
        pending.append(need)
        if len(pending) == batch:
            yield from (record for _, record in with_records(session, pending))
            pending = []
    yield from (record for _, record in with_records(session, pending))


def public_needs(session: Session, *, limit: int, offset: int) -> list[tuple[int, NeedRecord]]:
    """Published needs, oldest first."""
    needs = queries.profiles.list_needs(session, statuses=PUBLISHED, limit=limit, offset=offset)
    return with_records(session, needs)


def public_need(session: Session, need_id: int) -> tuple[int, NeedRecord]:
    need = queries.profiles.get_need(session, need_id)
    if need.status not in PUBLISHED:
        raise NotFound(f"no need {need_id}")  # drafts and closed needs are not published
    return with_records(session, [need])[0]


def with_records(session: Session, needs: list[Need]) -> list[tuple[int, NeedRecord]]:
    """Each need with its record (languages and stated competences read in one query each)."""
    ids = [persisted_id(need.id) for need in needs]
    organisations = queries.organisations.organisation_slugs(session)
    languages = queries.profiles.need_languages(session, ids)
    requirements = queries.profiles.need_requirements(session, ids, STATED)
    return [
        (
            need_id,
            NeedRecord(
                association=organisations[need.organisation_id],
                ref=need.external_ref,
                title=need.title,
                description=need.description,
                deliverable=need.deliverable,
                hours_estimate=need.hours_estimate,
                work_mode=need.work_mode,
                city=need.city,
                country=need.country,
                languages=languages[need_id],
                deadline=need.deadline,
                status=need.status,
                competences=_refs(requirements[need_id]),
            ),
        )
        for need_id, need in zip(ids, needs, strict=True)
    ]


def stated_competences(session: Session, profile_id: int) -> list[CompetenceRef]:
    """What the volunteer stated (declared or confirmed), as references."""
    stated = queries.profiles.profile_claims(session, [profile_id], STATED)
    return _refs(stated.get(profile_id, []))


def set_stated_competences(
    session: Session, profile_id: int, refs: Sequence[CompetenceRef]
) -> None:
    """The volunteer's own list, confirmed on their page: it replaces what was declared before
    (imports) and what they confirmed earlier; inferred competences stay beside it."""
    claims = CompetenceResolver(session).resolve(refs)
    queries.profiles.replace_profile_claims(session, profile_id, ClaimSource.DECLARED, [])
    queries.profiles.replace_profile_claims(session, profile_id, ClaimSource.CONFIRMED, claims)
    session.commit()


@dataclass(frozen=True)
class NeedView:
    """A need as its page shows it: the need, its association, its languages and the
    competences its association stated (framework, code, level)."""

    need: Need
    association: Organisation
    languages: list[str]
    competences: list[queries.profiles.CompetenceKey]


def need_view(session: Session, actor: Actor | None, need_id: int) -> NeedView:
    """A published need, for anyone; a draft or closed one for its association and admins.

    Raises:
        NotFound: no such need, or one the actor may not see.
    """
    need = queries.profiles.get_need(session, need_id)
    own = actor is not None and (actor.is_admin or need.organisation_id in actor.associations)
    if need.status not in PUBLISHED and not own:
        raise NotFound(f"no need {need_id}")
    association = queries.credentials.organisations_by_id(session, [need.organisation_id])
    return NeedView(
        need,
        association[need.organisation_id],
        queries.profiles.need_languages(session, [need_id])[need_id],
        queries.profiles.need_requirements(session, [need_id], STATED)[need_id],
    )
