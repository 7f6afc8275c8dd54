"""What issuing a credential reads and writes: three statements.

Issuing costs two RSA signatures, about 1.5 ms; building an ORM statement and loading ORM
objects costs about 0.3 ms a query. So these statements are built once, select only the
columns a credential names, return plain rows, and do in one statement what can be done in
one (docs/performance.md, "Badges").
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, SQLModel

from models.enums import FrameworkKind, HoursStatus, KeyAlgorithm, KeyStatus
from models.errors import NotFound
from models.tables import (
    Account,
    Competence,
    CompetenceAssessment,
    Credential,
    Framework,
    HoursLog,
    Issuer,
    Mission,
    Need,
    Organisation,
    SigningKey,
    VolunteerProfile,
)


def _table(model: type[SQLModel]) -> sa.Table:
    table = sa.inspect(model).local_table
    assert isinstance(table, sa.Table)
    return table


_mission = _table(Mission)
_need = _table(Need)
_organisation = _table(Organisation)
_profile = _table(VolunteerProfile)
_account = _table(Account)
_issuer = _table(Issuer)
_key = _table(SigningKey)
_hours = _table(HoursLog)
_assessment = _table(CompetenceAssessment)
_competence = _table(Competence)
_framework = _table(Framework)
_credential = _table(Credential)


class IssuerRow(NamedTuple):
    id: int
    organisation_id: int | None
    name: str
    url: str
    email: str | None
    description: str

    @property
    def on_behalf(self) -> bool:
        """The platform's issuer: it issues on an association's behalf."""
        return self.organisation_id is None


class KeyRow(NamedTuple):
    id: int
    kid: str
    algorithm: KeyAlgorithm
    private_key_encrypted: str | None
    private_key_path: str | None
    issuer_id: int


class AssessedRow(NamedTuple):
    framework: FrameworkKind
    framework_name: str
    hosted_path: str | None
    code: str
    title_en: str
    title_fr: str | None
    description_en: str | None
    description_fr: str | None
    uri: str | None
    level_min: int | None
    level_max: int | None
    level: int | None


class Facts(NamedTuple):
    """What a credential names, and the issuer's active keys (None until made)."""

    need_title: str
    association_id: int
    association_name: str
    association_slug: str
    association_website: str | None
    association_verified_at: (
        datetime | None
    )  # by a platform admin (services/people/associations.py)
    association_identifier: tuple[str, str] | None  # (kind, identifier), e.g. ("rna", "W…")
    email: str
    display_name: str
    hours: Decimal  # approved
    locale: str  # the volunteer's language: the badge's
    ob3_key: KeyRow | None
    ob2_key: KeyRow | None
    proof_key: KeyRow | None  # Ed25519, of the Data Integrity proof
    assessed: tuple[AssessedRow, ...]


# The association's own issuer profile, else the platform's oldest (as
# `credentials.platform_issuer` reads it).
_own = _issuer.alias("own")
_platform = _issuer.alias("platform")
_issuer_of_mission = (
    sa.select(
        sa.func.coalesce(
            sa.select(_own.c.id)
            .where(_own.c.organisation_id == _need.c.organisation_id)
            .scalar_subquery(),
            sa.select(sa.func.min(_platform.c.id))
            .where(_platform.c.organisation_id.is_(None))
            .scalar_subquery(),
        )
    )
    .select_from(_mission)
    .join(_need, _need.c.id == _mission.c.need_id)
    .where(_mission.c.id == sa.bindparam("mission_id"))
    .scalar_subquery()
)
# Takes the next entry of the issuer's current list; a full list (`fill` entries) gives way
# to a new one. Every SET expression reads the row as it was, on SQLite as on PostgreSQL.
_full = _issuer.c.status_list_used >= sa.bindparam("fill")
_TAKE_ENTRY = (
    sa.update(_issuer)
    .where(_issuer.c.id == _issuer_of_mission)
    .values(
        status_list=sa.case((_full, _issuer.c.status_list + 1), else_=_issuer.c.status_list),
        status_list_used=sa.case((_full, 1), else_=_issuer.c.status_list_used + 1),
    )
    .returning(
        _issuer.c.id,
        _issuer.c.organisation_id,
        _issuer.c.name,
        _issuer.c.url,
        _issuer.c.email,
        _issuer.c.description,
        _issuer.c.status_list,
    )
)
_approved = (
    sa.select(sa.func.coalesce(sa.func.sum(_hours.c.hours), 0, type_=_hours.c.hours.type))
    .where(_hours.c.mission_id == _mission.c.id, _hours.c.status == HoursStatus.APPROVED)
    .scalar_subquery()
)
_ob3_key = _key.alias("ob3_key")
_ob2_key = _key.alias("ob2_key")
_proof_key = _key.alias("proof_key")


def _active(key: sa.FromClause, algorithm: sa.BindParameter[Any]) -> sa.ColumnElement[bool]:
    return sa.and_(
        key.c.issuer_id == sa.bindparam("issuer_id"),
        key.c.algorithm == algorithm,
        # Written out, not bound: SQLite then finds the key in the partial index of active
        # keys without reading the row's status past the long private key.
        key.c.status == sa.literal_column(f"'{KeyStatus.ACTIVE.value}'"),
    )


def _key_columns(key: sa.FromClause) -> list[sa.ColumnElement[Any]]:
    return [
        key.c.id,
        key.c.kid,
        key.c.algorithm,
        key.c.private_key_encrypted,
        key.c.private_key_path,
        key.c.issuer_id,
    ]


_algorithm = _key.c.algorithm.type
# One row per assessed competence (one row with none), each carrying the facts and keys.
_FACTS = (
    sa.select(
        _need.c.title,
        _organisation.c.id,
        _organisation.c.name,
        _organisation.c.slug,
        _organisation.c.website,
        _organisation.c.verified_at,
        _organisation.c.identifier_kind,
        _organisation.c.identifier,
        _account.c.email,
        _account.c.display_name,
        _approved,
        _account.c.locale,
        *_key_columns(_ob3_key),
        *_key_columns(_ob2_key),
        *_key_columns(_proof_key),
        _framework.c.kind,
        _framework.c.name,
        _framework.c.hosted_path,
        _competence.c.code,
        _competence.c.title_en,
        _competence.c.title_fr,
        _competence.c.description_en,
        _competence.c.description_fr,
        _competence.c.uri,
        _competence.c.level_min,
        _competence.c.level_max,
        _assessment.c.level,
    )
    .select_from(_mission)
    .join(_need, _need.c.id == _mission.c.need_id)
    .join(_organisation, _organisation.c.id == _need.c.organisation_id)
    .join(_profile, _profile.c.id == _mission.c.volunteer_id)
    .join(_account, _account.c.id == _profile.c.account_id)
    .outerjoin(_ob3_key, _active(_ob3_key, sa.bindparam("ob3_algorithm", type_=_algorithm)))
    .outerjoin(_ob2_key, _active(_ob2_key, sa.bindparam("ob2_algorithm", type_=_algorithm)))
    .outerjoin(_proof_key, _active(_proof_key, sa.bindparam("proof_algorithm", type_=_algorithm)))
    .outerjoin(_assessment, _assessment.c.mission_id == _mission.c.id)
    .outerjoin(_competence, _competence.c.id == _assessment.c.competence_id)
    .outerjoin(_framework, _framework.c.id == _competence.c.framework_id)
    .where(_mission.c.id == sa.bindparam("mission_id"))
    .order_by(_framework.c.id, _competence.c.code)
)
_INSERT = sa.insert(_credential)


def take_status_entry(session: Session, mission_id: int, fill: int) -> tuple[IssuerRow, int] | None:
    """The issuer of the mission's credential and the status list its entry goes into, the
    entry counted (the issuer's row is held until the transaction ends, so counts never
    race); None while the platform has no issuer profile."""
    row = session.execute(_TAKE_ENTRY, {"mission_id": mission_id, "fill": fill}).one_or_none()
    if row is None:
        return None
    loaded = session.identity_map.get(session.identity_key(Issuer, row[0]))
    if loaded is not None:  # the session's copy would still show the list as it was
        session.expire(loaded, ["status_list", "status_list_used"])
    return IssuerRow(*row[:6]), int(row[6])


def _key_row(row: Sequence[Any]) -> KeyRow | None:
    return None if row[0] is None else KeyRow(*row)


def facts(
    session: Session,
    mission_id: int,
    issuer_id: int,
    ob3_algorithm: KeyAlgorithm,
    ob2_algorithm: KeyAlgorithm,
) -> Facts:
    rows = session.execute(
        _FACTS,
        {
            "mission_id": mission_id,
            "issuer_id": issuer_id,
            "ob3_algorithm": ob3_algorithm,
            "ob2_algorithm": ob2_algorithm,
            "proof_algorithm": KeyAlgorithm.EDDSA,
        },
    ).all()
    if not rows:
        raise NotFound(f"mission {mission_id} has lost its need, association or volunteer")
    first = rows[0]
    title, association_id, name, slug, website, verified_at, kind, identifier = first[:8]
    email, display_name, hours, locale = first[8:12]
    return Facts(
        need_title=title,
        association_id=association_id,
        association_name=name,
        association_slug=slug,
        association_website=website,
        association_verified_at=verified_at,
        association_identifier=None if kind is None or not identifier else (kind, identifier),
        email=email,
        display_name=display_name,
        hours=Decimal(hours),
        locale=locale,
        ob3_key=_key_row(first[12:18]),
        ob2_key=_key_row(first[18:24]),
        proof_key=_key_row(first[24:30]),
        assessed=tuple(AssessedRow(*row[30:]) for row in rows if row[30] is not None),
    )


def insert_credential(session: Session, values: dict[str, Any]) -> Credential:
    """The credential, stored, and in the session as if it had been loaded: without a flush
    of the unit of work on the way in, nor a select on the way out."""
    session.execute(_INSERT, values)
    credential = Credential(**values)
    make_transient_to_detached(credential)
    session.add(credential)
    return credential
