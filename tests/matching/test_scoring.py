import numpy as np
import pytest

from matching.calibration import calibrated
from matching.constraints import Exclusion
from matching.coverage import Coverage, Stated, coverage
from matching.scoring import GUESSED, STATED, Signals, Weights, pair_score


def test_the_score_adds_up_its_contributions() -> None:
    covered = coverage([Stated("ecf:B.1", 2)], [Stated("ecf:B.1", 3)])
    weights = Weights(semantic=0.35, coverage=0.45, lexical=0.1)
    explanation = pair_score(Signals(semantic=0.8, lexical=0.4, coverage=covered), [], weights)
    expected = 0.35 * 0.8 + 0.45 * 1.0 + 0.1 * 0.4 + 0.05 * 0.5 + 0.05 * 1.0
    assert explanation.score == pytest.approx(expected, abs=1e-4)
    assert sum(explanation.contributions.values()) == pytest.approx(expected, abs=1e-3)
    assert explanation.competences[0].status == "met"
    assert not explanation.excluded


def test_an_excluded_pair_scores_zero_and_says_why() -> None:
    reason = Exclusion("language", "no shared working language (mission: fr; volunteer: en)")
    explanation = pair_score(Signals(0.9, 0.9, Coverage(1.0, ())), [reason])
    assert explanation.score == 0.0
    assert explanation.exclusions == (reason,)


def test_a_need_without_competences_relies_on_the_texts() -> None:
    none = Coverage(None, ())
    strong = pair_score(Signals(0.9, 0.5, none), [])
    weak = pair_score(Signals(0.3, 0.5, none), [])
    assert strong.contributions["coverage"] == 0.0
    w = STATED  # coverage's weight goes to semantic similarity
    assert strong.score - weak.score == pytest.approx((w.semantic + w.coverage) * 0.6, abs=1e-3)


def test_guessed_requirements_weigh_less_than_stated_ones() -> None:
    """The same volunteer, the same texts: coverage of competences read from the need's text
    moves the score less than coverage of competences the association stated."""
    claims = [Stated("ecf:B.1", 3, "declared")]
    for source, weights in (("declared", STATED), ("inferred", GUESSED)):
        asked = [Stated("ecf:B.1", 3, source), Stated("ecf:B.6", 3, source)]
        half = pair_score(Signals(0.6, 0.4, coverage(asked, claims)), [])
        full = pair_score(Signals(0.6, 0.4, coverage(asked[:1], claims)), [])
        assert half.requirements_inferred is (source == "inferred")
        assert full.score - half.score == pytest.approx(weights.coverage * 0.5, abs=1e-3)
    assert GUESSED.coverage < STATED.coverage


def test_overexposed_volunteers_lose_a_little() -> None:
    signals = Signals(0.7, 0.5, Coverage(0.5, ()))
    fresh = pair_score(signals, [], STATED)
    busy = pair_score(Signals(0.7, 0.5, Coverage(0.5, ()), exposure=1.0), [], STATED)
    assert fresh.score - busy.score == pytest.approx(0.05, abs=1e-3)


def test_calibration_does_not_depend_on_the_model_scale() -> None:
    narrow = np.asarray([0.80, 0.82, 0.85, 0.90], dtype=np.float32)  # mE5-like band
    wide = np.asarray([0.10, 0.30, 0.60, 1.10], dtype=np.float32)  # same order, other scale
    assert np.allclose(calibrated(narrow, offset=0.0), calibrated((narrow - 0.8) * 10, offset=0.0))
    assert list(np.argsort(calibrated(wide, offset=1.0))) == [0, 1, 2, 3]
