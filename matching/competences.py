"""Competence inference: free text → e-CF 4.0 competences with a level, ESCO skills, DigComp.

Texts are encoded as queries, whole and clause by clause (`reading.clauses`), so that a need
asking for two things gets both. e-CF: the learned reader (`ecf_model`, trained on the team's
bank) gives each competence a probability, for the whole text and for each clause, pooled; its
level model reads the level from the text's vector and its seniority and scope cues, inside the
competence's range, and a need's level stays at what a small association needs (e-3 at most)
unless the text speaks of seniority or a larger scope. ESCO: every preferred and alternative
label, English and French, is a vector; a skill's similarity is the best of its labels, over
the whole text and its clauses; a lexical channel (BM25 over the labels) is fused with it as
z-scores over the 13,412 skills. DigComp: its descriptions, for texts about training or
supporting people.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, Self

import numpy as np
from numpy.typing import NDArray

from matching.calibration import calibrated, standardise
from matching.coverage import Stated
from matching.ecf_model import SETTINGS, Labelled, bank_digest, cached
from matching.embedders import Embedder, Vectors
from matching.errors import MatchingError
from matching.frameworks import CompetenceSpec, FrameworkSpec
from matching.reading import clause_spans, has_scope

Role = Literal["need", "profile"]
# Where the logistic crosses 0.5, in standard deviations above the framework's mean similarity:
# a typical text resembles a few dozen ESCO skills, a handful of DigComp's 21.
_OFFSET = {"digcomp": 1.0, "esco": 3.0}
# DigComp describes citizens' and staff's skills; it is suggested when the text is about training
# or supporting people in digital use (these e-CF competences among the first three).
_DIGCOMP_TRIGGERS = {"D.3", "D.9", "C.1"}
# A clause's evidence counts this much against the whole text's (a clause alone is read with
# less context). Chosen on the evaluation set's training split (docs/matching-quality.md).
CLAUSE_WEIGHT = 0.7
# ESCO, each in standard deviations over the 13,412 skills, chosen on the training split of the
# hand-tagged sentences (docs/matching-quality.md): the weight of the best clause's evidence
# beside the whole text's, of the lexical channel (BM25 over the labels), and of the prior for
# digital skills — probono's texts are about digital work, and ESCO's "working with computers"
# (S5) and ICT knowledge (K06) groups hold most of what they ask, among many trades they never
# do. The alternative labels embedded per skill and language (the preferred one always is).
ESCO_CLAUSE_WEIGHT = 0.3
ESCO_LEXICAL_WEIGHT = 0.2
ESCO_DIGITAL_PRIOR = 1.0
_DIGITAL_GROUPS = ("S5", "K06")
ESCO_ALTERNATIVES = 2
# Inferred competences kept per text: a need usually asks for one to three, a profile shows more.
_INFERRED = {"need": 3, "profile": 5}
ESCO_KEPT = 20  # ESCO skills kept per text, each by its score, for the overlap of two texts
# The learned reader's blended probability from which a competence counts as shown; chosen on
# the training split's ranking: 0.3 keeps a need's second ask that only one clause states
# ("… et on voudrait une newsletter", pooled at 0.7 of the clause's evidence), where 0.4 left
# 6 wordings of training needs with no competence at all (docs/matching-quality.md).
INFERRED_MIN_SCORE = 0.3
_SMALL_ASSOCIATION_LEVEL = 3  # a need's level without any cue of seniority or scope


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


@dataclass(frozen=True)
class _Index:
    """Documents of one framework: rows of `vectors` belong to `owners` (competence indexes)."""

    vectors: Vectors
    owners: NDArray[np.int64]  # ascending: an owner's rows are contiguous

    @cached_property  # read at every search: computed once
    def starts(self) -> NDArray[np.int64]:
        first: NDArray[np.int64] = np.flatnonzero(np.r_[True, self.owners[1:] != self.owners[:-1]])
        return first


class CompetenceSuggester:
    """Suggests competences for texts; the embedder, frameworks and training bank are injected."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        ecf: FrameworkSpec,
        esco: FrameworkSpec,
        digcomp: FrameworkSpec,
        bank: Sequence[Labelled],
        cache_dir: Path | None = None,
        clause_weight: float = CLAUSE_WEIGHT,
        esco_clause_weight: float = ESCO_CLAUSE_WEIGHT,
        esco_lexical_weight: float = ESCO_LEXICAL_WEIGHT,
    ) -> None:
        self.embedder = embedder
        self.bank = bank
        self.ecf = ecf
        self.esco = esco
        self.digcomp = digcomp
        self.cache_dir = cache_dir
        self.clause_weight = clause_weight
        self.esco_clause_weight = esco_clause_weight
        self.esco_lexical_weight = esco_lexical_weight

    def fit(self) -> Self:
        """Encodes (or reads from the cache) every descriptor, label and training text, and
        trains the e-CF reader; call once per process."""
        digcomp_texts, digcomp_owners = [], []
        for index, competence in enumerate(self.digcomp.competences):
            for text in _competence_texts(competence):
                digcomp_texts.append(text)
                digcomp_owners.append(index)
        self.digcomp_ = self._index(self.digcomp, "competences", digcomp_texts, digcomp_owners)
        self.bank_vectors_ = self.cached_vectors(
            self.ecf, "bank", [b.text for b in self.bank], queries=True
        )
        # Names the bank, the embedder and the reader's settings: stored with every inference.
        key = "|".join(
            [
                bank_digest(self.bank),
                self.embedder.version,
                str(self.clause_weight),
                SETTINGS,
                f"min={INFERRED_MIN_SCORE}",
            ]
        )
        self.version = "ecf-lr-" + hashlib.sha256(key.encode()).hexdigest()[:12]
        self.model_ = cached(
            self.ecf, self.bank, self.bank_vectors_, version=self.version, cache_dir=self.cache_dir
        )
        labels, owners = [], []
        for index, skill in enumerate(self.esco.competences):
            for label in _esco_labels(skill):
                labels.append(label)
                owners.append(index)
        self.esco_ = self._index(self.esco, "labels", labels, owners)
        from matching.lexical import Bm25Ranker

        self.esco_digital_ = np.asarray(
            [
                any(g.startswith(_DIGITAL_GROUPS) for g in skill.group_codes)
                for skill in self.esco.competences
            ],
            dtype=np.float64,
        )
        self.esco_lexical_ = Bm25Ranker(
            [" ; ".join(_esco_labels(skill, everything=True)) for skill in self.esco.competences]
        )
        return self

    def _index(
        self, framework: FrameworkSpec, part: str, texts: list[str], owners: list[int]
    ) -> _Index:
        vectors = self.cached_vectors(framework, part, texts)
        return _Index(vectors, np.asarray(owners, dtype=np.int64))

    def cached_vectors(
        self, framework: FrameworkSpec, part: str, texts: list[str], *, queries: bool = False
    ) -> Vectors:
        encode = self.embedder.encode_queries if queries else self.embedder.encode_documents
        if self.cache_dir is None:
            return encode(texts, batch_size=128)
        # Keyed by the texts themselves and the model version: any edit means a new encoding.
        digest = hashlib.sha256("\n".join([self.embedder.version, *texts]).encode()).hexdigest()
        path = self.cache_dir / f"{framework.id}-{part}-{digest[:16]}.npy"
        if path.exists():
            cached: Vectors = np.load(path)
            return cached
        vectors = encode(texts, batch_size=128)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.npy")
        np.save(partial, vectors)
        partial.replace(path)
        return vectors

    def preferred_label_vectors(self) -> Vectors:
        """The vector of each ESCO skill's English preferred label (its first label)."""
        owners = self.esco_.owners
        first = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        return self.esco_.vectors[first]

    def suggest(
        self,
        texts: Sequence[str],
        *,
        top_k: int = 10,
        vectors: Vectors | None = None,
        role: Role | None = None,
    ) -> list[Suggestions]:
        """Ranked suggestions for each text, best first.

        Args:
            texts: needs or profiles, in any language the model knows.
            top_k: suggestions per framework.
            vectors: the texts already encoded as queries (skips encoding them again).
            role: what the texts are, when known: a need's levels stay at what a small
                association needs unless it speaks of seniority or scope.

        Raises:
            MatchingError: called before `fit`, or with `top_k` below 1.
        """
        if not hasattr(self, "model_"):
            raise MatchingError("call fit() before suggest()")
        if top_k < 1:
            raise MatchingError("top_k must be at least 1")
        texts = list(texts)
        spans = [_parts(text) for text in texts]
        split = [i for i, found in enumerate(spans) if found]
        # Texts with several clauses: the whole and its clauses from one pass of the model;
        # texts not encoded yet go through the same pass, all of them at once (one call of the
        # model per batch: two calls of half a batch each waste its padding).
        encode = list(range(len(texts))) if vectors is None else split
        queries = (
            np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
            if vectors is None
            else vectors.copy()
        )
        parts: list[Vectors] = [queries[:0]] * len(texts)
        if encode:
            wholes, found = self.embedder.encode_query_parts(
                [texts[i] for i in encode], [spans[i] for i in encode]
            )
            for row, i in enumerate(encode):
                queries[i], parts[i] = wholes[row], found[row]
        clauses = [
            [texts[i][a:b] for a, b in spans[i]] if len(parts[i]) else [] for i in range(len(texts))
        ]
        ecf = self._ecf(texts, queries, parts, clauses, top_k, role)
        esco = self.esco_similarity(texts, queries, parts)
        return [
            self._others(query, esco[:, row], ecf[row], top_k) for row, query in enumerate(queries)
        ]

    def _ecf(
        self,
        texts: list[str],
        queries: Vectors,
        parts: list[Vectors],
        clauses: list[list[str]],
        top_k: int,
        role: Role | None,
    ) -> list[tuple[Suggestion, ...]]:
        pooled = self.model_.probabilities(queries, texts)
        if self.clause_weight and any(len(p) for p in parts):
            by_part = self.model_.probabilities(
                np.concatenate(parts), [clause for found in clauses for clause in found]
            )
            start = 0
            for row, found in enumerate(parts):
                if len(found):
                    best = by_part[start : start + len(found)].max(axis=0)
                    pooled[row] = np.maximum(pooled[row], self.clause_weight * best)
                start += len(found)
        levels = self.model_.levels(queries, texts)
        found_all = []
        for row, text in enumerate(texts):
            cap = None
            if role == "need" and not has_scope(text):
                cap = _SMALL_ASSOCIATION_LEVEL
            found_all.append(
                tuple(
                    Suggestion(
                        "ecf",
                        competence.code,
                        competence.title_en,
                        round(float(pooled[row, index]), 4),
                        _level(competence, int(levels[row, index]), cap),
                    )
                    for index in np.argsort(-pooled[row], kind="stable")[:top_k]
                    for competence in (self.ecf.competences[index],)
                )
            )
        return found_all

    def esco_similarity(
        self, texts: Sequence[str], queries: Vectors, parts: Sequence[Vectors]
    ) -> NDArray[np.float64]:
        """(skills, texts): each ESCO skill's fused evidence for each text, as z-scores over the
        skills: the best of its labels for the whole text, plus the best clause's, the lexical
        channel and the prior for digital skills, each by its weight."""
        size = len(self.esco.competences)
        fused = _columns_standardised(_best_per_owner(self.esco_, queries, size))
        if self.esco_clause_weight and any(len(p) for p in parts):
            by_part = _best_per_owner(self.esco_, np.concatenate(parts), size)
            start = 0
            for row, found in enumerate(parts):
                if len(found):
                    best = by_part[:, start : start + len(found)].max(axis=1)
                    fused[:, row] += self.esco_clause_weight * standardise(best)
                start += len(found)
        if self.esco_lexical_weight:
            for row, text in enumerate(texts):
                lexical = self.esco_lexical_.scores(text).astype(np.float32)
                if lexical.any():
                    fused[:, row] += self.esco_lexical_weight * standardise(lexical)
        return fused + ESCO_DIGITAL_PRIOR * self.esco_digital_[:, None]

    def _others(
        self,
        query: NDArray[np.float32],
        esco_sims: NDArray[np.float64],
        ecf: tuple[Suggestion, ...],
        top_k: int,
    ) -> Suggestions:
        esco_scores = calibrated(esco_sims.astype(np.float32), offset=_OFFSET["esco"])
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
        return Suggestions(ecf, esco, digcomp)


def _parts(text: str) -> list[tuple[int, int]]:
    """The clauses read apart from the whole: none when the text is a single one."""
    found = clause_spans(text)
    return found if len(found) > 1 else []


def _esco_labels(skill: CompetenceSpec, *, everything: bool = False) -> list[str]:
    """A skill's labels in English and French: the preferred ones and the first alternatives
    (all of them for the lexical channel, which costs nothing to index)."""
    keep = None if everything else ESCO_ALTERNATIVES
    labels = [skill.title_en, *skill.alt_labels[:keep]]
    if skill.title_fr:
        labels += [skill.title_fr, *skill.alt_labels_fr[:keep]]
    return list(dict.fromkeys(labels))


def _competence_texts(competence: CompetenceSpec) -> list[str]:
    texts = [f"{competence.title_en}. {competence.description_en or ''}"]
    if competence.title_fr:
        texts.append(f"{competence.title_fr}. {competence.description_fr or ''}")
    return texts


def _columns_standardised(values: NDArray[np.float32]) -> NDArray[np.float64]:
    spread = values.std(axis=0, keepdims=True)
    z: NDArray[np.float64] = (
        (values - values.mean(axis=0, keepdims=True)) / np.where(spread > 0, spread, 1.0)
    ).astype(np.float64)
    return z


def _best_per_owner(index: _Index, query: NDArray[np.float32], owners: int) -> NDArray[np.float32]:
    """Each owner's best similarity to the query (or queries, one column each). The rows of an
    owner are contiguous, so one reduction per owner's block does it."""
    if query.ndim == 1:
        single: NDArray[np.float32] = np.maximum.reduceat(index.vectors @ query, index.starts)
        return single
    # One row per query, the labels along the row: the reduction reads contiguous memory.
    best: NDArray[np.float32] = np.maximum.reduceat(query @ index.vectors.T, index.starts, axis=1)
    assert best.shape[1] == owners
    return best.T


def _level(competence: CompetenceSpec, level: int, cap: int | None) -> int:
    """The level read from the text, capped for a need without cues, inside the range."""
    low, high = competence.level_min or 1, competence.level_max or 1
    if cap is not None:
        level = min(level, max(low, cap))
    return competence.check_level(min(max(level, low), high))


def inferred_statements(found: Suggestions, *, role: Role) -> list[Stated]:
    """The e-CF competences a text shows clearly enough to count as inferred statements, each
    weighted by its confidence (so a doubtful one weighs less in coverage)."""
    return [
        Stated(f"ecf:{s.code}", s.level, "inferred", weight=s.score)
        for s in found.ecf[: _INFERRED[role]]
        if s.score >= INFERRED_MIN_SCORE
    ]


def inferred_esco(found: Suggestions) -> list[Stated]:
    """The ESCO skills a text shows, each weighted by its score: what two texts' overlap is
    measured on (`scoring.esco_overlap`), never a requirement to cover."""
    return [
        Stated(f"esco:{s.code}", None, "inferred", weight=s.score) for s in found.esco[:ESCO_KEPT]
    ]
