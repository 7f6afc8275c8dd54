"""`probono eval`, need → volunteers: the engine's ranking on the team's labelled FR/EN set,
beside TF-IDF, BM25 and plain embedding cosine computed in the same run.

The engine is scored exactly as in the product (`matching.scoring`): calibrated similarity,
coverage of the need's competences, shared words, the soft penalties (part of the hours, a
hybrid mission from afar) and the hard rules that exclude. Two variants are measured: with the
competences people declared (the product once users confirm), and with inferred competences
only (nobody has confirmed anything yet). The set's needs are split: the weights are chosen on
folds of the training split (`tune_weights`), and the figures that count are the sealed test
split's. Training needs also exist translated into the other language
(`matching_translations.json`): the same query in French and in English should find the same
volunteers.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching import metrics
from matching.competences import (
    ESCO_KEPT,
    CompetenceSuggester,
    inferred_esco,
    inferred_statements,
)
from matching.constraints import Nearby, NeedFacts, VolunteerFacts, exclusions, penalties
from matching.coverage import Stated, coverage
from matching.embedders import Vectors
from matching.lexical import Bm25Ranker, TfidfRanker
from matching.scoring import (
    GUESSED,
    STATED,
    Signals,
    Weights,
    esco_overlap,
    esco_skills,
    lexical_signal,
    pair_score,
    semantic_signal,
)

GOOD = 2  # grade from which a volunteer counts as relevant for P@k and MRR
_TODAY = date(2026, 1, 5)  # any fixed day: the set has no dates, only a 3-month horizon
TEST = "test"


@dataclass(frozen=True)
class EvalNeed:
    id: str
    lang: str
    text: str
    facts: NeedFacts
    requirements: tuple[Stated, ...]
    split: str = "train"


@dataclass(frozen=True)
class EvalProfile:
    id: str
    lang: str
    text: str
    facts: VolunteerFacts
    claims: tuple[Stated, ...]


@dataclass(frozen=True)
class MatchingSet:
    needs: list[EvalNeed]
    translated: dict[str, EvalNeed]  # need id → the same need in the other language
    profiles: list[EvalProfile]
    grades: dict[tuple[str, str], int]  # (need, profile) → 1..3; absent = 0
    nearby: Nearby  # the cities the labellers took as the same or close enough

    def gains(self, need_id: str) -> dict[str, float]:
        return {p: float(g) for (n, p), g in self.grades.items() if n == need_id}

    def split(self, name: str) -> list[EvalNeed]:
        return [n for n in self.needs if n.split == name]


@dataclass(frozen=True)
class Row:
    method: str
    subset: str
    queries: int
    scores: dict[str, metrics.Estimate]


def load_matching_set(data_dir: Path) -> MatchingSet:
    folder = data_dir / "eval"
    data = json.loads((folder / "matching_fr_en.json").read_text(encoding="utf-8"))
    translations = {
        t["id"]: t
        for t in json.loads((folder / "matching_translations.json").read_text(encoding="utf-8"))[
            "needs"
        ]
    }
    needs = [_need(n, n) for n in data["needs"]]
    translated = {
        n["id"]: _need(n, translations[n["id"]]) for n in data["needs"] if n["id"] in translations
    }
    profiles = [
        EvalProfile(
            p["id"],
            p["lang"],
            f"{p['headline']}. {p['text']}",
            VolunteerFacts(
                languages=frozenset(p["languages"]),
                city=p["city"],
                country=p["country"],
                remote_ok=p["remote_ok"],
                onsite_ok=p["onsite_ok"],
                hours_per_month=p["hours_per_month"],
            ),
            tuple(Stated(f"ecf:{c['code']}", c["level"]) for c in p["claims"]),
        )
        for p in data["profiles"]
    ]
    grades = {(j["need"], j["profile"]): int(j["grade"]) for j in data["judgements"]}
    rules = data["hard_constraints"]
    nearby = Nearby.of(rules["nearby_cities"], rules.get("city_aliases", ()))
    return MatchingSet(needs, translated, profiles, grades, nearby)


def _need(need: dict[str, Any], wording: dict[str, Any]) -> EvalNeed:
    """One need of the set, worded as `wording` (itself, or its translation)."""
    return EvalNeed(
        need["id"],
        wording["lang"],
        f"{wording['title']}. {wording['text']}",
        NeedFacts(
            languages=frozenset(need["languages"]),
            work_mode=need["work_mode"],
            city=need["city"],
            country=need["country"],
            hours_estimate=int(need["hours_estimate"]),
        ),
        tuple(Stated(f"ecf:{r['code']}", r["level"]) for r in need["requirements"]),
        need.get("split", "train"),
    )


# A method ranks the pool of profiles for one need: profile ids, best first (a method that
# applies the hard rules leaves the excluded out, as the product does).
Method = Callable[[EvalNeed], list[str]]
# The features of every profile for one need, in this order (`Features.matrix`).
FEATURES = (
    "semantic",
    "coverage",
    "lexical",
    "esco",
    "responsiveness",
    "fairness",
    "hours",
    "place",
)


@dataclass(frozen=True)
class Features:
    """What the engine knows of each (need, profile) pair of one need, as columns."""

    matrix: NDArray[np.float64]  # (profiles, FEATURES): penalties as severities
    excluded: NDArray[np.bool_]
    no_competence: bool  # the need states (or shows) no competence: coverage is unknown


def weight_vector(weights: Weights, no_competence: bool) -> NDArray[np.float64]:
    """The weights as `pair_score` applies them, penalties taken off."""
    semantic, cover = weights.semantic, weights.coverage
    if no_competence:
        semantic, cover = semantic + cover, 0.0
    return np.asarray(
        [
            semantic,
            cover,
            weights.lexical,
            weights.esco,
            weights.responsiveness,
            weights.fairness,
            -weights.hours,
            -weights.place,
        ]
    )


class Ranker:
    """Every method over one set, sharing the encoded vectors and the inferred competences."""

    def __init__(self, suggester: CompetenceSuggester, data: MatchingSet) -> None:
        self.data = data
        embedder = suggester.embedder
        self.profile_ids = [p.id for p in data.profiles]
        self.profile_texts = [p.text for p in data.profiles]
        self.profile_vectors = embedder.encode_documents(self.profile_texts)
        wordings = [*data.needs, *data.translated.values()]
        queries = list(dict.fromkeys(n.text for n in wordings))
        self.query_vectors: dict[str, Vectors] = dict(
            zip(queries, embedder.encode_queries(queries), strict=True)
        )
        # Inferred competences read the texts as queries, like the product does.
        profile_queries = embedder.encode_queries(self.profile_texts)
        found = suggester.suggest(
            self.profile_texts, vectors=profile_queries, role="profile", top_k=ESCO_KEPT
        )
        self.inferred_claims = [tuple(inferred_statements(s, role="profile")) for s in found]
        self.profile_esco = [esco_skills(inferred_esco(s)) for s in found]
        found = suggester.suggest(
            queries,
            vectors=np.stack([self.query_vectors[q] for q in queries]),
            role="need",
            top_k=ESCO_KEPT,
        )
        self.inferred_requirements = {
            q: tuple(inferred_statements(s, role="need"))
            for q, s in zip(queries, found, strict=True)
        }
        self.need_esco = {
            q: esco_skills(inferred_esco(s)) for q, s in zip(queries, found, strict=True)
        }
        self.rules = {
            n.id: [
                (
                    exclusions(n.facts, p.facts, today=_TODAY, nearby=data.nearby),
                    penalties(n.facts, p.facts, today=_TODAY, nearby=data.nearby),
                )
                for p in data.profiles
            ]
            for n in data.needs
        }
        self.tfidf = TfidfRanker(self.profile_texts)
        self.bm25 = Bm25Ranker(self.profile_texts)
        self._features: dict[tuple[str, bool], Features] = {}

    def _order(self, scores: Sequence[float], excluded: Sequence[bool] | None = None) -> list[str]:
        order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
        return [self.profile_ids[i] for i in order if not (excluded and excluded[i])]

    def _excluded(self, need: EvalNeed) -> list[bool]:
        return [bool(found) for found, _ in self.rules[need.id]]

    def baseline(self, kind: str, *, constrained: bool = False) -> Method:
        def rank(need: EvalNeed) -> list[str]:
            if kind == "tfidf":
                scores = self.tfidf.scores(need.text).tolist()
            elif kind == "bm25":
                scores = self.bm25.scores(need.text).tolist()
            else:
                scores = (self.profile_vectors @ self.query_vectors[need.text]).tolist()
            return self._order(scores, self._excluded(need) if constrained else None)

        return rank

    def engine(self, *, declared: bool, weights: Weights | None = None) -> Method:
        def rank(need: EvalNeed) -> list[str]:
            found = self.features(need, declared=declared)
            # As `weights_for` in the product: a need showing no competence is not a guess.
            w = weights or (STATED if declared or found.no_competence else GUESSED)
            scores = found.matrix @ weight_vector(w, found.no_competence)
            return self._order(scores.tolist(), found.excluded.tolist())

        return rank

    def explanations(self, need: EvalNeed, *, declared: bool) -> list[Any]:
        """`pair_score` itself on each pair (the vectorised ranking must order as it does)."""
        return [
            pair_score(signals, found, None, penalised)
            for signals, (found, penalised) in zip(
                self._signals(need, declared), self.rules[need.id], strict=True
            )
        ]

    def _signals(self, need: EvalNeed, declared: bool) -> list[Signals]:
        semantic = semantic_signal(self.profile_vectors @ self.query_vectors[need.text])
        lexical = lexical_signal(need.text, self.profile_texts)
        requirements = need.requirements if declared else self.inferred_requirements[need.text]
        return [
            Signals(
                semantic=float(semantic[i]),
                lexical=float(lexical[i]),
                coverage=coverage(
                    requirements, (*profile.claims, *inferred) if declared else inferred
                ),
                esco=esco_overlap(self.need_esco[need.text], self.profile_esco[i]),
            )
            for i, (profile, inferred) in enumerate(
                zip(self.data.profiles, self.inferred_claims, strict=True)
            )
        ]

    def features(self, need: EvalNeed, *, declared: bool) -> Features:
        """Computed once per wording (weights vary)."""
        key = (need.text, declared)
        if key not in self._features:
            signals = self._signals(need, declared)
            rows = []
            for s, (_, penalised) in zip(signals, self.rules[need.id], strict=True):
                severity = {p.rule: p.severity for p in penalised}
                rows.append(
                    [
                        s.semantic,
                        s.coverage.score or 0.0,
                        s.lexical,
                        s.esco,
                        s.responsiveness,
                        1.0 - s.exposure,
                        severity.get("hours", 0.0),
                        severity.get("place", 0.0),
                    ]
                )
            self._features[key] = Features(
                np.asarray(rows),
                np.asarray(self._excluded(need)),
                signals[0].coverage.score is None,
            )
        return self._features[key]


def _measure(data: MatchingSet, needs: Sequence[EvalNeed], rank: Method) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {
        "P@5": [],
        "MRR": [],
        "nDCG@10": [],
        "good in top 10": [],
        "cross-lingual R@10": [],
    }
    profile_lang = {p.id: p.lang for p in data.profiles}
    for need in needs:
        ranked = rank(need)
        gains = data.gains(need.id)
        good = {p for p, g in gains.items() if g >= GOOD}
        values["P@5"].append(metrics.precision_at(5, ranked, good))
        values["MRR"].append(metrics.reciprocal_rank(ranked, good))
        values["nDCG@10"].append(metrics.ndcg_at(10, ranked, gains))
        if good:
            values["good in top 10"].append(metrics.hit_at(10, ranked, good))
        # Good volunteers who wrote in the other language than the need's original text.
        source_lang = next(n.lang for n in data.needs if n.id == need.id)
        foreign = {p for p in good if profile_lang[p] != source_lang}
        if foreign:
            values["cross-lingual R@10"].append(metrics.recall_at(10, ranked, foreign))
    return values


def _row(method: str, subset: str, values: dict[str, list[float]], samples: int) -> Row:
    scores = {name: metrics.bootstrap(v, samples=samples) for name, v in values.items()}
    return Row(method, subset, len(values["P@5"]), scores)


def methods(ranker: Ranker) -> dict[str, Method]:
    return {
        "baseline: TF-IDF": ranker.baseline("tfidf"),
        "baseline: BM25": ranker.baseline("bm25"),
        "baseline: embedding cosine": ranker.baseline("cosine"),
        "baseline: TF-IDF + hard rules": ranker.baseline("tfidf", constrained=True),
        "baseline: BM25 + hard rules": ranker.baseline("bm25", constrained=True),
        "baseline: embedding cosine + hard rules": ranker.baseline("cosine", constrained=True),
        "engine, inferred competences only": ranker.engine(declared=False),
        "engine, declared competences": ranker.engine(declared=True),
    }


def evaluate_ranking(ranker: Ranker, *, samples: int, split: str = TEST) -> list[Row]:
    data = ranker.data
    needs = data.split(split)
    rows = []
    for method, rank in methods(ranker).items():
        rows.append(_row(method, f"{split}: all", _measure(data, needs, rank), samples))
        for lang in ("fr", "en"):
            subset = [n for n in needs if n.lang == lang]
            rows.append(
                _row(method, f"{split}: {lang} needs", _measure(data, subset, rank), samples)
            )
    return rows


@dataclass(frozen=True)
class RuleCheck:
    method: str
    broken_in_top10: int  # (need, profile) pairs in a top 10 that break a hard rule
    needs_without_good: int  # needs with a good volunteer somewhere but none in the top 10
    needs: int


def check_rules(ranker: Ranker, *, split: str = TEST) -> list[RuleCheck]:
    data = ranker.data
    found = []
    for method, rank in methods(ranker).items():
        broken = missed = 0
        for need in data.split(split):
            top = rank(need)[:10]
            excluded = dict(zip(ranker.profile_ids, ranker._excluded(need), strict=True))
            broken += sum(excluded[p] for p in top)
            good = {p for p, g in data.gains(need.id).items() if g >= GOOD}
            missed += bool(good) and not good & set(top)
        found.append(RuleCheck(method, broken, missed, len(data.split(split))))
    return found


@dataclass(frozen=True)
class Parity:
    method: str
    ndcg_original: metrics.Estimate
    ndcg_translated: metrics.Estimate
    ndcg_fr: metrics.Estimate  # every need asked in French (original or translation)
    ndcg_en: metrics.Estimate
    top10_overlap: metrics.Estimate  # share of the top 10 both wordings have in common


def evaluate_parity(ranker: Ranker, *, samples: int) -> list[Parity]:
    """The needs that exist in both languages (the training split), asked in each."""
    data = ranker.data
    needs = [n for n in data.needs if n.id in data.translated]
    translated = [data.translated[n.id] for n in needs]
    found = []
    for method, rank in methods(ranker).items():
        if "hard rules" in method and "cosine" not in method:
            continue
        original = _measure(data, needs, rank)["nDCG@10"]
        other = _measure(data, translated, rank)["nDCG@10"]
        by_lang: dict[str, list[float]] = {"fr": [], "en": []}
        for need, a, b, t in zip(needs, original, other, translated, strict=True):
            by_lang[need.lang].append(a)
            by_lang[t.lang].append(b)
        overlap = [
            len(set(rank(a)[:10]) & set(rank(b)[:10])) / 10
            for a, b in zip(needs, translated, strict=True)
        ]
        found.append(
            Parity(
                method,
                metrics.bootstrap(original, samples=samples),
                metrics.bootstrap(other, samples=samples),
                metrics.bootstrap(by_lang["fr"], samples=samples),
                metrics.bootstrap(by_lang["en"], samples=samples),
                metrics.bootstrap(overlap, samples=samples),
            )
        )
    return found


def format_ranking(
    rows: Sequence[Row],
    checks: Sequence[RuleCheck],
    parity: Sequence[Parity],
) -> str:
    names = list(rows[0].scores)
    lines = ["\n## need → volunteers (team's FR/EN set)\n"]
    lines.append("| method | subset | n | " + " | ".join(names) + " |")
    lines.append("|---|---|---|" + "---|" * len(names))
    for r in rows:
        cells = " | ".join(str(r.scores[n]) for n in names)
        lines.append(f"| {r.method} | {r.subset} | {r.queries} | {cells} |")
    lines.append("\n## hard rules and good volunteers in the top 10 (test split)\n")
    lines.append("| method | pairs breaking a hard rule | needs with no good volunteer | needs |")
    lines.append("|---|---|---|---|")
    for c in checks:
        lines.append(f"| {c.method} | {c.broken_in_top10} | {c.needs_without_good} | {c.needs} |")
    lines.append(
        "\n## cross-lingual parity: training needs asked in French and in English (nDCG@10)\n"
    )
    lines.append("| method | original | translated | asked in FR | asked in EN | top-10 overlap |")
    lines.append("|---|---|---|---|---|---|")
    for p in parity:
        lines.append(
            f"| {p.method} | {p.ndcg_original} | {p.ndcg_translated} | {p.ndcg_fr} | "
            f"{p.ndcg_en} | {p.top10_overlap} |"
        )
    return "\n".join(lines)
