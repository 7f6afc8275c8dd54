"""Ranking metrics checked against values computed by hand."""

import math

import pytest

from matching import metrics


def test_precision_recall_hit_and_reciprocal_rank() -> None:
    ranked, relevant = ["a", "b", "c", "d"], {"b", "d", "z"}
    assert metrics.precision_at(2, ranked, relevant) == 0.5
    assert metrics.recall_at(2, ranked, relevant) == pytest.approx(1 / 3)
    assert metrics.hit_at(1, ranked, relevant) == 0.0
    assert metrics.hit_at(2, ranked, relevant) == 1.0
    assert metrics.reciprocal_rank(ranked, relevant) == 0.5
    assert metrics.reciprocal_rank(ranked, {"x"}) == 0.0


def test_ndcg_with_graded_gains() -> None:
    gains = {"b": 3.0, "c": 1.0}
    dcg = (2**3 - 1) / math.log2(3) + (2**1 - 1) / math.log2(4)
    ideal = (2**3 - 1) / math.log2(2) + (2**1 - 1) / math.log2(3)
    assert metrics.ndcg_at(10, ["a", "b", "c"], gains) == pytest.approx(dcg / ideal)
    assert metrics.ndcg_at(10, ["b", "c", "a"], gains) == pytest.approx(1.0)


def test_bootstrap_interval_brackets_the_mean_and_is_reproducible() -> None:
    values = [0.0, 1.0] * 50
    estimate = metrics.bootstrap(values, samples=500, seed=3)
    assert estimate.mean == 0.5
    assert estimate.low < 0.5 < estimate.high
    assert estimate.high - estimate.low < 0.3
    assert estimate == metrics.bootstrap(values, samples=500, seed=3)
    assert metrics.bootstrap([1.0] * 10) == metrics.Estimate(1.0, 1.0, 1.0)
