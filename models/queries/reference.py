"""Reads and bulk writes of the reference frameworks. Nothing here commits."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.errors import Conflict, NotFound
from models.tables import (
    Competence,
    CompetenceAnchor,
    CompetenceGroup,
    CompetenceGroupLink,
    CompetenceLabel,
    CompetenceLevel,
    Framework,
    FrameworkLevel,
    metadata,
)

Row = Mapping[str, Any]


def get_framework(session: Session, framework_id: str) -> Framework:
    framework = session.get(Framework, framework_id)
    if framework is None:
        raise NotFound(f"no framework {framework_id!r}")
    return framework


def find_framework(session: Session, framework_id: str) -> Framework | None:
    return session.get(Framework, framework_id)


def list_frameworks(session: Session) -> list[Framework]:
    return list(session.exec(select(Framework).order_by(col(Framework.id))))


def count_competences(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Competence.framework_id, sa.func.count()).group_by(col(Competence.framework_id))
    )
    return dict(rows.all())


def list_framework_levels(session: Session, framework_id: str) -> list[FrameworkLevel]:
    statement = (
        select(FrameworkLevel)
        .where(col(FrameworkLevel.framework_id) == framework_id)
        .order_by(col(FrameworkLevel.level))
    )
    return list(session.exec(statement))


def list_competences(
    session: Session,
    framework_id: str,
    *,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Competence]:
    statement = select(Competence).where(col(Competence.framework_id) == framework_id)
    if search:
        pattern = f"%{search.lower()}%"
        statement = statement.where(
            sa.or_(
                sa.func.lower(col(Competence.title_en)).like(pattern),
                sa.func.lower(sa.func.coalesce(col(Competence.title_fr), "")).like(pattern),
                sa.func.lower(col(Competence.code)).like(pattern),
            )
        )
    return list(session.exec(statement.order_by(col(Competence.code)).limit(limit).offset(offset)))


def get_competence(session: Session, framework_id: str, code: str) -> Competence:
    competence = find_competence(session, framework_id, code)
    if competence is None:
        raise NotFound(f"{framework_id} has no competence {code!r}")
    return competence


def competence_ids(session: Session, framework_id: str) -> dict[str, int]:
    rows = session.exec(
        select(Competence.code, Competence.id).where(col(Competence.framework_id) == framework_id)
    )
    return {code: id_ for code, id_ in rows if id_ is not None}


def list_competence_levels(session: Session, competence_id: int) -> list[CompetenceLevel]:
    statement = (
        select(CompetenceLevel)
        .where(col(CompetenceLevel.competence_id) == competence_id)
        .order_by(col(CompetenceLevel.level))
    )
    return list(session.exec(statement))


def list_group_titles(session: Session, competence_id: int) -> list[CompetenceGroup]:
    statement = (
        select(CompetenceGroup)
        .join(CompetenceGroupLink, col(CompetenceGroupLink.group_id) == col(CompetenceGroup.id))
        .where(col(CompetenceGroupLink.competence_id) == competence_id)
        .order_by(col(CompetenceGroup.code))
    )
    return list(session.exec(statement))


def list_alt_labels(session: Session, competence_id: int) -> list[str]:
    statement = (
        select(CompetenceLabel.label)
        .where(col(CompetenceLabel.competence_id) == competence_id)
        .order_by(col(CompetenceLabel.label))
    )
    return list(session.exec(statement))


def upsert_framework(session: Session, values: Row) -> None:
    framework = session.get(Framework, values["id"])
    if framework is None:
        session.add(Framework.model_validate(values))
    else:
        framework.sqlmodel_update(dict(values))
        session.add(framework)
    session.flush()


def replace_framework_levels(session: Session, framework_id: str, rows: Sequence[Row]) -> None:
    session.execute(
        sa.delete(FrameworkLevel).where(col(FrameworkLevel.framework_id) == framework_id)
    )
    _insert(session, FrameworkLevel, [{**row, "framework_id": framework_id} for row in rows])


def upsert_groups(session: Session, framework_id: str, rows: Sequence[Row]) -> dict[str, int]:
    """Creates or updates groups (`code`, titles, `parent_code`); returns code → id."""
    existing = dict(
        session.exec(
            select(CompetenceGroup.code, CompetenceGroup.id).where(
                col(CompetenceGroup.framework_id) == framework_id
            )
        ).all()
    )
    plain = [{k: v for k, v in row.items() if k != "parent_code"} for row in rows]
    new = [{**row, "framework_id": framework_id} for row in plain if row["code"] not in existing]
    if new:
        inserted = session.execute(
            sa.insert(CompetenceGroup).returning(
                col(CompetenceGroup.code), col(CompetenceGroup.id), sort_by_parameter_order=True
            ),
            new,
        )
        existing.update(dict(inserted.all()))
    updates = [
        {**row, "id": existing[row["code"]], "parent_id": existing.get(full["parent_code"] or "")}
        for row, full in zip(plain, rows, strict=True)
    ]
    if updates:
        session.execute(sa.update(CompetenceGroup), updates)
    return {code: id_ for code, id_ in existing.items() if id_ is not None}


def upsert_competences(session: Session, framework_id: str, rows: Sequence[Row]) -> dict[str, int]:
    """Creates or updates competences by (framework, code), removes those no longer listed.

    Raises:
        Conflict: a competence to remove is still used by a claim, requirement or assessment.
    """
    existing = competence_ids(session, framework_id)
    new = [{**row, "framework_id": framework_id} for row in rows if row["code"] not in existing]
    if new:
        inserted = session.execute(
            sa.insert(Competence).returning(
                col(Competence.code), col(Competence.id), sort_by_parameter_order=True
            ),
            new,
        )
        existing.update(dict(inserted.all()))
    kept = {row["code"] for row in rows}
    updates = [{**row, "id": existing[row["code"]]} for row in rows if row["code"] in existing]
    session.execute(sa.update(Competence), updates)
    stale = [id_ for code, id_ in existing.items() if code not in kept]
    if stale:
        _delete(session, sa.delete(Competence).where(col(Competence.id).in_(stale)), "competences")
    return {code: id_ for code, id_ in existing.items() if code in kept}


def replace_competence_levels(
    session: Session, competence_ids: Iterable[int], rows: Sequence[Row]
) -> None:
    """Sets the allowed levels of these competences; a level still in use cannot disappear.

    Raises:
        Conflict: a level to remove is referenced by a claim, requirement or assessment.
    """
    ids = list(competence_ids)
    current = {
        (cid, level)
        for cid, level in session.exec(
            select(CompetenceLevel.competence_id, CompetenceLevel.level).where(
                col(CompetenceLevel.competence_id).in_(ids)
            )
        )
    }
    wanted = {(row["competence_id"], row["level"]) for row in rows}
    for cid, level in current - wanted:
        _delete(
            session,
            sa.delete(CompetenceLevel).where(
                col(CompetenceLevel.competence_id) == cid, col(CompetenceLevel.level) == level
            ),
            "levels",
        )
    _insert(
        session,
        CompetenceLevel,
        [row for row in rows if (row["competence_id"], row["level"]) not in current],
    )
    updates = [row for row in rows if (row["competence_id"], row["level"]) in current]
    if updates:
        session.execute(sa.update(CompetenceLevel), updates)


def replace_links(
    session: Session,
    competence_ids: Iterable[int],
    *,
    labels: Sequence[Row],
    groups: Sequence[Row],
    anchors: Sequence[Row],
) -> None:
    """Replaces labels, group placements and anchors (nothing else references them)."""
    ids = list(competence_ids)
    for table in (CompetenceLabel, CompetenceGroupLink, CompetenceAnchor):
        core = metadata.tables[str(table.__tablename__)]
        session.execute(sa.delete(core).where(core.c.competence_id.in_(ids)))
    _insert(session, CompetenceLabel, labels)
    _insert(session, CompetenceGroupLink, groups)
    _insert(session, CompetenceAnchor, anchors)


def _insert(session: Session, table: type[Any], rows: Sequence[Row]) -> None:
    if rows:
        session.execute(sa.insert(table), list(rows))


def _delete(session: Session, statement: sa.Delete, what: str) -> None:
    try:
        with session.begin_nested():
            session.execute(statement)
    except sa.exc.IntegrityError as exc:
        raise Conflict(
            f"reference data would remove {what} that missions, profiles or needs still use"
        ) from exc


def find_competence(session: Session, framework_id: str, code: str) -> Competence | None:
    return session.exec(
        select(Competence).where(
            col(Competence.framework_id) == framework_id, col(Competence.code) == code
        )
    ).first()
