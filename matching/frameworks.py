"""Reading the reference frameworks (e-CF 4.0, DigComp 2.2, the general-interest annex) from data/.

Pure: files in, frozen values out. The loader in `missions` writes them to the database; the
matching engine reads the same values. ESCO, being large and differently shaped, is in `esco.py`.
"""

import csv
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.errors import LevelOutOfRange, ReferenceDataError


@dataclass(frozen=True)
class LevelSpec:
    level: int
    code: str  # as people read it: "e-3", "5"
    title_en: str
    title_fr: str
    gist_en: str = ""
    gist_fr: str = ""


@dataclass(frozen=True)
class GroupSpec:
    code: str
    title_en: str
    title_fr: str | None = None
    parent_code: str | None = None


@dataclass(frozen=True)
class LevelDescriptor:
    level: int
    en: str | None = None
    fr: str | None = None


@dataclass(frozen=True)
class CompetenceSpec:
    code: str
    title_en: str
    title_fr: str | None = None
    description_en: str | None = None
    description_fr: str | None = None
    level_min: int | None = None
    level_max: int | None = None
    levels_note: str | None = None
    uri: str | None = None
    group_codes: tuple[str, ...] = ()
    levels: tuple[LevelDescriptor, ...] = ()
    alt_labels: tuple[str, ...] = ()  # English alternative labels
    alt_labels_fr: tuple[str, ...] = ()  # French alternative labels
    anchors: tuple[tuple[str, str], ...] = ()  # (framework id, code) this entry builds on

    def check_level(self, level: int) -> int:
        """Returns `level` if the competence allows it.

        Raises:
            LevelOutOfRange: the competence has no levels, or not this one.
        """
        if self.level_min is None or self.level_max is None:
            raise LevelOutOfRange(f"{self.code} has no proficiency levels")
        if not self.level_min <= level <= self.level_max:
            raise LevelOutOfRange(
                f"{self.code} allows levels {self.level_min} to {self.level_max}, not {level}"
            )
        return level


@dataclass(frozen=True)
class FrameworkSpec:
    id: str
    kind: str
    name: str
    version: str
    licence: str
    attribution: str
    source_url: str
    hosted_path: str | None
    sha256: str
    levels: tuple[LevelSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    competences: tuple[CompetenceSpec, ...] = field(default=(), repr=False)

    def competence(self, code: str) -> CompetenceSpec:
        for competence in self.competences:
            if competence.code == code:
                return competence
        raise ReferenceDataError(f"{self.name} has no competence {code!r}")


def read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"reference data file missing: {path}") from exc


def catalogue(data_dir: Path) -> list[dict[str, Any]]:
    """The framework descriptions of `data/frameworks/catalogue.json`."""
    entries: list[dict[str, Any]] = json.loads(
        (data_dir / "frameworks" / "catalogue.json").read_text(encoding="utf-8")
    )
    return entries


def files_sha256(directory: Path, names: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()


def _by(rows: list[dict[str, str]], *keys: str) -> dict[tuple[str, ...], dict[str, str]]:
    return {tuple(row[key] for key in keys): row for row in rows}


def ecf_level_number(code: str) -> int:
    """'e-3' → 3."""
    if not code.startswith("e-") or code[2:] not in {"1", "2", "3", "4", "5"}:
        raise ReferenceDataError(f"not an e-CF level: {code!r} (expected e-1 … e-5)")
    return int(code[2:])


def _ecf_levels_note(
    code: str, confidence: str, checks: dict[tuple[str, ...], dict[str, str]]
) -> str | None:
    check = checks.get((code,))
    if check is None:
        return "range agrees with independent e-CF 3.0 sources" if confidence else None
    return f"{check['verdict']}: {check['evidence']}"


def _ecf(data: Path) -> Iterator[CompetenceSpec]:
    texts = _by(read_csv(data / "ecf_4_0_texts.csv"), "code")
    descriptors = _by(read_csv(data / "ecf_4_0_levels.csv"), "code", "level")
    checks = _by(read_csv(data / "ecf_4_0_range_checks.csv"), "code")
    for row in read_csv(data / "ecf_4_0_competences.csv"):
        code, low, high = row["code"], int(row["level_min"]), int(row["level_max"])
        text = texts.get((code,))
        if text is None:
            raise ReferenceDataError(f"ecf_4_0_texts.csv has no row for {code}")
        levels = []
        for level in range(low, high + 1):
            descriptor = descriptors.get((code, f"e-{level}"))
            if descriptor is None:
                raise ReferenceDataError(f"ecf_4_0_levels.csv has no row for {code} e-{level}")
            levels.append(
                LevelDescriptor(level, descriptor["descriptor_en"], descriptor["descriptor_fr"])
            )
        extra = {(c, lv) for c, lv in descriptors if c == code} - {
            (code, f"e-{n}") for n in range(low, high + 1)
        }
        if extra:
            raise ReferenceDataError(
                f"ecf_4_0_levels.csv describes levels outside {code}'s range: {sorted(extra)}"
            )
        yield CompetenceSpec(
            code=code,
            title_en=row["title"],
            title_fr=text["title_fr"],
            description_en=text["description_en"],
            description_fr=text["description_fr"],
            level_min=low,
            level_max=high,
            levels_note=_ecf_levels_note(code, row["levels_confidence"], checks),
            group_codes=(row["area_letter"],),
            levels=tuple(levels),
        )


def load_ecf(data_dir: Path) -> FrameworkSpec:
    """e-CF 4.0: 41 competences in 5 areas, levels e-1 … e-5, our bilingual descriptors."""
    entry, data = catalogue_entry(data_dir, "ecf-4.0")
    french = _by(read_csv(data / "ecf_levels_fr.csv"), "level")
    levels = tuple(
        LevelSpec(
            level=ecf_level_number(row["level"]),
            code=row["level"],
            title_en=row["european_ict_title"],
            title_fr=french[(row["level"],)]["title_fr"],
            gist_en=row["autonomy_complexity_gist"],
            gist_fr=french[(row["level"],)]["gist_fr"],
        )
        for row in read_csv(data / "ecf_levels.csv")
    )
    groups = tuple(
        GroupSpec(row["area_letter"], row["title_en"], row["title_fr"])
        for row in read_csv(data / "ecf_areas.csv")
    )
    return framework_spec(entry, data_dir, levels, groups, tuple(_ecf(data)))


def load_digcomp(data_dir: Path) -> FrameworkSpec:
    """DigComp 2.2: 21 competences in 5 areas, 8 proficiency levels (no per-competence levels)."""
    entry, data = catalogue_entry(data_dir, "digcomp-2.2")
    french = _by(read_csv(data / "digcomp_2_2_levels_fr.csv"), "level")
    levels = tuple(
        LevelSpec(
            level=int(row["level"]),
            code=row["level"],
            title_en=row["band"],
            title_fr=french[(row["level"],)]["band_fr"],
            gist_en=row["gist"],
            gist_fr=french[(row["level"],)]["gist_fr"],
        )
        for row in read_csv(data / "digcomp_2_2_levels.csv")
    )
    groups = tuple(
        GroupSpec(row["area_code"], row["title_en"], row["title_fr"])
        for row in read_csv(data / "digcomp_2_2_areas.csv")
    )
    texts = _by(read_csv(data / "digcomp_2_2_texts.csv"), "code")
    competences = tuple(
        CompetenceSpec(
            code=row["code"],
            title_en=row["title"],
            title_fr=texts[(row["code"],)]["title_fr"],
            description_en=texts[(row["code"],)]["description_en"],
            description_fr=texts[(row["code"],)]["description_fr"],
            level_min=1,
            level_max=8,
            group_codes=(row["area_code"],),
            levels=tuple(LevelDescriptor(level) for level in range(1, 9)),
        )
        for row in read_csv(data / "digcomp_2_2_competences.csv")
    )
    return framework_spec(entry, data_dir, levels, groups, competences)


def load_general_interest(data_dir: Path) -> FrameworkSpec:
    """Our annex of general-interest competences, each anchored in e-CF and DigComp codes."""
    entry, data = catalogue_entry(data_dir, "probono-gi-1.0")
    levels = tuple(
        LevelSpec(int(row["level"]), row["level"], row["title_en"], row["title_fr"])
        for row in read_csv(data / "probono_gi_1_0_level_names.csv")
    )
    descriptors = read_csv(data / "probono_gi_1_0_levels.csv")
    competences = []
    for row in read_csv(data / "probono_gi_1_0.csv"):
        anchors = [("ecf-4.0", c) for c in row["ecf_anchors"].split(";") if c] + [
            ("digcomp-2.2", c) for c in row["digcomp_anchors"].split(";") if c
        ]
        own = sorted(
            (
                LevelDescriptor(int(d["level"]), d["descriptor_en"], d["descriptor_fr"])
                for d in descriptors
                if d["code"] == row["code"]
            ),
            key=lambda d: d.level,
        )
        competences.append(
            CompetenceSpec(
                code=row["code"],
                title_en=row["title_en"],
                title_fr=row["title_fr"],
                description_en=row["description_en"],
                description_fr=row["description_fr"],
                level_min=own[0].level,
                level_max=own[-1].level,
                levels=tuple(own),
                anchors=tuple(anchors),
            )
        )
    return framework_spec(entry, data_dir, levels, (), tuple(competences))


def catalogue_entry(data_dir: Path, framework_id: str) -> tuple[dict[str, Any], Path]:
    for entry in catalogue(data_dir):
        if entry["id"] == framework_id:
            return entry, data_dir / "frameworks"
    raise ReferenceDataError(f"catalogue.json does not describe {framework_id}")


def framework_spec(
    entry: dict[str, Any],
    data_dir: Path,
    levels: tuple[LevelSpec, ...],
    groups: tuple[GroupSpec, ...],
    competences: tuple[CompetenceSpec, ...],
) -> FrameworkSpec:
    return FrameworkSpec(
        id=entry["id"],
        kind=entry["kind"],
        name=entry["name"],
        version=entry["version"],
        licence=entry["licence"],
        attribution=entry["attribution"],
        source_url=entry["source_url"],
        hosted_path=entry["hosted_path"],
        sha256=files_sha256(data_dir / "frameworks", entry["files"]),
        levels=levels,
        groups=groups,
        competences=competences,
    )
