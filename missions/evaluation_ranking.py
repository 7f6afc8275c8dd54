"""`probono eval`, need → volunteers: the engine's ranking on the team's labelled FR/EN set,
beside TF-IDF, BM25 and plain embedding cosine computed in the same run.

The engine is scored exactly as in the product (`matching.scoring`): calibrated similarity,
coverage of the need's competences, shared words, and the hard constraints that exclude. Two
variants are measured: with the competences people declared (the product once users confirm),
and with inferred competences only (a new profile nobody has confirmed yet). Needs also exist
translated into the other language (`matching_translations.json`): the same query in French
and in English should find the same volunteers.
"""

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from matching import metrics
from matching.baselines import Bm25Ranker, TfidfRanker
from matching.competences import CompetenceSuggester, inferred_statements
from matching.constraints import Exclusion, Nearby, NeedFacts, VolunteerFacts, exclusions
from matching.coverage import Stated, coverage
from matching.embedders import Vectors
from matching.scoring import (
    GUESSED,
    STATED,
    Signals,
    Weights,
    lexical_signal,
    pair_score,
    semantic_signal,
)

GOOD = 2  # grade from which a volunteer counts as relevant for P@k and MRR
_TODAY = date(2026, 1, 5)  # any fixed day: the set has no dates, only a 3-month horizon


@dataclass(frozen=True)
class EvalNeed:
    id: str
    lang: str
    text: str
    facts: NeedFacts
    requirements: tuple[Stated, ...]


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
    translated: list[EvalNeed]  # the same needs, each in the other language
    profiles: list[EvalProfile]
    grades: dict[tuple[str, str], int]  # (need, profile) → 1..3; absent = 0
    nearby: Nearby  # the cities the labellers took as close enough for hybrid work

    def gains(self, need_id: str) -> dict[str, float]:
        return {p: float(g) for (n, p), g in self.grades.items() if n == need_id}


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
    translated = [_need(n, translations[n["id"]]) for n in data["needs"]]
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
    nearby = Nearby.of(data["hard_constraints"]["nearby_cities"])
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
    )


# A method ranks the pool of profiles for one need: profile ids, best first.
Method = Callable[[EvalNeed], list[str]]


class Ranker:
    """Every method over one set, sharing the encoded vectors and the inferred competences."""

    def __init__(self, suggester: CompetenceSuggester, data: MatchingSet) -> None:
        self.data = data
        embedder = suggester.embedder
        self.profile_ids = [p.id for p in data.profiles]
        self.profile_texts = [p.text for p in data.profiles]
        self.profile_vectors = embedder.encode_documents(self.profile_texts)
        queries = [n.text for n in [*data.needs, *data.translated]]
        self.query_vectors: dict[str, Vectors] = dict(
            zip(queries, embedder.encode_queries(queries), strict=True)
        )
        # Inferred competences read the texts as queries, like the product does.
        profile_queries = embedder.encode_queries(self.profile_texts)
        self.inferred_claims = [
            tuple(inferred_statements(s, role="profile"))
            for s in suggester.suggest(self.profile_texts, vectors=profile_queries)
        ]
        found = suggester.suggest(
            queries, vectors=np.stack([self.query_vectors[q] for q in queries])
        )
        self.inferred_requirements = {
            q: tuple(inferred_statements(s, role="need"))
            for q, s in zip(queries, found, strict=True)
        }
        self.exclusions: dict[str, list[list[Exclusion]]] = {
            n.id: [
                exclusions(n.facts, p.facts, today=_TODAY, nearby=data.nearby)
                for p in data.profiles
            ]
            for n in data.needs
        }
        self.tfidf = TfidfRanker(self.profile_texts)
        self.bm25 = Bm25Ranker(self.profile_texts)
        self._cache: dict[tuple[str, bool], list[Signals]] = {}

    def _order(self, scores: Sequence[float], excluded: Sequence[bool] | None = None) -> list[str]:
        keys = [(bool(excluded[i]) if excluded else False, -float(s)) for i, s in enumerate(scores)]
        order = sorted(range(len(keys)), key=lambda i: keys[i])
        return [self.profile_ids[i] for i in order]

    def _excluded(self, need: EvalNeed) -> list[bool]:
        return [bool(e) for e in self.exclusions[need.id]]

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
            return self._order(*self.engine_scores(need, declared=declared, weights=weights))

        return rank

    def engine_scores(
        self, need: EvalNeed, *, declared: bool, weights: Weights | None = None
    ) -> tuple[list[float], list[bool]]:
        scores, excluded = [], []
        for signals, found in zip(
            self._signals(need, declared), self.exclusions[need.id], strict=True
        ):
            explanation = pair_score(signals, found, weights)
            # The sum of contributions still orders excluded pairs among themselves.
            scores.append(sum(explanation.contributions.values()))
            excluded.append(explanation.excluded)
        return scores, excluded

    def _signals(self, need: EvalNeed, declared: bool) -> list[Signals]:
        """What the engine knows of each pair, computed once per wording (weights vary)."""
        key = (need.text, declared)
        if key not in self._cache:
            semantic = semantic_signal(self.profile_vectors @ self.query_vectors[need.text])
            lexical = lexical_signal(need.text, self.profile_texts)
            requirements = need.requirements if declared else self.inferred_requirements[need.text]
            self._cache[key] = [
                Signals(
                    semantic=float(semantic[i]),
                    lexical=float(lexical[i]),
                    coverage=coverage(
                        requirements,
                        (*profile.claims, *inferred) if declared else inferred,
                    ),
                )
                for i, (profile, inferred) in enumerate(
                    zip(self.data.profiles, self.inferred_claims, strict=True)
                )
            ]
        return self._cache[key]


def _measure(data: MatchingSet, needs: Sequence[EvalNeed], rank: Method) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {"P@5": [], "MRR": [], "nDCG@10": [], "cross-lingual R@10": []}
    profile_lang = {p.id: p.lang for p in data.profiles}
    for need in needs:
        ranked = rank(need)
        gains = data.gains(need.id)
        good = {p for p, g in gains.items() if g >= GOOD}
        values["P@5"].append(metrics.precision_at(5, ranked, good))
        values["MRR"].append(metrics.reciprocal_rank(ranked, good))
        values["nDCG@10"].append(metrics.ndcg_at(10, ranked, gains))
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
        "baseline: TF-IDF + hard constraints": ranker.baseline("tfidf", constrained=True),
        "baseline: BM25 + hard constraints": ranker.baseline("bm25", constrained=True),
        "baseline: embedding cosine + hard constraints": ranker.baseline(
            "cosine", constrained=True
        ),
        "engine, inferred competences only": ranker.engine(declared=False),
        "engine, declared competences": ranker.engine(declared=True),
    }


def evaluate_ranking(ranker: Ranker, *, samples: int) -> list[Row]:
    data = ranker.data
    rows = []
    for method, rank in methods(ranker).items():
        rows.append(_row(method, "all", _measure(data, data.needs, rank), samples))
        for lang in ("fr", "en"):
            subset = [n for n in data.needs if n.lang == lang]
            rows.append(_row(method, f"{lang} needs", _measure(data, subset, rank), samples))
    return rows


@dataclass(frozen=True)
class Parity:
    method: str
    ndcg_original: metrics.Estimate
    ndcg_translated: metrics.Estimate
    ndcg_fr: metrics.Estimate  # every need asked in French (original or translation)
    ndcg_en: metrics.Estimate
    top10_overlap: metrics.Estimate  # share of the top 10 both wordings have in common


def evaluate_parity(ranker: Ranker, *, samples: int) -> list[Parity]:
    data = ranker.data
    found = []
    for method, rank in methods(ranker).items():
        if "constraints" in method and "cosine" not in method:
            continue
        original = _measure(data, data.needs, rank)["nDCG@10"]
        translated = _measure(data, data.translated, rank)["nDCG@10"]
        by_lang: dict[str, list[float]] = {"fr": [], "en": []}
        for need, a, b, t in zip(data.needs, original, translated, data.translated, strict=True):
            by_lang[need.lang].append(a)
            by_lang[t.lang].append(b)
        overlap = [
            len(set(rank(a)[:10]) & set(rank(b)[:10])) / 10
            for a, b in zip(data.needs, data.translated, strict=True)
        ]
        found.append(
            Parity(
                method,
                metrics.bootstrap(original, samples=samples),
                metrics.bootstrap(translated, samples=samples),
                metrics.bootstrap(by_lang["fr"], samples=samples),
                metrics.bootstrap(by_lang["en"], samples=samples),
                metrics.bootstrap(overlap, samples=samples),
            )
        )
    return found


@dataclass(frozen=True)
class Tuning:
    situation: str  # "declared" or "inferred only": which product weights it tunes
    best: Weights  # on the whole set
    best_ndcg: float
    product: Weights
    product_ndcg: float
    cross_validated: metrics.Estimate  # nDCG@10 of weights chosen on the other folds
    folds: int


# Among volunteers who cover a need equally (common in a large pool, rare in this set of 96),
# only the text tells them apart: semantic similarity keeps at least this weight.
MIN_SEMANTIC = 0.15


def _grid() -> list[Weights]:
    steps = [i / 20 for i in range(21)]
    return [
        Weights(semantic=s, coverage=c, lexical=max(0.0, round(0.9 - s - c, 2)))
        for s, c in product(steps, steps)
        if s >= MIN_SEMANTIC and 0.9 - s - c >= -1e-9
    ]


def tune_weights(ranker: Ranker, *, folds: int = 4, samples: int, seed: int = 0) -> list[Tuning]:
    """Grid search of the three ranking weights (responsiveness and fairness stay at 0.05 each:
    they are constant on this set), once for each situation the product tells apart — the
    need's competences declared (`scoring.STATED`), or only inferred from its text
    (`scoring.GUESSED`) — each with a cross-validated estimate of the weights so chosen.

    The objective is nDCG@10 with every need asked twice, in its own words and translated: a
    need written in either language must find the same volunteers, so weights that win in one
    language by the model's pull towards texts of that language do not win here."""
    data = ranker.data
    grid = _grid()
    n = len(data.needs)
    order = list(range(n))
    random.Random(seed).shuffle(order)
    tunings = []
    for declared, situation, in_product in (
        (True, "declared", STATED),
        (False, "inferred only", GUESSED),
    ):

        def per_need(weights: Weights, declared: bool = declared) -> list[float]:
            """Need i's nDCG@10 asked in both languages, averaged."""
            rank = ranker.engine(declared=declared, weights=weights)
            original = _measure(data, data.needs, rank)["nDCG@10"]
            translated = _measure(data, data.translated, rank)["nDCG@10"]
            return [(a + b) / 2 for a, b in zip(original, translated, strict=True)]

        found = {w: per_need(w) for w in grid}
        best = max(grid, key=lambda w: float(np.mean(found[w])))
        held_out = [0.0] * n
        for fold in range(folds):
            test = set(order[fold::folds])
            train = [i for i in order if i not in test]
            chosen = max(grid, key=lambda w: float(np.mean([found[w][i] for i in train])))
            for i in test:
                held_out[i] = found[chosen][i]
        tunings.append(
            Tuning(
                situation,
                best,
                float(np.mean(found[best])),
                in_product,
                float(np.mean(per_need(in_product))),
                metrics.bootstrap(held_out, samples=samples),
                folds,
            )
        )
    return tunings


def _weights(w: Weights) -> str:
    return f"semantic {w.semantic:.2f}, coverage {w.coverage:.2f}, lexical {w.lexical:.2f}"


def format_ranking(rows: Sequence[Row], parity: Sequence[Parity], tuning: Sequence[Tuning]) -> str:
    names = list(rows[0].scores)
    lines = ["\n## need → volunteers (team's FR/EN set)\n"]
    lines.append("| method | subset | n | " + " | ".join(names) + " |")
    lines.append("|---|---|---|" + "---|" * len(names))
    for r in rows:
        cells = " | ".join(str(r.scores[n]) for n in names)
        lines.append(f"| {r.method} | {r.subset} | {r.queries} | {cells} |")
    lines.append("\n## cross-lingual parity: every need asked in French and in English (nDCG@10)\n")
    lines.append("| method | original | translated | asked in FR | asked in EN | top-10 overlap |")
    lines.append("|---|---|---|---|---|---|")
    for p in parity:
        lines.append(
            f"| {p.method} | {p.ndcg_original} | {p.ndcg_translated} | {p.ndcg_fr} | "
            f"{p.ndcg_en} | {p.top10_overlap} |"
        )
    lines.append(
        f"\n## ranking weights (semantic ≥ {MIN_SEMANTIC}; nDCG@10 of every need asked in "
        "both languages)\n"
    )
    lines.append(
        "| situation | best on the whole set | nDCG@10 | product weights | nDCG@10 | "
        "chosen on the other folds, held-out nDCG@10 |"
    )
    lines.append("|---|---|---|---|---|---|")
    for t in tuning:
        lines.append(
            f"| {t.situation} | {_weights(t.best)} | {t.best_ndcg:.3f} | {_weights(t.product)} | "
            f"{t.product_ndcg:.3f} | {t.cross_validated} ({t.folds} folds) |"
        )
    return "\n".join(lines)
