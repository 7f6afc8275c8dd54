"""The scoping assistant's reading of plain texts, on the team's example needs: does a text
that asks for one thing give one need of the right kind, and does a text that asks for two
things give two needs of the right kinds? Each example's own need is set aside from the
examples the assistant compares with, so it is never read against itself.

The margin (how clearly a clause must lean towards one common need to start a need of its own)
is chosen here among a few values, the baseline being no margin at all (every clause its own
kind). There is no sealed set of scoping texts yet: these figures are the examples' own.

    .venv/bin/python -m bench.scoping [--pairs 300]
"""

import argparse
import itertools
import json
import random
from pathlib import Path

from config import get_settings
from matching.scoping import LANGUAGES, Scoper, load_common_needs
from services.runtime import get_embedder

MARGINS = (0.0, 0.005, 0.01, 0.02, 0.03)
_JOINS = {"fr": "et", "en": "and"}


def _needs(data_dir: Path) -> list[dict[str, str]]:
    needs: list[dict[str, str]] = json.loads(
        (data_dir / "demo" / "need_templates.json").read_text("utf-8")
    )
    return needs


def _lower(title: str) -> str:
    return title[0].lower() + title[1:]


def measure(scoper: Scoper, needs: list[dict[str, str]], pairs: int) -> tuple[float, float]:
    """(share of one-thing texts read as one need of the right kind, share of two-thing texts
    read as two needs of the right kinds), over both languages."""
    singles = [
        (need[f"title_{lang}"], frozenset({need["key"]}), [need["category"]])
        for need in needs
        for lang in LANGUAGES
    ]
    rng = random.Random(0)
    couples = [
        (a, b) for a, b in itertools.permutations(needs, 2) if a["category"] != b["category"]
    ]
    doubles = [
        (
            f"{a[f'title_{lang}']}, {_JOINS[lang]} {_lower(b[f'title_{lang}'])}",
            frozenset({a["key"], b["key"]}),
            [a["category"], b["category"]],
        )
        for a, b in rng.sample(couples, pairs)
        for lang in LANGUAGES
    ]
    scores = []
    for cases in (singles, doubles):
        right = sum(
            [p.need.key if p.need else None for p in scoper.parts(text, leave_out)] == expected
            for text, leave_out, expected in cases
        )
        scores.append(right / len(cases))
    return scores[0], scores[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=300)
    args = parser.parse_args()
    data_dir = get_settings().data_dir
    scoper = Scoper(get_embedder(), load_common_needs(data_dir))
    needs = _needs(data_dir)
    print("| margin | one thing: one need, right kind | two things: two needs, right kinds |")
    print("|---|---|---|")
    for margin in MARGINS:
        scoper.margin = margin
        single, double = measure(scoper, needs, args.pairs)
        label = f"{margin}" + (" (baseline: every clause its own kind)" if margin == 0 else "")
        print(f"| {label} | {single:.3f} | {double:.3f} |")


if __name__ == "__main__":
    main()
