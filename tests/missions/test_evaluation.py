"""`probono eval` runs every method on the labelled sets and reports each beside its baselines."""

import pytest

from missions import evaluation
from missions.runtime import get_suggester
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.model


def test_the_labelled_sets_load() -> None:
    items = evaluation.competence_items(DATA_DIR)
    sentences, descriptions = evaluation.esco_items(DATA_DIR)
    assert len(items) >= 120
    assert all(item.relevant for item in items)
    assert {item.lang for item in sentences} == {"fr", "en"}
    assert len(descriptions) >= 200


def test_every_method_is_reported_with_intervals() -> None:
    suggester = get_suggester()
    items = evaluation.competence_items(DATA_DIR)[:20]
    rows = evaluation.evaluate_competences(suggester, items, samples=50)
    methods = {row.method for row in rows}
    assert len(methods) == 5
    assert any(m.startswith("baseline: TF-IDF") for m in methods)
    assert any(m.startswith("engine") for m in methods)
    for row in rows:
        for estimate in row.scores.values():
            assert 0.0 <= estimate.low <= estimate.mean <= estimate.high <= 1.0
    assert suggester.descriptor_weight == pytest.approx(0.3)  # restored after the run
    table = evaluation.format_rows(rows)
    assert "| method | subset | n | P@1 | R@3 | MRR | nDCG@10 |" in table
