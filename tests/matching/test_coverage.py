import pytest

from matching.coverage import Stated, coverage, strongest


def test_met_below_and_missing_with_the_gap_named() -> None:
    result = coverage(
        [Stated("ecf:B.1", 3), Stated("ecf:A.6", 2), Stated("ecf:E.8", 2)],
        [Stated("ecf:B.1", 4), Stated("ecf:A.6", 1)],
    )
    by_code = {m.code: m for m in result.matches}
    assert by_code["ecf:B.1"].status == "met"
    assert by_code["ecf:B.1"].credit == 1.0
    assert by_code["ecf:A.6"].status == "below"
    assert by_code["ecf:A.6"].gap == 1
    assert by_code["ecf:A.6"].credit == pytest.approx(0.6)
    assert by_code["ecf:E.8"].status == "missing"
    assert result.score == pytest.approx((1.0 + 0.6 + 0.0) / 3)


def test_confirmed_and_declared_outrank_inferred() -> None:
    claims = [
        Stated("ecf:B.1", 3, source="inferred"),
        Stated("ecf:B.1", 1, source="confirmed"),
    ]
    assert strongest(claims)["ecf:B.1"].level == 1
    result = coverage([Stated("ecf:B.1", 2)], claims)
    assert result.matches[0].source == "confirmed"
    assert result.matches[0].status == "below"


def test_weights_and_needs_without_competences() -> None:
    weighted = coverage(
        [Stated("ecf:B.1", 2, weight=3.0), Stated("ecf:D.7", 2, weight=1.0)],
        [Stated("ecf:B.1", 2)],
    )
    assert weighted.score == pytest.approx(0.75)
    assert coverage([], [Stated("ecf:B.1", 2)]).score is None
