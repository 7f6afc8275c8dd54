"""`probono eval`: quality figures with their same-run baselines, on the sealed test splits."""

import argparse
import time
from collections.abc import Sequence
from typing import Any

from config import get_settings
from matching.evaluation import competences, ranking, weights
from services.runtime import get_suggester


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "eval", help="measure quality on the labelled sets' test splits, with baselines"
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap samples for the 95 %% intervals"
    )
    parser.set_defaults(handler=_eval)


def _mean(rows: Sequence[Any], method: str, subset: str, metric: str) -> float:
    return float(
        next(r for r in rows if r.method.startswith(method) and r.subset == subset)
        .scores[metric]
        .mean
    )


def _eval(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    data = get_settings().data_dir
    suggester = get_suggester()
    samples = args.bootstrap
    print(
        f"# probono eval — model {suggester.embedder.name} ({suggester.embedder.version}), "
        f"e-CF reader {suggester.version} trained on {len(suggester.bank)} texts"
    )
    print(competences.format_folds(competences.cross_validate_bank(suggester)))
    items = competences.competence_items(data, split=competences.TEST)
    ecf = competences.evaluate_competences(
        suggester, items, samples=samples, task="e-CF competence, TEST split"
    )
    print(competences.format_rows(ecf))
    levels = competences.level_accuracy(suggester, items, samples=samples)
    print(competences.format_levels("e-CF levels of every gold competence, TEST split", levels))
    esco = competences.evaluate_esco(suggester, competences.esco_items(data), samples=samples)
    print(competences.format_rows(esco))
    ranker = ranking.Ranker(suggester, ranking.load_matching_set(data))
    ranked = ranking.evaluate_ranking(ranker, samples=samples)
    checks = ranking.check_rules(ranker)
    print(
        ranking.format_ranking(
            ranked,
            checks,
            ranking.evaluate_parity(ranker, samples=samples),
        )
    )
    print(weights.format_tuning(weights.tune_weights(ranker, samples=samples)))
    print(_targets(ecf, levels, esco, ranked, checks))
    print(
        f"\n(95 % bootstrap intervals over queries, {samples} samples; "
        f"{time.perf_counter() - started:.0f} s)"
    )
    return 0


Target = tuple[str, float, float]  # what, measured, bar (met when measured ≥ bar)
_ENGINE = "engine (learned"
_INFERRED = "engine, inferred competences only"


def _targets(
    ecf: Sequence[competences.Row],
    levels: Sequence[competences.Levels],
    esco: Sequence[competences.Row],
    ranked: Sequence[ranking.Row],
    checks: Sequence[ranking.RuleCheck],
) -> str:
    """Each target of docs/matching-quality.md, measured on the test splits: met or not."""
    found = [
        *_ecf_targets(ecf, levels),
        *_esco_targets(esco),
        *_ranking_targets(ranked, checks),
    ]
    lines = [
        "\n## targets (test splits)\n",
        "| target | measured | bar | met |",
        "|---|---|---|---|",
    ]
    for what, measured, bar in found:
        met = "yes" if measured >= bar - 1e-9 else "NO"
        lines.append(f"| {what} | {abs(measured):.3f} | {abs(bar):.3f} | {met} |")
    return "\n".join(lines)


def _ecf_targets(
    ecf: Sequence[competences.Row], levels: Sequence[competences.Levels]
) -> list[Target]:
    by_subset = {x.subset: x for x in levels}
    gap = abs(_mean(ecf, _ENGINE, "fr", "P@1") - _mean(ecf, _ENGINE, "en", "P@1"))
    return [
        ("e-CF P@1", _mean(ecf, _ENGINE, "all", "P@1"), 0.80),
        ("e-CF R@3", _mean(ecf, _ENGINE, "all", "R@3"), 0.75),
        ("e-CF level exact", by_subset["all"].exact.mean, 0.60),
        ("e-CF level within one", by_subset["all"].within_one.mean, 0.95),
        ("e-CF P@1, French minus English (absolute)", -gap, -0.05),
    ]


def _esco_targets(esco: Sequence[competences.Row]) -> list[Target]:
    test = "text → ESCO (hand-tagged sentences, TEST split)"
    tagged = [r for r in esco if r.task == test]
    if not tagged:
        return []
    found: list[Target] = []
    for lang in ("fr", "en"):
        for metric in ("R@10", "nDCG@10"):
            base = _mean(tagged, "baseline: plain cosine", lang, metric)
            found.append(
                (
                    f"ESCO {metric} {lang}, over plain label cosine + 0.10",
                    _mean(tagged, "engine (labels", lang, metric),
                    base + 0.10,
                )
            )
    gap = _mean(tagged, "engine (labels", "en", "R@10") - _mean(
        tagged, "engine (labels", "fr", "R@10"
    )
    found.append(("ESCO R@10, English minus French", -gap, -0.05))
    return found


def _ranking_targets(
    ranked: Sequence[ranking.Row], checks: Sequence[ranking.RuleCheck]
) -> list[Target]:
    best = max(
        _mean(ranked, m, "test: all", "nDCG@10")
        for m in (
            "baseline: TF-IDF + hard",
            "baseline: BM25 + hard",
            "baseline: embedding cosine +",
        )
    )
    gap = abs(
        _mean(ranked, _INFERRED, "test: fr needs", "nDCG@10")
        - _mean(ranked, _INFERRED, "test: en needs", "nDCG@10")
    )
    check = next(c for c in checks if c.method == _INFERRED)
    return [
        (
            "need → volunteers nDCG@10, nothing declared, over best baseline + 0.10",
            _mean(ranked, _INFERRED, "test: all", "nDCG@10"),
            best + 0.10,
        ),
        ("need → volunteers nDCG@10, French minus English needs (absolute)", -gap, -0.05),
        ("need → volunteers, top-10 pairs breaking a hard rule (none)", -check.broken_in_top10, 0),
        (
            "need → volunteers, needs with no good volunteer in the top 10 (none)",
            -check.needs_without_good,
            0,
        ),
    ]
