"""Loading the reference frameworks into the database, versioned by the hash of their files."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

import matching
from models import queries, utcnow

LOADERS: dict[str, Callable[[Path], matching.FrameworkSpec]] = {
    "ecf-4.0": matching.load_ecf,
    "digcomp-2.2": matching.load_digcomp,
    "probono-gi-1.0": matching.load_general_interest,  # after e-CF and DigComp: it anchors in them
    "esco-1.1.1": matching.load_esco,
}


@dataclass(frozen=True)
class LoadReport:
    framework_id: str
    outcome: str  # "loaded", "updated" or "unchanged"
    competences: int


def load_reference_data(
    session: Session, data_dir: Path, *, force: bool = False
) -> list[LoadReport]:
    """Loads every framework whose data files changed since the last load; commits once."""
    try:
        reports = [_load(session, data_dir, framework_id, force) for framework_id in LOADERS]
    except Exception:
        session.rollback()  # nothing half-loaded stays behind
        raise
    session.commit()
    return reports


def _load(session: Session, data_dir: Path, framework_id: str, force: bool) -> LoadReport:
    entry, frameworks_dir = matching.catalogue_entry(data_dir, framework_id)
    sha = matching.files_sha256(frameworks_dir, entry["files"])
    existing = queries.reference.find_framework(session, framework_id)
    if existing is not None and existing.data_sha256 == sha and not force:
        return LoadReport(framework_id, "unchanged", 0)
    spec = LOADERS[framework_id](data_dir)
    _write(session, spec)
    outcome = "loaded" if existing is None else "updated"
    return LoadReport(framework_id, outcome, len(spec.competences))


def reference_status(session: Session) -> dict[str, int]:
    """Competences loaded per framework; empty when nothing is loaded."""
    return queries.reference.count_competences(session)


def _write(session: Session, spec: matching.FrameworkSpec) -> None:
    """One framework, whole: its description and levels, its groups, its competences with
    their level descriptors, and their links (labels, groups, anchors in other frameworks)."""
    _write_framework(session, spec)
    group_ids = queries.reference.upsert_groups(
        session,
        spec.id,
        [
            {
                "code": g.code,
                "title_en": g.title_en,
                "title_fr": g.title_fr,
                "parent_code": g.parent_code,
            }
            for g in spec.groups
        ],
    )
    ids = _write_competences(session, spec)
    _write_links(session, spec, ids, group_ids)


def _write_framework(session: Session, spec: matching.FrameworkSpec) -> None:
    q = queries.reference
    q.upsert_framework(
        session,
        {
            "id": spec.id,
            "kind": spec.kind,
            "name": spec.name,
            "version": spec.version,
            "licence": spec.licence,
            "attribution": spec.attribution,
            "source_url": spec.source_url,
            "hosted_path": spec.hosted_path,
            "data_sha256": spec.sha256,
            "loaded_at": utcnow(),
        },
    )
    q.replace_framework_levels(
        session,
        spec.id,
        [
            {
                "level": lv.level,
                "code": lv.code,
                "title_en": lv.title_en,
                "title_fr": lv.title_fr,
                "gist_en": lv.gist_en,
                "gist_fr": lv.gist_fr,
            }
            for lv in spec.levels
        ],
    )


def _write_competences(session: Session, spec: matching.FrameworkSpec) -> dict[str, int]:
    """The competences and their level descriptors; their ids by code."""
    q = queries.reference
    ids = q.upsert_competences(
        session,
        spec.id,
        [
            {
                "code": c.code,
                "uri": c.uri,
                "title_en": c.title_en,
                "title_fr": c.title_fr,
                "description_en": c.description_en,
                "description_fr": c.description_fr,
                "level_min": c.level_min,
                "level_max": c.level_max,
                "levels_note": c.levels_note,
            }
            for c in spec.competences
        ],
    )
    q.replace_competence_levels(
        session,
        ids.values(),
        [
            {
                "competence_id": ids[c.code],
                "level": d.level,
                "descriptor_en": d.en,
                "descriptor_fr": d.fr,
            }
            for c in spec.competences
            for d in c.levels
        ],
    )
    return ids


def _write_links(
    session: Session, spec: matching.FrameworkSpec, ids: dict[str, int], group_ids: dict[str, int]
) -> None:
    q = queries.reference
    anchors = {
        fid: q.competence_ids(session, fid)
        for fid in {f for c in spec.competences for f, _ in c.anchors}
    }
    q.replace_links(
        session,
        ids.values(),
        labels=[
            {"competence_id": ids[c.code], "lang": "en", "label": label, "kind": "alternative"}
            for c in spec.competences
            for label in c.alt_labels
        ],
        groups=[
            {"competence_id": ids[c.code], "group_id": group_ids[code]}
            for c in spec.competences
            for code in c.group_codes
        ],
        anchors=[
            {"competence_id": ids[c.code], "anchor_id": anchors[fid][code]}
            for c in spec.competences
            for fid, code in c.anchors
        ],
    )
