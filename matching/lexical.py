"""Lexical rankers over a fixed set of documents: TF-IDF (the shared words of production
scoring, `matching.scoring`) and BM25 (ESCO labels); both are also the baselines the engine is
measured against (`matching.evaluation`)."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


class TfidfRanker:
    """Cosine over character n-gram TF-IDF (robust to inflection), fitted on the documents."""

    def __init__(self, documents: Sequence[str]) -> None:
        # Imported here: scikit-learn takes a second to import, which every start of the
        # server and of the command line would otherwise pay.
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize

        self._normalize = normalize
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.matrix = normalize(self.vectorizer.fit_transform(documents))

    def scores(self, query: str) -> NDArray[np.float64]:
        vector = self._normalize(self.vectorizer.transform([query]))
        return np.asarray((self.matrix @ vector.T).toarray()).ravel()


class Bm25Ranker:
    """Okapi BM25 over words (bm25s), every document scored."""

    def __init__(self, documents: Sequence[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.size = len(documents)
        self.index = bm25s.BM25()
        self.index.index(bm25s.tokenize(list(documents), show_progress=False), show_progress=False)

    def scores(self, query: str) -> NDArray[np.float64]:
        tokens = self._bm25s.tokenize([query], return_ids=False, show_progress=False)[0]
        known = [t for t in tokens if t in self.index.vocab_dict]
        if not known:  # nothing the documents contain (bm25s fails on an empty query)
            return np.zeros(self.size)
        scores: NDArray[np.float64] = np.asarray(self.index.get_scores(known), dtype=np.float64)
        return scores
