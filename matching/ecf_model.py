"""The learned e-CF reader: which competences a text is about, and at which level.

Trained on the team's labelled bank (`data/training/ecf/`, texts written for training only,
apart from the evaluation set) over the frozen sentence embeddings of the texts:
- competences: one logistic regression per competence (one-vs-rest, class weights balanced), so
  that a text can be about several and each gets its own probability; a second set over the
  text's character n-grams (TF-IDF) reads the words themselves, which the frozen vectors blur
  (product names, "adhérents", "newsletter"), and the two probabilities are averaged by weight;
- levels: a ridge regression of the level on the text's vector, its seniority and scope cues and
  the competence, rounded into the competence's allowed range.
Training takes under a minute at `probono model build`; the fitted model is cached beside the
model, and its version (a digest of the bank, the embedder and the settings:
`CompetenceSuggester.version`) is stored with every inference.
"""

import hashlib
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from matching.embedders import Vectors
from matching.errors import MatchingError, ReferenceDataError
from matching.frameworks import FrameworkSpec
from matching.reading import cues

# Inverse regularisation of the competence classifiers, chosen by cross-validation on the bank
# (`probono eval` prints the folds): lower values under-fit the 41 classes, higher ones learn
# the bank's wording.
C = 4.0
LEVEL_ALPHA = 3.0  # ridge penalty of the level model, chosen the same way
# The character n-gram classifiers' share of the probabilities and their C, chosen the same way
# (0.4 of the blend: +0.045 P@1 on the bank's folds over the vectors alone).
LEXICAL_WEIGHT = 0.4
LEXICAL_C = 10.0
_FORMAT = 2  # bump when the pickled shape changes
SETTINGS = f"C={C},alpha={LEVEL_ALPHA},lexical={LEXICAL_WEIGHT}@{LEXICAL_C}"


@dataclass(frozen=True)
class Labelled:
    """One text of the training bank with the competences and levels the team read in it."""

    id: str
    lang: str
    kind: str  # "need" or "profile"
    text: str
    labels: tuple[tuple[str, int], ...]  # (e-CF code, level), the main one first


def load_bank(data_dir: Path, ecf: FrameworkSpec) -> list[Labelled]:
    """Every text of data/training/ecf/*.jsonl, checked against the framework.

    Raises:
        ReferenceDataError: a line that is not a labelled text, an unknown code or a level out of
            the competence's range (the file and line are named).
    """
    known = {c.code: c for c in ecf.competences}
    bank = []
    for path in sorted((data_dir / "training" / "ecf").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                item = json.loads(line)
                labels = tuple((str(x["code"]), int(x["level"])) for x in item["labels"])
                text = Labelled(item["id"], item["lang"], item["kind"], item["text"], labels)
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ReferenceDataError(f"{where}: not a labelled text ({exc})") from exc
            for code, level in labels:
                if code not in known:
                    raise ReferenceDataError(f"{where}: unknown e-CF code {code}")
                competence = known[code]
                if not (competence.level_min or 0) <= level <= (competence.level_max or 0):
                    raise ReferenceDataError(f"{where}: {code} has no level e-{level}")
            bank.append(text)
    if not bank:
        raise ReferenceDataError(f"no training texts in {data_dir / 'training' / 'ecf'}")
    return bank


def framework_texts(ecf: FrameworkSpec) -> list[Labelled]:
    """The framework's own words as labelled texts: each competence's description and each of its
    level descriptors, in English and French. They seed every competence, even one the bank
    would be short of, and tie the level model to the levels' own definitions."""
    found = []
    for competence in ecf.competences:
        low = competence.level_min or 1
        for lang, title, description in (
            ("en", competence.title_en, competence.description_en),
            ("fr", competence.title_fr, competence.description_fr),
        ):
            if description:
                found.append(
                    Labelled(
                        f"{competence.code}-{lang}-framework",
                        lang,
                        "profile",
                        f"{title}. {description}",
                        ((competence.code, low),),
                    )
                )
        for descriptor in competence.levels:
            for lang, text in (("en", descriptor.en), ("fr", descriptor.fr)):
                if text:
                    found.append(
                        Labelled(
                            f"{competence.code}-{lang}-e{descriptor.level}",
                            lang,
                            "profile",
                            text,
                            ((competence.code, descriptor.level),),
                        )
                    )
    return found


def _level_features(
    vectors: Vectors, texts: Sequence[str], competence: NDArray[np.int64], size: int
) -> NDArray[np.float64]:
    onehot = np.zeros((len(texts), size))
    onehot[np.arange(len(texts)), competence] = 1.0
    read = {text: cues(text) for text in set(texts)}  # a text's rows repeat it per competence
    found = np.asarray([read[t] for t in texts], dtype=np.float64)
    return np.hstack([vectors.astype(np.float64), found, onehot])


class EcfModel:
    """Competence probabilities and levels for texts already encoded as queries."""

    def __init__(
        self,
        ecf: FrameworkSpec,
        *,
        c: float = C,
        level_alpha: float = LEVEL_ALPHA,
        lexical_weight: float = LEXICAL_WEIGHT,
    ):
        self.codes = [competence.code for competence in ecf.competences]
        self.low = np.asarray([c_.level_min or 1 for c_ in ecf.competences])
        self.high = np.asarray([c_.level_max or 1 for c_ in ecf.competences])
        self.c = c
        self.level_alpha = level_alpha
        self.lexical_weight = lexical_weight

    def fit(self, bank: Sequence[Labelled], vectors: Vectors) -> Self:
        # Imported here: scikit-learn takes a second to import, which every start would pay.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression, Ridge
        from sklearn.multiclass import OneVsRestClassifier

        index = {code: i for i, code in enumerate(self.codes)}
        targets = np.zeros((len(bank), len(self.codes)), dtype=np.int64)
        rows, owners, levels = [], [], []
        for row, item in enumerate(bank):
            for code, level in item.labels:
                targets[row, index[code]] = 1
                rows.append(row)
                owners.append(index[code])
                levels.append(level)
        missing = [code for i, code in enumerate(self.codes) if not targets[:, i].any()]
        if missing:
            raise MatchingError(f"the training bank has no text for {', '.join(missing)}")
        self.classifier_ = OneVsRestClassifier(
            LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)
        ).fit(vectors, targets)
        if self.lexical_weight:
            # char_wb keeps n-grams inside words: French and English inflections share them.
            self.vectorizer_ = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2
            )
            grams = self.vectorizer_.fit_transform([item.text for item in bank])
            self.lexical_ = OneVsRestClassifier(
                LogisticRegression(C=LEXICAL_C, class_weight="balanced", solver="liblinear")
            ).fit(grams, targets)
        texts = [bank[r].text for r in rows]
        features = _level_features(
            vectors[rows], texts, np.asarray(owners, dtype=np.int64), len(self.codes)
        )
        self.levels_ = Ridge(alpha=self.level_alpha).fit(features, np.asarray(levels, float))
        return self

    def probabilities(self, vectors: Vectors, texts: Sequence[str]) -> NDArray[np.float64]:
        """(texts, competences) probabilities that each text is about each competence, from the
        texts' vectors (as queries) and their words."""
        found: NDArray[np.float64] = self.classifier_.predict_proba(vectors)
        if self.lexical_weight:
            grams = self.vectorizer_.transform(texts)
            lexical: NDArray[np.float64] = self.lexical_.predict_proba(grams)
            found = (1 - self.lexical_weight) * found + self.lexical_weight * lexical
        return found

    def levels(self, vectors: Vectors, texts: Sequence[str]) -> NDArray[np.int64]:
        """(texts, competences) levels, each inside its competence's range."""
        size = len(self.codes)
        rows = np.repeat(np.arange(len(texts)), size)
        owners = np.tile(np.arange(size), len(texts))
        features = _level_features(vectors[rows], [texts[int(r)] for r in rows], owners, size)
        raw = self.levels_.predict(features).reshape(len(texts), size)
        rounded: NDArray[np.int64] = np.clip(np.rint(raw), self.low, self.high).astype(np.int64)
        return rounded


def bank_digest(bank: Sequence[Labelled]) -> str:
    payload = json.dumps([[b.id, b.text, b.labels] for b in bank], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:12]


def cached(
    ecf: FrameworkSpec,
    bank: Sequence[Labelled],
    vectors: Vectors,
    *,
    version: str,
    cache_dir: Path | None,
) -> EcfModel:
    """The model fitted on the bank's vectors, from the cache when this version was fitted
    before (a start-up then costs a file read instead of a training)."""
    # The pickle is only read back by the scikit-learn that wrote it.
    sklearn = metadata.version("scikit-learn")
    path = None if cache_dir is None else cache_dir / f"{version}-f{_FORMAT}-{sklearn}.pickle"
    if path is not None and path.exists():
        # Our own file, written below by this code: not outside input.
        loaded: Any = pickle.loads(path.read_bytes())
        if isinstance(loaded, EcfModel):
            return loaded
    model = EcfModel(ecf).fit(bank, vectors)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(model))
        partial.replace(path)
    return model
