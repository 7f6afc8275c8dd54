"""Labelled example texts for competence inference, taken from the team-written demo texts.

Each need template and each (non-distractor) volunteer archetype names the e-CF competences it
involves; their French and English texts are examples of how people write about those
competences. They are independent of the evaluation set in data/eval/.
"""

import json
from dataclasses import dataclass
from pathlib import Path

# Placeholders of the demo texts, filled with neutral words.
_FILL = {"association": "l'association", "city": "Lyon", "years": "8", "employer": "une entreprise"}


@dataclass(frozen=True)
class Exemplar:
    text: str
    codes: tuple[str, ...]  # e-CF codes


def _ecf_codes(items: list[dict[str, object]]) -> tuple[str, ...]:
    return tuple(str(item["code"]) for item in items if item.get("framework", "ecf") == "ecf")


def load_exemplars(data_dir: Path) -> list[Exemplar]:
    demo = data_dir / "demo"
    exemplars = []
    for template in json.loads((demo / "need_templates.json").read_text(encoding="utf-8")):
        codes = _ecf_codes(template["requirements"])
        for lang in ("fr", "en"):
            text = f"{template[f'title_{lang}']}. {template[f'description_{lang}']}"
            exemplars.append(Exemplar(text.format(**_FILL), codes))
    for archetype in json.loads((demo / "volunteer_archetypes.json").read_text(encoding="utf-8")):
        if archetype.get("distractor"):
            continue  # written to mislead: right tools, wrong competence
        codes = _ecf_codes(archetype["claims"])
        for lang in ("fr", "en"):
            for about in archetype[f"about_{lang}"]:
                text = f"{archetype[f'title_{lang}']}. {about}"
                exemplars.append(Exemplar(text.format(**_FILL), codes))
    return exemplars
