"""Reading ESCO skills from data/esco/: v1.1.1 (English labels, alternative labels, hierarchy),
with the French labels of an earlier release (v1.0) for the skills both releases share."""

import ast
import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

from matching.errors import ReferenceDataError
from matching.frameworks import (
    CompetenceSpec,
    FrameworkSpec,
    GroupSpec,
    catalogue_entry,
    framework_spec,
)

SKILL_URI = "http://data.europa.eu/esco/skill/"
FRENCH_LABELS = "esco_v1.0_skills_fr_labels.csv.gz"

# The pillars are implicit in the data files: every path starts with one of these letters.
PILLARS = {
    "S": "skills",
    "K": "knowledge",
    "T": "transversal skills and competences",
    "L": "language skills and knowledge",
    "A": "attitudes and values",
}


def _parent(code: str) -> str:
    """S4.5.0 → S4.5 → S4 → S; K0613 → K061 → K06 → K (ISCED-F field codes)."""
    if code[0] == "K":
        return "K" if len(code) <= 3 else code[:-1]
    return code.rsplit(".", 1)[0] if "." in code else code[0]


def _paths(raw: str, skill_id: str) -> list[list[str | None]]:
    try:
        paths = ast.literal_eval(raw) if raw else []  # a Python literal, not JSON
    except (ValueError, SyntaxError) as exc:
        raise ReferenceDataError(f"ESCO skill {skill_id}: unreadable hierarchy {raw!r}") from exc
    if not isinstance(paths, list):
        raise ReferenceDataError(f"ESCO skill {skill_id}: hierarchy is not a list")
    return paths


def _french(esco_dir: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Skill id → (French preferred label, French alternative labels)."""
    found = {}
    with gzip.open(esco_dir / FRENCH_LABELS, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alternatives = row["altLabels"].replace("\n", "|").split("|")
            found[row["conceptUri"].rsplit("/", 1)[1]] = (
                row["preferredLabel"],
                tuple(a.strip() for a in alternatives if a.strip()),
            )
    return found


def load_esco(data_dir: Path) -> FrameworkSpec:
    """ESCO skills and knowledge concepts, each placed at the deepest group of each of its paths."""
    entry, _ = catalogue_entry(data_dir, "esco-1.1.1")
    esco_dir = data_dir / "esco"
    names: dict[str, str] = json.loads(
        (esco_dir / "esco_v1.1.1_hierarchy.json").read_text(encoding="utf-8")
    )
    groups = [GroupSpec(code, title) for code, title in PILLARS.items()]
    groups += [GroupSpec(code, title, parent_code=_parent(code)) for code, title in names.items()]
    known = {group.code for group in groups}

    preferred: dict[str, tuple[str, tuple[str, ...]]] = {}
    alternatives: defaultdict[str, list[str]] = defaultdict(list)
    with gzip.open(esco_dir / "esco_v1.1.1_skills.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "preferredLabel":
                deepest = {
                    next(c for c in reversed(p) if c)
                    for p in _paths(row["hierarchy_levels"], row["id"])
                }
                unknown = deepest - known
                if unknown:
                    raise ReferenceDataError(
                        f"ESCO skill {row['id']}: unknown groups {sorted(unknown)}"
                    )
                preferred[row["id"]] = (row["description"], tuple(sorted(deepest)))
            elif row["type"] == "altLabels":
                alternatives[row["id"]].append(row["description"])
    # The French release is older: the few v1.1.1 skills it lacks keep their English labels.
    french = _french(esco_dir)
    competences = tuple(
        CompetenceSpec(
            code=skill_id,
            title_en=label,
            title_fr=french[skill_id][0] if skill_id in french else None,
            uri=SKILL_URI + skill_id,
            group_codes=group_codes,
            alt_labels=tuple(dict.fromkeys(a for a in alternatives[skill_id] if a != label)),
            alt_labels_fr=french[skill_id][1] if skill_id in french else (),
        )
        for skill_id, (label, group_codes) in sorted(preferred.items())
    )
    return framework_spec(entry, data_dir, (), tuple(groups), competences)
