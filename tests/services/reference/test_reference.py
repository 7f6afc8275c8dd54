"""The reference frameworks as loaded from data/: complete, bilingual, versioned."""

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

import matching
from models import (
    ClaimSource,
    CompetenceAnchor,
    CompetenceClaim,
    CompetenceLevel,
    Conflict,
    persisted_id,
    queries,
)
from services.reference import loading
from tests.conftest import DATA_DIR
from tests.factories import competence_id, make_profile


def test_every_framework_is_loaded_with_its_size(session: Session) -> None:
    counts = loading.reference_status(session)
    assert counts == {"ecf-4.0": 41, "digcomp-2.2": 21, "probono-gi-1.0": 4, "esco-1.1.1": 13412}


def test_ecf_levels_follow_each_range_with_bilingual_descriptors(session: Session) -> None:
    spec = matching.load_ecf(DATA_DIR)
    total = 0
    for competence in spec.competences:
        stored = queries.reference.get_competence(session, "ecf-4.0", competence.code)
        assert stored.title_fr
        assert stored.description_en
        assert stored.description_fr
        levels = queries.reference.list_competence_levels(session, stored.id or 0)
        assert [lv.level for lv in levels] == list(
            range(stored.level_min or 0, (stored.level_max or 0) + 1)
        )
        assert all(lv.descriptor_en and lv.descriptor_fr for lv in levels)
        total += len(levels)
    assert total == 113
    assert queries.reference.get_competence(session, "ecf-4.0", "A.1").level_min == 4


def test_the_five_single_source_ranges_are_verified_or_flagged(session: Session) -> None:
    for code in ["A.7", "A.10", "C.5", "D.5", "D.7"]:
        note = queries.reference.get_competence(session, "ecf-4.0", code).levels_note or ""
        assert note.split(":")[0] in {"confirmed", "flagged", "conflict"}, (code, note)


def test_general_interest_entries_anchor_in_ecf_and_digcomp(session: Session) -> None:
    gi4 = competence_id(session, "probono-gi-1.0", "GI.4")
    anchors = session.exec(
        select(CompetenceAnchor.anchor_id).where(CompetenceAnchor.competence_id == gi4)
    ).all()
    assert competence_id(session, "digcomp-2.2", "4.2") in anchors
    assert competence_id(session, "ecf-4.0", "E.8") in anchors


def test_esco_skills_keep_uris_labels_and_hierarchy(session: Session) -> None:
    skill = queries.reference.get_competence(
        session, "esco-1.1.1", "0005c151-5b5a-4a66-8aac-60e734beb1ab"
    )
    assert skill.uri == "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab"
    assert skill.title_en == "manage musical staff"
    assert "manage staff of music" in queries.reference.list_alt_labels(session, skill.id or 0)
    groups = {g.code for g in queries.reference.list_group_titles(session, skill.id or 0)}
    assert {"S4.5.0", "S4.8.1", "T4.4"} <= groups


def test_loading_again_changes_nothing(session: Session) -> None:
    reports = loading.load_reference_data(session, DATA_DIR)
    assert {r.outcome for r in reports} == {"unchanged"}


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR / "frameworks", target / "frameworks")
    shutil.copytree(DATA_DIR / "esco", target / "esco")
    return target


def test_a_changed_file_reloads_its_framework_only(session: Session, tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    texts = data / "frameworks" / "ecf_4_0_texts.csv"
    original = queries.reference.get_competence(session, "ecf-4.0", "B.1").description_en or ""
    texts.write_text(
        texts.read_text(encoding="utf-8").replace(original, "Builds software, revised."),
        encoding="utf-8",
    )
    outcomes = {r.framework_id: r.outcome for r in loading.load_reference_data(session, data)}
    assert outcomes == {
        "ecf-4.0": "updated",
        "digcomp-2.2": "unchanged",
        "probono-gi-1.0": "unchanged",
        "esco-1.1.1": "unchanged",
    }
    session.expire_all()
    assert (
        queries.reference.get_competence(session, "ecf-4.0", "B.1").description_en
        == "Builds software, revised."
    )


def test_a_level_in_use_cannot_disappear(session: Session, tmp_path: Path) -> None:
    profile = make_profile(session)
    b1 = competence_id(session, "ecf-4.0", "B.1")
    session.add(
        CompetenceClaim(
            profile_id=persisted_id(profile.id),
            competence_id=b1,
            level=3,
            source=ClaimSource.DECLARED,
        )
    )
    session.commit()
    data = _copy_data(tmp_path)
    path = data / "frameworks" / "ecf_4_0_competences.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(
            line.replace(
                "B.1,B,Build,Application Development,1-3,1,3",
                "B.1,B,Build,Application Development,1-2,1,2",
            )
            for line in lines
        ),
        encoding="utf-8",
    )
    levels = data / "frameworks" / "ecf_4_0_levels.csv"
    levels.write_text(
        "".join(
            line
            for line in levels.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("B.1,e-3,")
        ),
        encoding="utf-8",
    )
    with pytest.raises(Conflict, match="still use"):
        loading.load_reference_data(session, data)
    assert session.get(CompetenceLevel, (b1, 3)) is not None
