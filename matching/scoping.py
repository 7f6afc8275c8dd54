"""Scoping a need told in plain words: which common needs the text asks for, so that "our site
is old, and we would like a newsletter" becomes two needs, each with what similar needs take (a
deliverable, hours, a work mode, competences at the levels a small association needs), and so
that "we need help with digital stuff" asks for more detail instead of inventing a need.

A linear classifier (logistic regression over the embedding model's vectors) learns the common
needs from the catalogue's own words, the sentences of the team's example needs (`data/demo/`)
and the clauses of the training part of the team's scoping texts (`data/scoping/eval.json`, never
its sealed test part). The text is read as one run of clauses or cut into two or three runs,
each run classified as a whole: a short or dependent clause ("et personne ne sait le mettre à
jour") is read with its neighbour instead of on its own. A cut is kept only if the runs it makes
are each clearly of one kind (`SPLIT_GAIN`); a text whose clauses lean towards no common need
(`VAGUE_BELOW`) is too vague. Every setting is chosen by `python -m bench.scoping` on folds of the
scoping texts' training part (each fold read by a classifier that did not learn from it), beside
today's baseline (`parts_by_margin`); figures in docs/matching-quality.md.
"""

import itertools
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from matching.embedders import Embedder, Vectors
from matching.reading import clause_spans

MARGIN = 0.01  # the baseline's: chosen on the example needs before the scoping texts existed
C = 3.0  # the classifier's inverse regularisation: chosen on folds of the scoping texts' train
SPLIT_GAIN = 1.0  # each run beyond the first must earn it: log p(its kind) + gain, same choice
VAGUE_BELOW = 0.25  # no clause nor the whole text this likely of one kind: ask for detail
MAX_PARTS = 3  # a coordinator's text asks for one or two things, rarely three
LANGUAGES = ("fr", "en")
_SENTENCES = re.compile(r"(?<=[.!?;:])\s+")
_STAND_IN = {"fr": "l'association", "en": "the association"}
TOLD = "scoping-train-"  # the source of a training scoping text's clauses: TOLD + its index


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
    sentences: tuple[tuple[str, str], ...] = field(default=())  # the same, sentence by sentence
    usual: tuple[str, ...] = field(default=())  # e-CF codes the example needs of this kind take
    titles: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = field(default=())  # cue, title


@dataclass(frozen=True)
class Part:
    """What one part of a text asks for: a common need (None: none of them), in its words."""

    need: CommonNeed | None
    text: str


@dataclass(frozen=True)
class Reading:
    """A text cut into clauses, and for each run of clauses (i, j) its kinds' probabilities."""

    text: str
    spans: list[tuple[int, int]]
    probabilities: dict[tuple[int, int], Vectors]

    def run(self, i: int, j: int) -> str:
        """The words of clauses i to j - 1, with what joins them."""
        return self.text[self.spans[i][0] : self.spans[j - 1][1]]


def load_common_needs(data_dir: Path) -> list[CommonNeed]:
    """The catalogue (data/scoping/templates.json) with, as examples, its own words and the
    example needs of each kind (data/demo/need_templates.json), and, as sentences to learn
    from, the clauses of the scoping texts' training part (data/scoping/eval.json)."""
    catalogue = json.loads((data_dir / "scoping" / "templates.json").read_text("utf-8"))
    demo = json.loads((data_dir / "demo" / "need_templates.json").read_text("utf-8"))
    scoping = json.loads((data_dir / "scoping" / "eval.json").read_text("utf-8"))
    told = told_clauses(scoping["train"])  # never its sealed test part
    return [
        _common_need(
            entry,
            [n for n in demo if n["category"] == entry["key"]],
            [(source, text) for source, key, text in told if key == entry["key"]],
        )
        for entry in catalogue["templates"]
    ]


def told_clauses(rows: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(source, kind, words) from training scoping texts: a text of one kind, whole and clause
    by clause; a text of several, its first clause of the first kind and its last of the last
    (a middle clause could be either); a vague text, nothing."""
    found: list[tuple[str, str, str]] = []
    for i, row in enumerate(rows):
        keys, text = row["needs"], row["text"]
        pieces = [text[a:b] for a, b in clause_spans(text)]
        if len(keys) == 1:
            labelled = [(keys[0], text), *((keys[0], p) for p in pieces if len(pieces) > 1)]
        elif keys and len(pieces) > 1:
            labelled = [(keys[0], pieces[0]), (keys[-1], pieces[-1])]
        else:
            labelled = []
        found += [(f"{TOLD}{i}", key, words) for key, words in labelled]
    return found


def _common_need(
    entry: dict[str, Any], demo: list[dict[str, Any]], train: list[tuple[str, str]]
) -> CommonNeed:
    examples, sentences = [], []
    for lang in LANGUAGES:
        own = [entry[f"{name}_{lang}"] for name in ("title", "question", "deliverable")]
        examples.append((entry["key"], " ".join([f"{own[0]}.", *own[1:]])))
        sentences += [(entry["key"], text) for text in own]
    for need in demo:
        for lang in LANGUAGES:
            text = need[f"description_{lang}"].replace("{association}", "")
            examples.append((need["key"], f"{need[f'title_{lang}']}. {text}"))
            told = need[f"description_{lang}"].replace("{association}", _STAND_IN[lang])
            sentences += [
                (need["key"], s) for s in [need[f"title_{lang}"], *_SENTENCES.split(told)]
            ]
    sentences += train  # the scoping texts' training clauses
    usual = {r["code"] for need in demo for r in need["requirements"] if r["framework"] == "ecf"}
    return CommonNeed(
        key=entry["key"],
        title={lang: entry[f"title_{lang}"] for lang in LANGUAGES},
        question={lang: entry[f"question_{lang}"] for lang in LANGUAGES},
        deliverable={lang: entry[f"deliverable_{lang}"] for lang in LANGUAGES},
        hours_estimate=int(entry["hours_estimate"]),
        work_mode=entry["work_mode"],
        competences=tuple(
            (c["framework"], c["code"], c.get("level")) for c in entry["competences"]
        ),
        examples=tuple(examples),
        sentences=tuple(sentences),
        usual=tuple(sorted(usual)),
        titles=tuple(
            (
                re.compile(f"{t['cue_fr']}|{t['cue_en']}", re.IGNORECASE),
                {lang: t[f"title_{lang}"] for lang in LANGUAGES},
            )
            for t in entry.get("titles", [])
        ),
    )


def specific_title(need: CommonNeed, text: str, language: str) -> str:
    """A short title that says what this text asks of the common need ("Lancer une
    newsletter"), from the first of its titles whose cue the text shows; else its name."""
    return next((t[language] for cue, t in need.titles if cue.search(text)), need.title[language])


class Scoper:
    """Reads which common needs a text asks for (the examples are encoded once, on first use)."""

    def __init__(
        self,
        embedder: Embedder,
        common: list[CommonNeed],
        *,
        margin: float = MARGIN,
        c: float = C,
        split_gain: float = SPLIT_GAIN,
        vague_below: float = VAGUE_BELOW,
    ) -> None:
        self.embedder, self.common, self.margin = embedder, common, margin
        self.c, self.split_gain, self.vague_below = c, split_gain, vague_below
        self._fitted: dict[tuple[float, frozenset[str]], Any] = {}

    @cached_property
    def _examples(self) -> tuple[Vectors, np.ndarray, list[str]]:
        owner = np.array([i for i, need in enumerate(self.common) for _ in need.examples])
        sources = [source for need in self.common for source, _ in need.examples]
        texts = [text for need in self.common for _, text in need.examples]
        return self.embedder.encode_documents(texts), owner, sources

    @cached_property
    def _sentences(self) -> tuple[Vectors, np.ndarray, np.ndarray]:
        kinds = np.array([i for i, need in enumerate(self.common) for _ in need.sentences])
        sources = np.array([source for need in self.common for source, _ in need.sentences])
        texts = [text for need in self.common for _, text in need.sentences]
        return self.embedder.encode_queries(texts), kinds, sources  # read as the texts are

    def closeness(self, texts: list[str], leave_out: frozenset[str] = frozenset()) -> Vectors:
        """Each text's closeness to each common need: its best example's cosine (examples of
        the sources `leave_out` set aside: an evaluation's own texts)."""
        vectors, owner, sources = self._examples
        sims = self.embedder.encode_queries(texts) @ vectors.T
        if leave_out:
            sims[:, [s in leave_out for s in sources]] = -1.0
        best: Vectors = np.full((len(texts), len(self.common)), -1.0, dtype=np.float32)
        for i in range(len(self.common)):
            best[:, i] = sims[:, owner == i].max(axis=1)
        return best

    def parts_by_margin(self, text: str, leave_out: frozenset[str] = frozenset()) -> list[Part]:
        """The baseline (the assistant before the scoping texts): each clause goes to its
        closest common need if it leans towards it by the margin, else with the clause before;
        never vague."""
        pieces = [text[a:b] for a, b in clause_spans(text)] or [text.strip()]
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

    def parts(self, text: str, leave_out: frozenset[str] = frozenset()) -> list[Part]:
        """The common needs the text asks for, in the order it asks, each with its words; none
        for an empty text or one too vague for any common need.

        Args:
            text: what the association typed.
            leave_out: sources of examples to set aside (an evaluation's own texts).
        """
        return self.decide(self.read([text], leave_out)[0])

    def read(self, texts: list[str], leave_out: frozenset[str] = frozenset()) -> list[Reading]:
        """Each text's clauses and the kinds' probabilities of every run of them (one pass of
        the model for all the runs of all the texts)."""
        spans = []
        for text in texts:
            whole = (len(text) - len(text.lstrip()), len(text.rstrip()))
            spans.append(clause_spans(text) or ([whole] if text.strip() else []))
        runs = [[(i, j) for i in range(len(s)) for j in range(i + 1, len(s) + 1)] for s in spans]
        words = [
            text[s[i][0] : s[j - 1][1]]
            for text, s, r in zip(texts, spans, runs, strict=True)
            for i, j in r
        ]
        found = (
            self._classifier(leave_out).predict_proba(self.embedder.encode_queries(words))
            if words
            else []
        )
        readings, start = [], 0
        for text, s, r in zip(texts, spans, runs, strict=True):
            readings.append(
                Reading(text, s, dict(zip(r, found[start : start + len(r)], strict=True)))
            )
            start += len(r)
        return readings

    def _classifier(self, leave_out: frozenset[str]) -> Any:
        key = (self.c, leave_out)
        if key not in self._fitted:
            from sklearn.linear_model import LogisticRegression  # lazily: a heavy import

            vectors, kinds, sources = self._sentences
            kept = ~np.isin(sources, list(leave_out)) if leave_out else np.ones(len(kinds), bool)
            model = LogisticRegression(
                C=self.c, solver="newton-cg", max_iter=500
            )  # 10 x faster here
            self._fitted[key] = model.fit(vectors[kept], kinds[kept])
        return self._fitted[key]

    def decide(self, reading: Reading) -> list[Part]:
        """The parts a reading makes: none if it is too vague, else the cut of its clauses into
        runs (at most `MAX_PARTS`, neighbours of different kinds) that scores best, each run
        scoring log p(its kind) and each run beyond the first `split_gain` more."""
        n = len(reading.spans)
        if not n or self.confidence(reading) < self.vague_below:
            return []
        best: tuple[float, list[tuple[int, int, int]]] = (-np.inf, [])
        for cuts in _cuts(n):
            runs = [
                (a, b, int(reading.probabilities[(a, b)].argmax()))
                for a, b in itertools.pairwise(cuts)
            ]
            if any(x[2] == y[2] for x, y in itertools.pairwise(runs)):
                continue  # two neighbours of one kind are one run
            score = sum(
                float(np.log(reading.probabilities[(a, b)][k])) + self.split_gain
                for a, b, k in runs
            )
            if score > best[0]:
                best = (score, runs)
        grouped: dict[int, list[str]] = {}
        for a, b, kind in best[1]:
            grouped.setdefault(kind, []).append(tidy(reading.run(a, b)))
        return [Part(self.common[k], " ".join(texts)) for k, texts in grouped.items()]

    @staticmethod
    def confidence(reading: Reading) -> float:
        """How clearly the text asks for some common need: the best probability of one kind,
        for the whole text or one of its clauses."""
        n = len(reading.spans)
        runs = [(0, n), *((i, i + 1) for i in range(n))]
        return max(float(reading.probabilities[r].max()) for r in runs) if n else 0.0


def _cuts(n: int) -> list[tuple[int, ...]]:
    """Every way to cut n clauses into at most `MAX_PARTS` runs, as boundaries 0 … n."""
    return [
        (0, *inner, n)
        for size in range(min(MAX_PARTS, n))
        for inner in itertools.combinations(range(1, n), size)
    ]


_SPACES = re.compile(r"\s+")


def tidy(text: str) -> str:
    """A clause as a sentence: spaces made single, a capital first, a full stop last."""
    text = _SPACES.sub(" ", text).strip(" ,;:")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."
