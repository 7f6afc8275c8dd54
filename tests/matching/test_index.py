"""The vector indexes against brute-force numpy on the same vectors."""

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from matching.errors import MatchingError
from matching.index import AnnIndex, ExactIndex, build_index

DIMENSION = 48


def _unit(rows: NDArray[np.float32]) -> NDArray[np.float32]:
    normed: NDArray[np.float32] = rows / np.linalg.norm(rows, axis=-1, keepdims=True)
    return normed.astype(np.float32)


def _random(n: int, seed: int) -> NDArray[np.float32]:
    return _unit(np.random.default_rng(seed).standard_normal((n, DIMENSION), dtype=np.float32))


def _clustered(n: int, seed: int) -> NDArray[np.float32]:
    """Like sentence embeddings: a shared direction, 40 topics, noise (cosines ~0.7-0.9)."""
    rng = np.random.default_rng(seed)
    centres = _unit(2.0 * _random(1, seed + 1) + _random(40, seed + 2))
    noise = rng.standard_normal((n, DIMENSION), dtype=np.float32) * 0.06
    return _unit(centres[rng.integers(0, 40, n)] + noise)


def _brute(truth: dict[int, NDArray[np.float32]], query: NDArray[np.float32], k: int) -> list[int]:
    ids = list(truth)
    sims = np.stack([truth[i] for i in ids]) @ query
    return [ids[i] for i in np.argsort(-sims, kind="stable")[:k]]


def _ids(*values: int) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


def test_exact_agrees_with_brute_force_through_growth_replacements_and_removals() -> None:
    rng = np.random.default_rng(0)
    index = ExactIndex(DIMENSION)  # no capacity: every batch below makes it grow
    truth: dict[int, NDArray[np.float32]] = {}
    ids = rng.choice(10**9, 1500, replace=False).astype(np.int64) + 1  # sparse, like real ids
    vectors = _random(1500, 1)
    for start in range(0, 1500, 100):
        index.upsert(ids[start : start + 100], vectors[start : start + 100])
        truth.update(
            zip(ids[start : start + 100].tolist(), vectors[start : start + 100], strict=True)
        )
    replaced = ids[::7]
    fresh = _random(replaced.size, 2)
    index.upsert(replaced, fresh)
    truth.update(zip(replaced.tolist(), fresh, strict=True))
    gone = np.concatenate([ids[::5], _ids(424242)])  # an unknown id is ignored
    index.remove(gone)
    for id_ in ids[::5].tolist():
        truth.pop(id_)

    assert len(index) == len(truth)
    for query in _random(20, 3):
        found, sims, _ = index.search(query, 10)
        assert found.tolist() == _brute(truth, query, 10)
        assert np.allclose(sims, [truth[i] @ query for i in found.tolist()], atol=1e-5)
    all_ids, all_sims = index.scores(query)
    assert sorted(all_ids.tolist()) == sorted(truth)
    assert np.allclose(all_sims, [truth[i] @ query for i in all_ids.tolist()], atol=1e-5)


def test_exact_returns_everything_when_k_exceeds_the_size_and_keeps_the_last_duplicate() -> None:
    index = ExactIndex(DIMENSION, capacity=2)
    vectors = _random(3, 4)
    index.upsert(_ids(7, 8, 7), vectors)  # 7 twice in one batch: the last vector wins
    ids, sims, _ = index.search(vectors[2], 50)
    assert ids.tolist() == [7, 8]
    assert sims[0] == pytest.approx(1.0, abs=1e-5)
    assert index.search(vectors[0], 0)[0].size == 0
    with pytest.raises(MatchingError, match="dimension"):
        index.upsert(_ids(9), _random(1, 5)[:, :10])


def test_exact_memory_stays_near_the_raw_vectors() -> None:
    index = ExactIndex(DIMENSION)
    for start in range(0, 20_000, 1_000):
        index.upsert(np.arange(start, start + 1_000, dtype=np.int64) + 1, _random(1_000, start))
    assert index.nbytes <= 1.2 * 20_000 * (DIMENSION * 4 + 8)


@pytest.fixture(scope="module")
def clustered() -> NDArray[np.float32]:
    return _clustered(3000, 10)


@pytest.fixture(scope="module")
def ann(clustered: NDArray[np.float32]) -> AnnIndex:
    index = AnnIndex(DIMENSION, capacity=1000)  # grows on the way
    index.upsert(np.arange(1, 3001, dtype=np.int64), clustered)
    return index


def test_ann_recall_against_exact_on_clustered_vectors(
    ann: AnnIndex, clustered: NDArray[np.float32]
) -> None:
    exact = ExactIndex(DIMENSION)
    exact.upsert(np.arange(1, 3001, dtype=np.int64), clustered)
    queries = _clustered(200, 11)
    hits = sum(
        len(set(ann.search(q, 10)[0].tolist()) & set(exact.search(q, 10)[0].tolist()))
        for q in queries
    )
    assert hits / 2000 >= 0.95
    ids, sims, _ = ann.search(queries[0], 10)
    assert np.all(np.diff(sims) <= 1e-6)  # best first
    assert np.allclose(sims, clustered[ids - 1] @ queries[0], atol=1e-5)  # cosines, not distances


def test_ann_upsert_replaces_and_remove_hides(clustered: NDArray[np.float32]) -> None:
    index = AnnIndex(DIMENSION, capacity=3000)
    index.upsert(np.arange(1, 3001, dtype=np.int64), clustered)
    target = _random(1, 12)[0]
    index.upsert(_ids(42), target[None, :])
    assert index.search(target, 1)[0].tolist() == [42]
    assert 42 not in index.search(clustered[41], 5)[0].tolist()  # its old place is empty
    assert len(index) == 3000

    index.remove(_ids(42, 99_999))
    assert len(index) == 2999
    assert 42 not in index.search(target, 10)[0].tolist()
    index.upsert(_ids(42), target[None, :])  # back after removal
    assert index.search(target, 1)[0].tolist() == [42]
    assert len(index) == 3000


def test_ann_returns_k_live_results_after_many_removals(clustered: NDArray[np.float32]) -> None:
    index = AnnIndex(DIMENSION, capacity=3000)
    index.upsert(np.arange(1, 3001, dtype=np.int64), clustered)
    index.remove(np.arange(1, 2701, dtype=np.int64))  # 90% gone
    ids, _, _ = index.search(clustered[0], 10)
    assert ids.size == 10
    assert ids.min() > 2700
    assert index.search(clustered[0], 1000)[0].size == 300


def test_ann_save_and_load_give_the_same_results(ann: AnnIndex, tmp_path: Path) -> None:
    ann.remove(_ids(5))
    path = tmp_path / "volunteers.hnsw"
    ann.save(path, {"count": 2999})
    ann.save(path, {"count": 2999})  # saving again replaces the previous graph file
    assert len(list(tmp_path.iterdir())) == 2

    loaded, extra = AnnIndex.load(path, dimension=DIMENSION)
    assert extra == {"count": 2999}
    assert len(loaded) == len(ann) == 2999
    for query in _clustered(20, 13):
        assert loaded.search(query, 10)[0].tolist() == ann.search(query, 10)[0].tolist()
        assert 5 not in loaded.search(query, 50)[0].tolist()


def test_ann_load_refuses_missing_garbage_and_other_dimensions(
    ann: AnnIndex, tmp_path: Path
) -> None:
    with pytest.raises(MatchingError, match="cannot read"):
        AnnIndex.load(tmp_path / "missing.hnsw")
    garbage = tmp_path / "garbage.hnsw"
    garbage.write_bytes(b"\x00\x93not an index" * 100)
    with pytest.raises(MatchingError, match="cannot read"):
        AnnIndex.load(garbage)

    path = tmp_path / "volunteers.hnsw"
    ann.save(path)
    with pytest.raises(MatchingError, match=f"dimension {DIMENSION}, not 384"):
        AnnIndex.load(path, dimension=384)
    graph = next(tmp_path.glob("volunteers.hnsw.*.graph"))
    graph.write_bytes(graph.read_bytes()[:1000])  # cut short
    with pytest.raises(MatchingError, match="cannot load the saved graph"):
        AnnIndex.load(path)


def test_build_index_is_exact_up_to_the_limit() -> None:
    assert isinstance(build_index(DIMENSION, 1000, exact_limit=1000), ExactIndex)
    assert isinstance(build_index(DIMENSION, 1001, exact_limit=1000), AnnIndex)


def test_ann_sample_draws_only_live_vectors(clustered: NDArray[np.float32]) -> None:
    index = AnnIndex(DIMENSION, capacity=3000)
    index.upsert(np.arange(1, 3001, dtype=np.int64), clustered)
    index.remove(np.arange(1, 2901, dtype=np.int64))
    sample = index.sample(50)
    assert sample.shape == (50, DIMENSION)
    nearest = np.argmax(sample @ clustered.T, axis=1)
    assert nearest.min() >= 2900  # rows 2900.. hold ids 2901..
    assert index.sample(1000).shape == (100, DIMENSION)


def test_both_indexes_search_among_allowed_ids_and_give_the_scale(
    clustered: NDArray[np.float32],
) -> None:
    ids = np.arange(1, 3001, dtype=np.int64)
    exact = ExactIndex(DIMENSION)
    exact.upsert(ids, clustered)
    ann = AnnIndex(DIMENSION, capacity=3000, exact_within=500)  # narrow filters: exact
    ann.upsert(ids, clustered)
    exact.remove(_ids(7))
    ann.remove(_ids(7))
    query = _clustered(1, 21)[0]
    narrow = _ids(3, 7, 11, 500, 2999, 10**6)  # 7 removed, 10**6 never added
    truth = {i: clustered[i - 1] for i in (3, 11, 500, 2999)}
    for index in (exact, ann):
        found, cosines, _scale = index.search(query, 3, narrow)
        assert found.tolist() == _brute(truth, query, 3)
        assert np.allclose(cosines, clustered[found - 1] @ query, atol=1e-5)
    assert exact.search(query, 3, narrow).scale.size == 2999  # every live vector
    assert ann.search(query, 3).scale.size == 2999  # its sample: every live vector here
    wide = np.arange(1, 2001, dtype=np.int64)  # past exact_within: approximate, then filtered
    found = ann.search(query, 10, wide).ids
    assert found.size == 10
    assert found.max() <= 2000
    assert exact.search(query, 5, _ids()).ids.size == 0
