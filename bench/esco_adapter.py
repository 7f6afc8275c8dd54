"""A quality experiment, tried and dropped (docs/matching-quality.md, "ESCO in English"): a small
adapter trained on ESCO's own label ↔ synonym pairs, as issue 15 suggested.

The adapter is a residual linear map on the query side, q → normalise(q + qA) (A is 384 by 384,
0.6 MB), trained so that an alternative label, encoded as a query, finds its own skill among the
13,412 (softmax over the skills' preferred labels, English and French, encoded as documents;
temperature 0.05; Adam; 3 epochs; 5,000 pairs held out). It is then put in front of the engine's
ESCO reading and scored on the hand-tagged sentences of the **training split** only, beside the
engine without it, in the same run. The sealed test split is not read.

Run: `python -m bench.esco_adapter [--alternatives 3] [--decays 0.0001,0.001,0.01]` (about ten
minutes on 2 cores: it encodes some 40,000 labels).
"""

import argparse
import time
from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import NDArray

from config import get_settings
from matching.competences import CompetenceSuggester
from matching.embedders import Vectors
from matching.evaluation import competences
from services.runtime import get_suggester

Adapter = NDArray[np.float32]
_TAU = 0.05
_HELD_OUT = 5000
_BATCH = 1024


def _pairs(suggester: CompetenceSuggester, per_language: int) -> tuple[Vectors, NDArray[np.int64]]:
    """Alternative labels encoded as queries, and the index of their skill."""
    texts, owners = [], []
    for index, skill in enumerate(suggester.esco.competences):
        for label in [*skill.alt_labels[:per_language], *skill.alt_labels_fr[:per_language]]:
            texts.append(label)
            owners.append(index)
    return suggester.embedder.encode_queries(texts, batch_size=256), np.asarray(owners)


def _prototypes(suggester: CompetenceSuggester) -> Vectors:
    skills = suggester.esco.competences
    english = suggester.embedder.encode_documents([s.title_en for s in skills], batch_size=256)
    french = suggester.embedder.encode_documents(
        [s.title_fr or s.title_en for s in skills], batch_size=256
    )
    both = english + french
    normalised: Vectors = both / np.linalg.norm(both, axis=1, keepdims=True)
    return normalised


def _apply(adapter: Adapter, vectors: Vectors) -> Vectors:
    if len(vectors) == 0:
        return vectors
    moved = vectors + vectors @ adapter
    out: Vectors = (moved / np.linalg.norm(moved, axis=-1, keepdims=True)).astype(np.float32)
    return out


def _train(
    queries: Vectors, owners: NDArray[np.int64], prototypes: Vectors, decay: float
) -> Adapter:
    torch.manual_seed(0)
    dimension = queries.shape[1]
    weights = torch.zeros(dimension, dimension, requires_grad=True)
    optimiser = torch.optim.Adam([weights], lr=1e-3)
    q, y, p = torch.tensor(queries), torch.tensor(owners), torch.tensor(prototypes)
    for _ in range(3):
        order = torch.randperm(len(q))
        for start in range(0, len(order), _BATCH):
            rows = order[start : start + _BATCH]
            moved = q[rows] + q[rows] @ weights
            moved = moved / moved.norm(dim=1, keepdim=True)
            loss = torch.nn.functional.cross_entropy(moved @ p.T / _TAU, y[rows])
            loss = loss + decay * (weights**2).sum()
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
    adapter: Adapter = weights.detach().numpy().astype(np.float32)
    return adapter


def _held_out(
    adapter: Adapter, queries: Vectors, owners: NDArray[np.int64], prototypes: Vectors
) -> str:
    top = np.argsort(-(_apply(adapter, queries) @ prototypes.T), axis=1)[:, :10]
    first = float((top[:, 0] == owners).mean())
    ten = float((top == owners[:, None]).any(axis=1).mean())
    return f"held-out synonyms: top-1 {first:.3f}, top-10 {ten:.3f}"


def _sentences(suggester: CompetenceSuggester, name: str, adapter: Adapter) -> None:
    items = competences.esco_items(get_settings().data_dir)["hand-tagged sentences, training split"]
    reading = suggester.esco_similarity

    def adapted(
        texts: Sequence[str], queries: Vectors, parts: Sequence[Vectors]
    ) -> NDArray[np.float64]:
        return reading(texts, _apply(adapter, queries), [_apply(adapter, p) for p in parts])

    # The engine's own reading, with the adapter in front, for this call only.
    vars(suggester)["esco_similarity"] = adapted
    try:
        rows = competences.evaluate_esco(suggester, {"training split": items}, samples=1000)
    finally:
        del vars(suggester)["esco_similarity"]
    for row in rows:
        if row.method.startswith("engine ("):
            r10, ndcg = row.scores["R@10"], row.scores["nDCG@10"]
            print(f"| {name} | {row.subset} | {r10} | {ndcg} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alternatives", type=int, default=3, help="per skill and language")
    parser.add_argument("--decays", default="0.0001,0.001,0.01")
    args = parser.parse_args()
    started = time.perf_counter()
    suggester = get_suggester()
    queries, owners = _pairs(suggester, args.alternatives)
    prototypes = _prototypes(suggester)
    order = np.random.default_rng(0).permutation(len(queries))
    held, kept = order[:_HELD_OUT], order[_HELD_OUT:]
    print(f"{len(queries)} synonym pairs, encoded in {time.perf_counter() - started:.0f} s")
    none = np.zeros((queries.shape[1], queries.shape[1]), dtype=np.float32)
    print("without the adapter:", _held_out(none, queries[held], owners[held], prototypes))
    print("\n| adapter | subset | R@10 | nDCG@10 |\n|---|---|---|---|")
    _sentences(suggester, "none (the engine)", none)
    for decay in (float(d) for d in args.decays.split(",")):
        adapter = _train(queries[kept], owners[kept], prototypes, decay)
        found = _held_out(adapter, queries[held], owners[held], prototypes)
        print(f"| weight decay {decay} ({found}) | | | |", flush=True)
        _sentences(suggester, f"weight decay {decay}", adapter)


if __name__ == "__main__":
    main()
