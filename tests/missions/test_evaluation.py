"""`probono eval` runs every method on the labelled sets and reports each beside its baselines."""

import pytest

from missions import evaluation, evaluation_ranking
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


def test_the_ranking_evaluation_reports_the_engine_beside_its_baselines() -> None:
    data = evaluation_ranking.load_matching_set(DATA_DIR)
    assert (len(data.needs), len(data.translated)) == (44, 44)
    assert all(a.lang != b.lang for a, b in zip(data.needs, data.translated, strict=True))
    assert len(data.profiles) >= 80
    ranker = evaluation_ranking.Ranker(get_suggester(), data)
    rows = evaluation_ranking.evaluate_ranking(ranker, samples=50)
    ndcg = {r.method: r.scores["nDCG@10"].mean for r in rows if r.subset == "all"}
    assert len(ndcg) == 8
    engine = ndcg["engine, declared competences"]
    assert all(engine > v for m, v in ndcg.items() if m.startswith("baseline"))
    parity = evaluation_ranking.evaluate_parity(ranker, samples=50)
    declared = next(p for p in parity if p.method == "engine, declared competences")
    cosine = next(p for p in parity if p.method == "baseline: embedding cosine")
    assert declared.top10_overlap.mean > cosine.top10_overlap.mean
