"""`probono eval` runs every method on the labelled sets and reports each beside its baselines,
on sealed test splits that the settings were never chosen on."""

import pytest

from matching.evaluation import competences, ranking
from services.runtime import get_suggester
from tests.conftest import DATA_DIR

pytestmark = pytest.mark.model


def test_the_labelled_sets_load_with_their_splits() -> None:
    test = competences.competence_items(DATA_DIR)
    everything = competences.competence_items(DATA_DIR, split=None)
    assert len(test) >= 100
    assert {item.split for item in test} == {"test"}
    assert {item.split for item in everything} == {"train", "test"}
    assert all(item.relevant for item in everything)
    sets = competences.esco_items(DATA_DIR)
    assert {item.lang for item in sets["hand-tagged sentences, TEST split"]} == {"fr", "en"}
    assert len(sets["masked ESCO descriptions"]) >= 200


def test_every_method_is_reported_with_intervals() -> None:
    suggester = get_suggester()
    items = competences.competence_items(DATA_DIR)[:20]
    rows = competences.evaluate_competences(suggester, items, samples=50, task="e-CF")
    methods = {row.method for row in rows}
    assert len(methods) == 6
    assert any(m.startswith("baseline: TF-IDF") for m in methods)
    assert any(m.startswith("engine (learned") for m in methods)
    for row in rows:
        for estimate in row.scores.values():
            assert 0.0 <= estimate.low <= estimate.mean <= estimate.high <= 1.0
    clause_weight, ngrams = suggester.clause_weight, suggester.model_.lexical_weight
    esco = competences.evaluate_esco(
        suggester,
        {"few": competences.esco_items(DATA_DIR)["masked ESCO descriptions"][:5]},
        samples=20,
    )
    # Restored after the ablations.
    assert (suggester.clause_weight, suggester.model_.lexical_weight) == (clause_weight, ngrams)
    assert len({row.method for row in esco}) == 6
    table = competences.format_rows(rows)
    assert "| method | subset | n | P@1 | R@3 | MRR | nDCG@10 |" in table
    levels = competences.level_accuracy(suggester, items, samples=20)
    assert {x.subset for x in levels} >= {"all", "needs"}


def test_the_vectorised_ranking_orders_as_pair_score_does() -> None:
    """The evaluation scores a weight set by matrix products; each pair's order must be the one
    `pair_score` gives it, penalties and exclusions included."""
    data = ranking.load_matching_set(DATA_DIR)
    ranker = ranking.Ranker(get_suggester(), data)
    for need in data.needs[:6]:
        explained = ranker.explanations(need, declared=False)
        by_pair_score = [
            ranker.profile_ids[i]
            for i in sorted(range(len(explained)), key=lambda i: -explained[i].score)
            if not explained[i].excluded
        ]
        ranked = ranker.engine(declared=False)(need)
        assert set(ranked) == set(by_pair_score)
        scores = {p: e.score for p, e in zip(ranker.profile_ids, explained, strict=True)}
        assert [round(scores[p], 3) for p in ranked] == sorted(
            (round(scores[p], 3) for p in ranked), reverse=True
        )


def test_the_ranking_evaluation_reports_the_test_split_beside_its_baselines() -> None:
    data = ranking.load_matching_set(DATA_DIR)
    assert len(data.needs) >= 100
    assert len(data.profiles) >= 200
    assert len(data.split("test")) >= 40
    assert all(a.lang != data.translated[a.id].lang for a in data.needs if a.id in data.translated)
    ranker = ranking.Ranker(get_suggester(), data)
    rows = ranking.evaluate_ranking(ranker, samples=50)
    ndcg = {r.method: r.scores["nDCG@10"].mean for r in rows if r.subset == "test: all"}
    assert len(ndcg) == 8
    engine = ndcg["engine, declared competences"]
    assert all(engine > v for m, v in ndcg.items() if m.startswith("baseline"))
    checks = {c.method: c for c in ranking.check_rules(ranker)}
    assert checks["engine, inferred competences only"].broken_in_top10 == 0
    assert checks["baseline: TF-IDF"].broken_in_top10 > 0  # the rules do matter on this set
