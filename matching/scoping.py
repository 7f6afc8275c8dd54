"""Scoping a need told in plain words: which common needs the text asks for, clause by clause,
so that "our site is old, and we would like a newsletter" becomes two needs, each with what
similar needs take (a deliverable, hours, a work mode, competences at the levels a small
association needs).

A clause goes to the common need whose examples it is closest to (the catalogue's own words
and the team's example needs, `data/scoping/` and `data/demo/`); a clause that does not lean
clearly towards one (`margin`) stays with the clause before it, as "and nobody can update it"
belongs to the site it follows. The margin is chosen on the example needs, by
`python -m bench.scoping` (docs/matching-quality.md).
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matching.embedders import Embedder, Vectors
from matching.reading import clauses

MARGIN = 0.01  # chosen on the example needs: bench/scoping.py
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class CommonNeed:
    """One entry of the catalogue of common needs, in both languages."""

    key: str
    title: dict[str, str]
    question: dict[str, str]
    deliverable: dict[str, str]
    hours_estimate: int
    work_mode: str
    competences: tuple[tuple[str, str, int | None], ...]  # (framework, code, level)
    examples: tuple[tuple[str, str], ...] = field(default=())  # (source, text) of this kind


@dataclass(frozen=True)
class Part:
    """What one part of a text asks for: a common need (None: none of them), in its words."""

    need: CommonNeed | None
    text: str


def load_common_needs(data_dir: Path) -> list[CommonNeed]:
    """The catalogue (data/scoping/templates.json) with, as examples, its own words and the
    example needs of each kind (data/demo/need_templates.json)."""
    catalogue = json.loads((data_dir / "scoping" / "templates.json").read_text("utf-8"))
    examples: dict[str, list[tuple[str, str]]] = {}
    for need in json.loads((data_dir / "demo" / "need_templates.json").read_text("utf-8")):
        for lang in LANGUAGES:
            text = need[f"description_{lang}"].replace("{association}", "")
            examples.setdefault(need["category"], []).append(
                (need["key"], f"{need[f'title_{lang}']}. {text}")
            )
    found = []
    for entry in catalogue["templates"]:
        own = [
            (
                entry["key"],
                f"{entry[f'title_{lang}']}. {entry[f'question_{lang}']} "
                f"{entry[f'deliverable_{lang}']}",
            )
            for lang in LANGUAGES
        ]
        found.append(
            CommonNeed(
                key=entry["key"],
                title={lang: entry[f"title_{lang}"] for lang in LANGUAGES},
                question={lang: entry[f"question_{lang}"] for lang in LANGUAGES},
                deliverable={lang: entry[f"deliverable_{lang}"] for lang in LANGUAGES},
                hours_estimate=int(entry["hours_estimate"]),
                work_mode=entry["work_mode"],
                competences=tuple(
                    (c["framework"], c["code"], c.get("level")) for c in entry["competences"]
                ),
                examples=(*own, *examples.get(entry["key"], [])),
            )
        )
    return found


class Scoper:
    """Reads which common needs a text asks for (the examples are encoded once)."""

    def __init__(self, embedder: Embedder, common: list[CommonNeed], margin: float = MARGIN):
        self.embedder, self.common, self.margin = embedder, common, margin
        self._owner = np.array([i for i, need in enumerate(common) for _ in need.examples])
        self._sources = [source for need in common for source, _ in need.examples]
        self._examples: Vectors = embedder.encode_documents(
            [text for need in common for _, text in need.examples]
        )

    def closeness(self, texts: list[str], leave_out: frozenset[str] = frozenset()) -> Vectors:
        """Each text's closeness to each common need: its best example's cosine (examples of
        the sources `leave_out` set aside: an evaluation's own texts)."""
        sims = self.embedder.encode_queries(texts) @ self._examples.T
        if leave_out:
            sims[:, [s in leave_out for s in self._sources]] = -1.0
        best: Vectors = np.full((len(texts), len(self.common)), -1.0, dtype=np.float32)
        for i in range(len(self.common)):
            best[:, i] = sims[:, self._owner == i].max(axis=1)
        return best

    def parts(self, text: str, leave_out: frozenset[str] = frozenset()) -> list[Part]:
        """The common needs the text asks for, in the order it asks, each with its clauses; a
        text with no clause of its own is one part."""
        pieces = clauses(text) or [text.strip()]
        if not any(pieces):
            return []
        kinds: list[int] = []
        for row in self.closeness(pieces, leave_out):
            top = np.argsort(-row)
            clear = len(top) < 2 or row[top[0]] - row[top[1]] >= self.margin
            kinds.append(int(top[0]) if clear or not kinds else kinds[-1])
        grouped: dict[int, list[str]] = {}
        for kind, piece in zip(kinds, pieces, strict=True):
            grouped.setdefault(kind, []).append(piece)
        return [Part(self.common[k], tidy(", ".join(p))) for k, p in grouped.items()]


_SPACES = re.compile(r"\s+")


def tidy(text: str) -> str:
    """A clause as a sentence: spaces made single, a capital first, a full stop last."""
    text = _SPACES.sub(" ", text).strip(" ,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."
