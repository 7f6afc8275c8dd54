"""Competence inference: free text → e-CF 4.0 competences with a level, ESCO skills, DigComp.

Texts are encoded as queries against documents: for e-CF, our own descriptors (each
competence's description and each level descriptor, English and French) and labelled example
texts (`exemplars.py`), the two channels mixed as z-scores; for ESCO, the preferred labels; for
DigComp, the descriptions. Similarities are turned into scores per
text (z-scores over the framework, then a logistic), so that no absolute cosine threshold is
carried from one model to another. The level is the allowed level whose descriptors the text
resembles most, nudged by explicit seniority cues ("10 ans d'expérience", "junior").
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Self

import numpy as np
from numpy.typing import NDArray

from matching.calibration import calibrated, standardise
from matching.coverage import Stated
from matching.embedders import Embedder, Vectors
from matching.errors import MatchingError
from matching.exemplars import Exemplar
from matching.frameworks import CompetenceSpec, FrameworkSpec

_YEARS = re.compile(r"(\d{1,2})\s*(?:\+\s*)?(?:ans|années|years?|yrs)\b", re.IGNORECASE)
_SENIOR = re.compile(
    r"\b(senior|lead|principal|head of|directeur|directrice|responsable|architecte?|cto|chief)\b",
    re.I,
)
_JUNIOR = re.compile(
    r"\b(junior|débutante?|beginner|étudiante?|student|stagiaire|intern|apprentie?)\b", re.I
)
# How much a seniority cue moves the choice between adjacent levels, in cosine units.
_CUE_WEIGHT = 0.01
# Where the logistic crosses 0.5, in standard deviations above the framework's mean similarity:
# a typical text resembles a handful of the 41 e-CF competences, and a few dozen ESCO skills.
_OFFSET = {"ecf": 1.0, "digcomp": 1.0, "esco": 3.0}
# DigComp describes citizens' and staff's skills; it is suggested when the text is about training
# or supporting people in digital use (these e-CF competences among the first three).
_DIGCOMP_TRIGGERS = {"D.3", "D.9", "C.1"}
# Weight of the descriptor channel against the exemplar channel; `probono eval` measures
# descriptors alone (1.0), exemplars alone (0.0) and this mix (docs/matching-quality.md).
DESCRIPTOR_WEIGHT = 0.3
_EXEMPLARS_PER_COMPETENCE = 3  # mean of the closest few, so that one odd example does not decide
# Inferred competences kept per text: a need usually asks for one to three, a profile shows more.
_INFERRED = {"need": 3, "profile": 5}
_INFERRED_MIN_SCORE = 0.5  # a clear standout among the 41 competences, whatever the model


@dataclass(frozen=True)
class Suggestion:
    framework: str  # "ecf", "esco" or "digcomp"
    code: str
    label: str
    score: float  # in [0, 1], comparable across models
    level: int | None = None
    uri: str | None = None


@dataclass(frozen=True)
class Suggestions:
    ecf: tuple[Suggestion, ...]
    esco: tuple[Suggestion, ...]
    digcomp: tuple[Suggestion, ...]


def expected_level(text: str) -> float | None:
    """A seniority estimate on the e-1…e-5 scale from explicit cues, or None without any."""
    years = [int(match) for match in _YEARS.findall(text) if int(match) <= 45]
    estimate: float | None = None
    if years:
        most = max(years)
        estimate = 1.0 if most < 2 else 2.0 if most < 5 else 3.0 if most < 10 else 4.0
    if _SENIOR.search(text):
        estimate = max(estimate or 3.0, 3.5)
    if _JUNIOR.search(text):
        estimate = min(estimate or 1.5, 1.5)
    return estimate


@dataclass(frozen=True)
class _Index:
    """Documents of one framework: rows of `vectors` belong to `owners` (competence indexes)."""

    vectors: Vectors
    owners: NDArray[np.int64]


class CompetenceSuggester:
    """Suggests competences for texts; the embedder and frameworks are injected."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        ecf: FrameworkSpec,
        esco: FrameworkSpec,
        digcomp: FrameworkSpec,
        exemplars: Sequence[Exemplar] = (),
        descriptor_weight: float = DESCRIPTOR_WEIGHT,
        cache_dir: Path | None = None,
    ) -> None:
        self.embedder = embedder
        self.exemplars = exemplars
        self.descriptor_weight = descriptor_weight
        self.ecf = ecf
        self.esco = esco
        self.digcomp = digcomp
        self.cache_dir = cache_dir

    def fit(self) -> Self:
        """Encodes (or reads from the cache) every descriptor; call once per process."""
        ecf_texts, ecf_owners, level_texts, level_owners = [], [], [], []
        for index, competence in enumerate(self.ecf.competences):
            for text in _competence_texts(competence):
                ecf_texts.append(text)
                ecf_owners.append(index)
            for descriptor in competence.levels:
                for wording in (descriptor.en, descriptor.fr):
                    if wording:
                        level_texts.append(f"{competence.title_en}: {wording}")
                        level_owners.append(index * 10 + descriptor.level)
        self.ecf_ = self._index(self.ecf, "competences", ecf_texts, ecf_owners)
        self.ecf_levels_ = self._index(self.ecf, "levels", level_texts, level_owners)
        digcomp_texts, digcomp_owners = [], []
        for index, competence in enumerate(self.digcomp.competences):
            for text in _competence_texts(competence):
                digcomp_texts.append(text)
                digcomp_owners.append(index)
        self.digcomp_ = self._index(self.digcomp, "competences", digcomp_texts, digcomp_owners)
        codes = {competence.code: i for i, competence in enumerate(self.ecf.competences)}
        self.exemplar_vectors_ = self._cached(
            self.ecf, "exemplars", [e.text for e in self.exemplars]
        )
        self.exemplar_labels_ = np.zeros((len(self.exemplars), len(codes)), dtype=bool)
        for row, exemplar in enumerate(self.exemplars):
            self.exemplar_labels_[row, [codes[code] for code in exemplar.codes]] = True
        labels = [competence.title_en for competence in self.esco.competences]
        self.esco_ = self._index(self.esco, "labels", labels, list(range(len(labels))))
        return self

    def _index(
        self, framework: FrameworkSpec, part: str, texts: list[str], owners: list[int]
    ) -> _Index:
        vectors = self._cached(framework, part, texts)
        return _Index(vectors, np.asarray(owners, dtype=np.int64))

    def _cached(self, framework: FrameworkSpec, part: str, texts: list[str]) -> Vectors:
        if self.cache_dir is None:
            return self.embedder.encode_documents(texts, batch_size=128)
        # Keyed by the texts themselves and the model version: any edit means a new encoding.
        digest = hashlib.sha256("\n".join([self.embedder.version, *texts]).encode()).hexdigest()
        path = self.cache_dir / f"{framework.id}-{part}-{digest[:16]}.npy"
        if path.exists():
            cached: Vectors = np.load(path)
            return cached
        vectors = self.embedder.encode_documents(texts, batch_size=128)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.npy")
        np.save(partial, vectors)
        partial.replace(path)
        return vectors

    def suggest(
        self, texts: Sequence[str], *, top_k: int = 10, vectors: Vectors | None = None
    ) -> list[Suggestions]:
        """Ranked suggestions for each text, best first.

        Args:
            texts: needs or profiles, in any language the model knows.
            top_k: suggestions per framework.
            vectors: the texts already encoded as queries (skips encoding them again).

        Raises:
            MatchingError: called before `fit`, or with `top_k` below 1.
        """
        if not hasattr(self, "ecf_"):
            raise MatchingError("call fit() before suggest()")
        if top_k < 1:
            raise MatchingError("top_k must be at least 1")
        queries = self.embedder.encode_queries(list(texts)) if vectors is None else vectors
        return [self._one(text, query, top_k) for text, query in zip(texts, queries, strict=True)]

    def _one(self, text: str, query: NDArray[np.float32], top_k: int) -> Suggestions:
        ecf_sims = self._ecf_similarity(query)
        ecf_scores = calibrated(ecf_sims, offset=_OFFSET["ecf"])
        cue = expected_level(text)
        level_sims = self.ecf_levels_.vectors @ query
        ecf = []
        for index in np.argsort(-ecf_sims, kind="stable")[:top_k]:
            competence = self.ecf.competences[index]
            level = _level(competence, index, level_sims, self.ecf_levels_.owners, cue)
            ecf.append(
                Suggestion(
                    "ecf",
                    competence.code,
                    competence.title_en,
                    round(float(ecf_scores[index]), 4),
                    level,
                )
            )
        esco_sims = self.esco_.vectors @ query
        esco_scores = calibrated(esco_sims, offset=_OFFSET["esco"])
        esco = tuple(
            Suggestion(
                "esco", skill.code, skill.title_en, round(float(esco_scores[i]), 4), uri=skill.uri
            )
            for i in np.argsort(-esco_sims, kind="stable")[:top_k]
            for skill in (self.esco.competences[i],)
        )
        digcomp: tuple[Suggestion, ...] = ()
        if _DIGCOMP_TRIGGERS & {s.code for s in ecf[:3]}:
            sims = _best_per_owner(self.digcomp_, query, len(self.digcomp.competences))
            scores = calibrated(sims, offset=_OFFSET["digcomp"])
            digcomp = tuple(
                Suggestion("digcomp", c.code, c.title_en, round(float(scores[i]), 4))
                for i in np.argsort(-sims, kind="stable")[: min(top_k, 5)]
                for c in (self.digcomp.competences[i],)
            )
        return Suggestions(tuple(ecf), esco, digcomp)

    def _ecf_similarity(self, query: NDArray[np.float32]) -> NDArray[np.float32]:
        """Descriptor and exemplar similarities, each as z-scores over the 41 competences, mixed."""
        descriptors = standardise(_best_per_owner(self.ecf_, query, len(self.ecf.competences)))
        if not self.exemplars:
            return descriptors
        sims = self.exemplar_vectors_ @ query
        nearest = np.full(len(self.ecf.competences), float(sims.min()), dtype=np.float32)
        for index in range(len(self.ecf.competences)):
            labelled = np.sort(sims[self.exemplar_labels_[:, index]])[::-1]
            if labelled.size:
                nearest[index] = labelled[:_EXEMPLARS_PER_COMPETENCE].mean()
        weight = self.descriptor_weight
        mixed = weight * descriptors + (1 - weight) * standardise(nearest)
        return mixed.astype(np.float32)


def _competence_texts(competence: CompetenceSpec) -> list[str]:
    texts = [f"{competence.title_en}. {competence.description_en or ''}"]
    if competence.title_fr:
        texts.append(f"{competence.title_fr}. {competence.description_fr or ''}")
    return texts


def _best_per_owner(index: _Index, query: NDArray[np.float32], owners: int) -> NDArray[np.float32]:
    best = np.full(owners, -1.0, dtype=np.float32)
    np.maximum.at(best, index.owners, index.vectors @ query)
    return best


def _level(
    competence: CompetenceSpec,
    index: int,
    level_sims: NDArray[np.float32],
    level_owners: NDArray[np.int64],
    cue: float | None,
) -> int:
    """The allowed level whose descriptors fit best, nudged towards the seniority cue."""
    low, high = competence.level_min or 1, competence.level_max or 1
    best_level, best_value = low, -np.inf
    for level in range(low, high + 1):
        mask = level_owners == index * 10 + level
        value = float(level_sims[mask].max()) if mask.any() else -1.0
        if cue is not None:
            value -= _CUE_WEIGHT * abs(level - cue)
        if value > best_value:
            best_level, best_value = level, value
    return competence.check_level(best_level)


def inferred_statements(found: Suggestions, *, role: Literal["need", "profile"]) -> list[Stated]:
    """The e-CF competences a text shows clearly enough to count as inferred statements, each
    weighted by its confidence (so a doubtful one weighs less in coverage)."""
    return [
        Stated(f"ecf:{s.code}", s.level, "inferred", weight=s.score)
        for s in found.ecf[: _INFERRED[role]]
        if s.score >= _INFERRED_MIN_SCORE
    ]
