"""`probono eval`: the engine's quality on the team's labelled sets, beside baselines run on the
same data in the same run. Figures and how to reproduce them: docs/matching-quality.md."""

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching import metrics
from matching.baselines import Bm25Ranker, TfidfRanker
from matching.competences import CompetenceSuggester
from matching.embedders import Vectors
from matching.frameworks import FrameworkSpec

Ranking = Callable[[str], list[str]]  # text → codes, best first


@dataclass(frozen=True)
class Item:
    text: str
    lang: str
    relevant: frozenset[str]
    levels: dict[str, int]


@dataclass(frozen=True)
class Row:
    task: str
    method: str
    subset: str
    queries: int
    scores: dict[str, metrics.Estimate]


def competence_items(data_dir: Path) -> list[Item]:
    """Needs and profiles of the matching set with the e-CF codes the team read in them."""
    data = json.loads((data_dir / "eval" / "matching_fr_en.json").read_text(encoding="utf-8"))
    items = [
        Item(
            f"{n['title']}. {n['text']}",
            n["lang"],
            frozenset(r["code"] for r in n["requirements"]),
            {r["code"]: r["level"] for r in n["requirements"]},
        )
        for n in data["needs"]
    ]
    items += [
        Item(
            f"{p['headline']}. {p['text']}",
            p["lang"],
            frozenset(c["code"] for c in p["claims"]),
            {c["code"]: c["level"] for c in p["claims"]},
        )
        for p in data["profiles"]
        if p["claims"]
    ]
    return items


def esco_items(data_dir: Path) -> tuple[list[Item], list[Item]]:
    """Hand-tagged FR/EN sentences, and ESCO descriptions with their labels masked (known item)."""
    folder = data_dir / "eval" / "esco"
    sentences = [
        Item(s["text"], s["lang"], frozenset(s["skills"]), {})
        for s in json.loads((folder / "sentences_fr_en.json").read_text(encoding="utf-8"))
    ]
    descriptions = [
        Item(d["text"], "en", frozenset([d["uri"].rsplit("/", 1)[1]]), {})
        for d in map(
            json.loads, (folder / "descriptions_en.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]
    return sentences, descriptions


def _row(
    task: str, method: str, subset: str, items: Sequence[Item], rank: Ranking, k: int, samples: int
) -> Row:
    per_query: dict[str, list[float]] = {"P@1": [], f"R@{k}": [], "MRR": [], "nDCG@10": []}
    for item in items:
        ranked = rank(item.text)
        relevant = set(item.relevant)
        per_query["P@1"].append(metrics.precision_at(1, ranked, relevant))
        per_query[f"R@{k}"].append(metrics.recall_at(k, ranked, relevant))
        per_query["MRR"].append(metrics.reciprocal_rank(ranked, relevant))
        per_query["nDCG@10"].append(metrics.ndcg_at(10, ranked, dict.fromkeys(relevant, 1.0)))
    scores = {
        name: metrics.bootstrap(values, samples=samples) for name, values in per_query.items()
    }
    return Row(task, method, subset, len(items), scores)


def _lexical(documents: dict[str, str], ranker: type[TfidfRanker] | type[Bm25Ranker]) -> Ranking:
    codes = list(documents)
    fitted = ranker(list(documents.values()))
    return lambda text: [codes[i] for i in np.argsort(-fitted.scores(text), kind="stable")]


def _ecf_documents(ecf: FrameworkSpec) -> dict[str, str]:
    return {
        c.code: " ".join(
            [c.title_en, c.title_fr or "", c.description_en or "", c.description_fr or ""]
            + [f"{d.en} {d.fr}" for d in c.levels]
        )
        for c in ecf.competences
    }


def _encoder(suggester: CompetenceSuggester, items: Sequence[Item]) -> Callable[[str], Vectors]:
    """Each text encoded once, in one batch: every method and subset reuses the vectors."""
    texts = list(dict.fromkeys(item.text for item in items))
    vectors = dict(zip(texts, suggester.embedder.encode_queries(texts), strict=True))
    return lambda text: vectors[text][None, :]


def evaluate_competences(
    suggester: CompetenceSuggester, items: Sequence[Item], *, samples: int
) -> list[Row]:
    vector = _encoder(suggester, items)
    everything = len(suggester.ecf.competences)

    def engine(weight: float) -> Ranking:
        def rank(text: str) -> list[str]:
            suggester.descriptor_weight = weight
            found = suggester.suggest([text], top_k=everything, vectors=vector(text))[0]
            return [s.code for s in found.ecf]

        return rank

    default = suggester.descriptor_weight
    methods: dict[str, Ranking] = {
        "baseline: TF-IDF on our descriptors": _lexical(_ecf_documents(suggester.ecf), TfidfRanker),
        "baseline: BM25 on our descriptors": _lexical(_ecf_documents(suggester.ecf), Bm25Ranker),
        "embedding, descriptors only": engine(1.0),
        "embedding, exemplars only": engine(0.0),
        f"engine (descriptors {default:.1f} + exemplars)": engine(default),
    }
    rows = []
    try:
        for method, rank in methods.items():
            rows.append(_row("e-CF competence", method, "all", items, rank, 3, samples))
            for lang in ("fr", "en"):
                subset = [i for i in items if i.lang == lang]
                rows.append(_row("e-CF competence", method, lang, subset, rank, 3, samples))
    finally:
        suggester.descriptor_weight = default
    return rows


def level_accuracy(
    suggester: CompetenceSuggester, items: Sequence[Item]
) -> tuple[int, float, float]:
    """Over gold competences found in the top 10: exact level share and within-one share."""
    exact = near = total = 0
    for item, found in zip(
        items, suggester.suggest([i.text for i in items], top_k=10), strict=True
    ):
        for suggestion in found.ecf:
            gold = item.levels.get(suggestion.code)
            if gold is None or suggestion.level is None:
                continue
            total += 1
            exact += suggestion.level == gold
            near += abs(suggestion.level - gold) <= 1
    return total, exact / max(total, 1), near / max(total, 1)


def evaluate_esco(
    suggester: CompetenceSuggester, sets: dict[str, list[Item]], *, samples: int
) -> list[Row]:
    vector = _encoder(suggester, [item for items in sets.values() for item in items])
    skills = suggester.esco.competences
    labels = {s.code: s.title_en for s in skills}
    with_synonyms = {s.code: " ; ".join([s.title_en, *s.alt_labels]) for s in skills}
    methods: dict[str, Ranking] = {
        "baseline: TF-IDF on labels": _lexical(labels, TfidfRanker),
        "baseline: BM25 on labels and synonyms": _lexical(with_synonyms, Bm25Ranker),
        "engine (embedding on labels)": lambda text: [
            s.code for s in suggester.suggest([text], top_k=10, vectors=vector(text))[0].esco
        ],
    }
    rows = []
    for name, items in sets.items():
        for method, rank in methods.items():
            for lang in sorted({i.lang for i in items}):
                subset = [i for i in items if i.lang == lang]
                rows.append(_row(f"text → ESCO ({name})", method, lang, subset, rank, 10, samples))
    return rows


def format_rows(rows: Sequence[Row]) -> str:
    lines = []
    for task in dict.fromkeys(r.task for r in rows):
        task_rows = [r for r in rows if r.task == task]
        names = list(task_rows[0].scores)
        lines.append(f"\n## {task}\n")
        lines.append("| method | subset | n | " + " | ".join(names) + " |")
        lines.append("|---|---|---|" + "---|" * len(names))
        for r in task_rows:
            cells = " | ".join(str(r.scores[n]) for n in names)
            lines.append(f"| {r.method} | {r.subset} | {r.queries} | {cells} |")
    return "\n".join(lines)
