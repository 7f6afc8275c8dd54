"""`probono eval`: the engine's quality on the team's labelled sets, beside baselines run on the
same data in the same run. Figures and how to reproduce them: docs/matching-quality.md.

Every set has a sealed test part that no weight, threshold or model choice sees: for e-CF, the
texts of the matching set marked `"split": "test"`; for ESCO, `sentences_test_fr_en.json`.
The rest (the training split, `sentences_fr_en.json`) is where settings were chosen, and the
learned reader is trained on its own bank (`data/training/`), apart from both.
"""

import json
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from matching import metrics
from matching.competences import CompetenceSuggester, Role, Suggestions
from matching.ecf_model import LEXICAL_WEIGHT, EcfModel
from matching.embedders import Vectors
from matching.frameworks import FrameworkSpec
from matching.lexical import Bm25Ranker, TfidfRanker

Ranking = Callable[["Item"], list[str]]  # a text → codes, best first

TEST = "test"


@dataclass(frozen=True)
class Item:
    text: str
    lang: str
    relevant: frozenset[str]
    levels: dict[str, int]
    role: Role | None = None
    split: str = "train"


@dataclass(frozen=True)
class Row:
    task: str
    method: str
    subset: str
    queries: int
    scores: dict[str, metrics.Estimate]


def competence_items(data_dir: Path, *, split: str | None = TEST) -> list[Item]:
    """Needs and profiles of the matching set with the e-CF codes the team read in them (one
    split, or all with None)."""
    data = json.loads((data_dir / "eval" / "matching_fr_en.json").read_text(encoding="utf-8"))
    items = [
        Item(
            f"{n['title']}. {n['text']}",
            n["lang"],
            frozenset(r["code"] for r in n["requirements"]),
            {r["code"]: r["level"] for r in n["requirements"]},
            "need",
            n.get("split", "train"),
        )
        for n in data["needs"]
    ]
    items += [
        Item(
            f"{p['headline']}. {p['text']}",
            p["lang"],
            frozenset(c["code"] for c in p["claims"]),
            {c["code"]: c["level"] for c in p["claims"]},
            "profile",
            p.get("split", "train"),
        )
        for p in data["profiles"]
        if p["claims"]
    ]
    return [item for item in items if split is None or item.split == split]


def esco_items(data_dir: Path) -> dict[str, list[Item]]:
    """Hand-tagged FR/EN sentences (the training split, and the sealed test split written as
    translation pairs), and ESCO descriptions with their labels masked (known item)."""
    folder = data_dir / "eval" / "esco"

    def sentences(name: str, split: str) -> list[Item]:
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        rows = data["sentences"] if isinstance(data, dict) else data
        return [Item(s["text"], s["lang"], frozenset(s["skills"]), {}, split=split) for s in rows]

    descriptions = [
        Item(d["text"], "en", frozenset([d["uri"].rsplit("/", 1)[1]]), {})
        for d in map(
            json.loads, (folder / "descriptions_en.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]
    found = {"hand-tagged sentences, training split": sentences("sentences_fr_en.json", "train")}
    test = folder / "sentences_test_fr_en.json"
    if test.exists():
        found["hand-tagged sentences, TEST split"] = sentences(test.name, TEST)
    found["masked ESCO descriptions"] = descriptions
    return found


def _row(
    task: str, method: str, subset: str, items: Sequence[Item], rank: Ranking, k: int, samples: int
) -> Row:
    per_query: dict[str, list[float]] = {"P@1": [], f"R@{k}": [], "MRR": [], "nDCG@10": []}
    for item in items:
        ranked = rank(item)
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
    return lambda item: [codes[i] for i in np.argsort(-fitted.scores(item.text), kind="stable")]


def _ecf_documents(ecf: FrameworkSpec) -> dict[str, str]:
    return {
        c.code: " ".join(
            [c.title_en, c.title_fr or "", c.description_en or "", c.description_fr or ""]
            + [f"{d.en} {d.fr}" for d in c.levels]
        )
        for c in ecf.competences
    }


class Reader:
    """The suggester over one set of texts: each text encoded once, each setting's suggestions
    computed once, so that every method and subset reuses them."""

    def __init__(self, suggester: CompetenceSuggester, items: Sequence[Item]) -> None:
        self.suggester = suggester
        texts = list(dict.fromkeys(item.text for item in items))
        self.vectors: dict[str, Vectors] = dict(
            zip(texts, suggester.embedder.encode_queries(texts), strict=True)
        )
        self._found: dict[tuple[str, Role | None, float, float, float, float], Suggestions] = {}

    def vector(self, text: str) -> Vectors:
        return self.vectors[text]

    def suggestions(
        self,
        item: Item,
        *,
        clauses: bool = True,
        lexical: bool = True,
        ngrams: bool = True,
        top_k: int = 41,
    ) -> Suggestions:
        s = self.suggester
        settings = (
            s.clause_weight if clauses else 0.0,
            s.esco_clause_weight if clauses else 0.0,
            s.esco_lexical_weight if lexical else 0.0,
            s.model_.lexical_weight if ngrams else 0.0,
        )
        key = (item.text, item.role, *settings)
        if key not in self._found:
            with _settings(s, *settings):
                self._found[key] = s.suggest(
                    [item.text],
                    top_k=top_k,
                    vectors=self.vector(item.text)[None, :],
                    role=item.role,
                )[0]
        return self._found[key]


@contextmanager
def _settings(
    suggester: CompetenceSuggester, clause: float, esco_clause: float, lexical: float, ngrams: float
) -> Iterator[None]:
    names = ("clause_weight", "esco_clause_weight", "esco_lexical_weight")
    saved = [getattr(suggester, name) for name in names]
    saved_ngrams = suggester.model_.lexical_weight
    for name, value in zip(names, (clause, esco_clause, lexical), strict=True):
        setattr(suggester, name, value)
    suggester.model_.lexical_weight = ngrams
    try:
        yield
    finally:
        for name, value in zip(names, saved, strict=True):
            setattr(suggester, name, value)
        suggester.model_.lexical_weight = saved_ngrams


def _descriptor_cosine(suggester: CompetenceSuggester, reader: Reader) -> Ranking:
    """Zero-shot: each competence's best cosine over its descriptors (title, description and
    level texts, English and French), the engine's method before it learned."""
    texts, owners = [], []
    for index, competence in enumerate(suggester.ecf.competences):
        for text in [
            f"{competence.title_en}. {competence.description_en or ''}",
            f"{competence.title_fr}. {competence.description_fr or ''}",
            *(f"{competence.title_en}: {d.en}" for d in competence.levels if d.en),
            *(f"{competence.title_en}: {d.fr}" for d in competence.levels if d.fr),
        ]:
            texts.append(text)
            owners.append(index)
    vectors = suggester.cached_vectors(suggester.ecf, "descriptors", texts)
    owner = np.asarray(owners)
    codes = [c.code for c in suggester.ecf.competences]

    def rank(item: Item) -> list[str]:
        best = np.full(len(codes), -1.0)
        np.maximum.at(best, owner, vectors @ reader.vector(item.text))
        return [codes[i] for i in np.argsort(-best, kind="stable")]

    return rank


def evaluate_competences(
    suggester: CompetenceSuggester, items: Sequence[Item], *, samples: int, task: str
) -> list[Row]:
    reader = Reader(suggester, items)

    def engine(*, clauses: bool, ngrams: bool = True) -> Ranking:
        return lambda item: [
            s.code for s in reader.suggestions(item, clauses=clauses, ngrams=ngrams).ecf
        ]

    methods: dict[str, Ranking] = {
        "baseline: TF-IDF on our descriptors": _lexical(_ecf_documents(suggester.ecf), TfidfRanker),
        "baseline: BM25 on our descriptors": _lexical(_ecf_documents(suggester.ecf), Bm25Ranker),
        "baseline: embedding cosine on our descriptors": _descriptor_cosine(suggester, reader),
        "engine, learned reader, vectors only (no character n-grams)": engine(
            clauses=True, ngrams=False
        ),
        "engine, learned reader, whole text only": engine(clauses=False),
        "engine (learned reader, whole text and clauses)": engine(clauses=True),
    }
    rows = []
    for method, rank in methods.items():
        rows.append(_row(task, method, "all", items, rank, 3, samples))
        for lang in ("fr", "en"):
            subset = [i for i in items if i.lang == lang]
            rows.append(_row(task, method, lang, subset, rank, 3, samples))
    return rows


@dataclass(frozen=True)
class Levels:
    subset: str
    gold: int  # gold competences
    exact: metrics.Estimate
    within_one: metrics.Estimate


def level_accuracy(
    suggester: CompetenceSuggester, items: Sequence[Item], *, samples: int
) -> list[Levels]:
    """For every gold competence, the level the engine reads for it (wherever it ranks it)."""
    reader = Reader(suggester, items)
    found: dict[str, tuple[list[float], list[float]]] = {}
    for item in items:
        levels = {s.code: s.level for s in reader.suggestions(item).ecf}
        for code, gold in item.levels.items():
            level = levels[code]
            assert level is not None
            for subset in ("all", item.lang, f"{item.role}s"):
                exact, near = found.setdefault(subset, ([], []))
                exact.append(float(level == gold))
                near.append(float(abs(level - gold) <= 1))
    return [
        Levels(
            subset,
            len(exact),
            metrics.bootstrap(exact, samples=samples),
            metrics.bootstrap(near, samples=samples),
        )
        for subset, (exact, near) in found.items()
    ]


def evaluate_esco(
    suggester: CompetenceSuggester, sets: dict[str, list[Item]], *, samples: int
) -> list[Row]:
    reader = Reader(suggester, [item for items in sets.values() for item in items])
    skills = suggester.esco.competences
    codes = [s.code for s in skills]
    labels = {s.code: s.title_en for s in skills}
    with_synonyms = {s.code: " ; ".join([s.title_en, *s.alt_labels]) for s in skills}
    preferred = suggester.preferred_label_vectors()

    def cosine(item: Item) -> list[str]:
        sims = preferred @ reader.vector(item.text)
        return [codes[i] for i in np.argsort(-sims, kind="stable")[:10]]

    def engine(*, clauses: bool = True, lexical: bool = True) -> Ranking:
        return lambda item: [
            s.code for s in reader.suggestions(item, clauses=clauses, lexical=lexical).esco[:10]
        ]

    methods: dict[str, Ranking] = {
        "baseline: TF-IDF on English labels": _lexical(labels, TfidfRanker),
        "baseline: BM25 on English labels and synonyms": _lexical(with_synonyms, Bm25Ranker),
        "baseline: plain cosine to English preferred labels": cosine,
        "engine, labels' vectors only (no clauses, no lexical)": engine(
            clauses=False, lexical=False
        ),
        "engine, without the lexical channel": engine(lexical=False),
        "engine (labels EN+FR, clauses, BM25 fused)": engine(),
    }
    rows = []
    for name, items in sets.items():
        for method, rank in methods.items():
            for lang in sorted({i.lang for i in items}):
                subset = [i for i in items if i.lang == lang]
                rows.append(_row(f"text → ESCO ({name})", method, lang, subset, rank, 10, samples))
    return rows


@dataclass(frozen=True)
class Fold:
    setting: str
    p_at_1: float
    r_at_3: float
    level_exact: float


def cross_validate_bank(
    suggester: CompetenceSuggester,
    *,
    folds: int = 5,
    settings: Sequence[tuple[float, float, float]] = (
        (4.0, 3.0, 0.0),
        (4.0, 3.0, 0.2),
        (4.0, 3.0, LEXICAL_WEIGHT),
        (4.0, 3.0, 0.5),
        (16.0, 3.0, LEXICAL_WEIGHT),
        (4.0, 30.0, LEXICAL_WEIGHT),
    ),
    seed: int = 0,
) -> list[Fold]:
    """The learned reader's k-fold cross-validation on its own training bank, for a few values
    of its settings (the vector classifiers' C, the level model's ridge alpha, the character
    n-gram classifiers' share): how its choice was made, without the evaluation sets."""
    bank = list(suggester.bank)
    vectors = suggester.bank_vectors_
    order = list(range(len(bank)))
    random.Random(seed).shuffle(order)
    results = []
    for c, alpha, lexical in settings:
        top1: list[float] = []
        top3: list[float] = []
        exact: list[float] = []
        for fold in range(folds):
            held = order[fold::folds]
            kept = sorted(set(order) - set(held))
            model = EcfModel(suggester.ecf, c=c, level_alpha=alpha, lexical_weight=lexical).fit(
                [bank[i] for i in kept], vectors[kept]
            )
            probabilities = model.probabilities(vectors[held], [bank[i].text for i in held])
            levels = model.levels(vectors[held], [bank[i].text for i in held])
            for row, i in enumerate(held):
                ranked = [model.codes[j] for j in np.argsort(-probabilities[row])]
                gold = {code for code, _ in bank[i].labels}
                top1.append(metrics.precision_at(1, ranked, gold))
                top3.append(metrics.recall_at(3, ranked, gold))
                for code, level in bank[i].labels:
                    exact.append(float(levels[row, model.codes.index(code)] == level))
        results.append(
            Fold(
                f"C={c:g}, level alpha={alpha:g}, character n-grams {lexical:g}",
                float(np.mean(top1)),
                float(np.mean(top3)),
                float(np.mean(exact)),
            )
        )
    return results


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


def format_levels(title: str, levels: Sequence[Levels]) -> str:
    lines = [f"\n## {title}\n", "| subset | gold competences | level exact | within one level |"]
    lines.append("|---|---|---|---|")
    lines += [f"| {x.subset} | {x.gold} | {x.exact} | {x.within_one} |" for x in levels]
    return "\n".join(lines)


def format_folds(folds: Sequence[Fold]) -> str:
    lines = [
        "\n## learned e-CF reader: 5-fold cross-validation on its training bank\n",
        "| setting | P@1 | R@3 | level exact |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {f.setting} | {f.p_at_1:.3f} | {f.r_at_3:.3f} | {f.level_exact:.3f} |" for f in folds
    ]
    return "\n".join(lines)
