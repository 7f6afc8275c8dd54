"""`probono eval`: quality figures with their same-run baselines."""

import argparse
import time
from typing import Any

from config import get_settings
from missions import evaluation, evaluation_ranking
from missions.runtime import get_suggester


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "eval", help="measure quality on the labelled sets, with baselines"
    )
    parser.add_argument(
        "--bootstrap", type=int, default=1000, help="bootstrap samples for the 95 %% intervals"
    )
    parser.set_defaults(handler=_eval)


def _eval(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    data = get_settings().data_dir
    suggester = get_suggester()
    items = evaluation.competence_items(data)
    rows = evaluation.evaluate_competences(suggester, items, samples=args.bootstrap)
    sentences, descriptions = evaluation.esco_items(data)
    rows += evaluation.evaluate_esco(
        suggester,
        {"hand-tagged sentences": sentences, "masked ESCO descriptions": descriptions},
        samples=args.bootstrap,
    )
    print(f"# probono eval — model {suggester.embedder.name} ({suggester.embedder.version})")
    print(evaluation.format_rows(rows))
    total, exact, near = evaluation.level_accuracy(suggester, items)
    print(
        f"\ne-CF levels, over {total} gold competences found in the top 10: "
        f"exact {exact:.3f}, within one level {near:.3f}"
    )
    ranker = evaluation_ranking.Ranker(suggester, evaluation_ranking.load_matching_set(data))
    print(
        evaluation_ranking.format_ranking(
            evaluation_ranking.evaluate_ranking(ranker, samples=args.bootstrap),
            evaluation_ranking.evaluate_parity(ranker, samples=args.bootstrap),
            evaluation_ranking.tune_weights(ranker, samples=args.bootstrap),
        )
    )
    print(
        f"\n(95 % bootstrap intervals over queries, {args.bootstrap} samples; "
        f"{time.perf_counter() - started:.0f} s)"
    )
    return 0
