"""Competence suggestion throughput and a ranking's latency, against their floors and against
an earlier version of the engine measured in the same run.

(a) floor: the embedder alone encoding the same texts as queries (suggestions cannot be faster);
(b) `CompetenceSuggester.suggest` by batches of 32, as `probono skills suggest` runs it, texts/s;
(c) `rank_volunteers` for every need of a demo database (SQLite, the demo generator's 200
volunteers and 60 needs, encoded and inferred as `probono embed` does), p50 and p95 in ms; its
floor is the similarity search of the vector pool alone.
With `--baseline REF` the same measures run on the engine of git revision REF (a worktree of
this repository, run with this environment and model cache), in turn with the current one
(A, B, A, B), so that both see the same machine.

Run: `python -m bench.matching_speed [--quick] [--baseline 605496e]`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
_DAY = date(2026, 1, 5)
BATCH = 32


def _texts(data_dir: Path, count: int) -> list[str]:
    data = json.loads((data_dir / "eval" / "matching_fr_en.json").read_text(encoding="utf-8"))
    texts = [f"{n['title']}. {n['text']}" for n in data["needs"]]
    texts += [f"{p['headline']}. {p['text']}" for p in data["profiles"]]
    return (texts * (1 + count // len(texts)))[:count]


def measure(count: int, rounds: int, needs: int) -> dict[str, Any]:
    """Every figure of one engine, in this process (the engine is whatever `missions` is)."""
    import numpy as np
    from sqlmodel import Session

    import models
    from bench.encoding import template_database
    from config import get_settings
    from services import runtime
    from services.actors import OPERATOR
    from services.ranking import encoding
    from services.ranking.inference import Inference
    from services.ranking.rank import rank_volunteers
    from services.runtime import get_pool

    settings = get_settings()
    texts = _texts(REPOSITORY / "data", count)
    suggester = runtime.get_suggester()
    embedder = suggester.embedder

    def floor() -> float:
        started = time.perf_counter()
        for start in range(0, len(texts), BATCH):
            embedder.encode_queries(texts[start : start + BATCH])
        return time.perf_counter() - started

    def suggest() -> float:
        started = time.perf_counter()
        for start in range(0, len(texts), BATCH):
            suggester.suggest(texts[start : start + BATCH], top_k=10)
        return time.perf_counter() - started

    floor()
    suggest()  # warm-up
    seconds: dict[str, list[float]] = {"floor": [], "suggest": []}
    for _ in range(rounds):
        seconds["floor"].append(floor())
        seconds["suggest"].append(suggest())
    with tempfile.TemporaryDirectory(prefix="probono-bench-") as folder:
        template = template_database(Path(folder), settings, 200, needs)
        engine = models.make_engine(f"sqlite:///{template}")
        ranking, search = [], []
        with Session(engine) as session:
            encoding.sync_embeddings(session, embedder, after_batch=Inference(session, suggester))
            ids = [
                need_id
                for need_id, *_ in models.queries.embeddings.need_texts(session, embedder.name)
            ]
            nearby = runtime.get_nearby()
            pool = get_pool("profile", embedder.name)
            for round_ in range(2):  # the first round warms the caches up
                for need_id in ids:
                    stored = models.queries.embeddings.stored_vector(
                        session, "need", need_id, model=embedder.name
                    )
                    assert stored is not None
                    vector = np.frombuffer(stored[2], dtype="<f4").astype(np.float32)
                    started = time.perf_counter()
                    pool.search(session, vector, 200, None)
                    elapsed = time.perf_counter() - started
                    started = time.perf_counter()
                    rank_volunteers(
                        session, OPERATOR, need_id, embedder=embedder, nearby=nearby, today=_DAY
                    )
                    if round_:
                        search.append(elapsed * 1000)
                        ranking.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    return {
        "texts": len(texts),
        "floor_rate": statistics.median(len(texts) / s for s in seconds["floor"]),
        "suggest_rate": statistics.median(len(texts) / s for s in seconds["suggest"]),
        "search_p50": statistics.median(search),
        "ranking_p50": statistics.median(ranking),
        "ranking_p95": float(sorted(ranking)[int(0.95 * (len(ranking) - 1))]),
        "rankings": len(ranking),
    }


def _run(tree: Path, args: argparse.Namespace) -> dict[str, Any]:
    """`measure` in a fresh process whose imports come from `tree`."""
    env = os.environ | {
        "PYTHONPATH": str(tree),
        # The model and the cached vectors are shared; each tree keys its own files.
        "PROBONO_MODEL_CACHE_DIR": str(REPOSITORY / "var" / "models"),
        "PROBONO_DATA_DIR": str(tree / "data"),
    }
    out = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--measure",
            str(args.texts),
            str(args.rounds),
            str(args.needs),
        ],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    last: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return last


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching_speed", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer texts and rounds")
    parser.add_argument("--baseline", help="a git revision to measure beside this tree")
    parser.add_argument("--measure", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.texts, args.rounds, args.needs = (128, 2, 20) if args.quick else (512, 3, 60)
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    runs: dict[str, list[dict[str, Any]]] = {"this tree": []}
    worktree = None
    if args.baseline:
        worktree = Path(tempfile.mkdtemp(prefix="probono-baseline-")) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(worktree), args.baseline],
            cwd=REPOSITORY,
            check=True,
            capture_output=True,
        )
        runs[f"revision {args.baseline}"] = []
    try:
        for _ in range(2):  # A, B, A, B
            for name in runs:
                tree = REPOSITORY if worktree is None or name == "this tree" else worktree
                runs[name].append(_run(tree, args))
    finally:
        if worktree is not None:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(worktree)],
                cwd=REPOSITORY,
                check=False,
            )
    print(
        f"\n{args.texts} texts (needs and profiles of data/eval), batches of {BATCH}; "
        f"rankings of {args.needs} demo needs over 200 volunteers; median of two processes each"
    )
    print(
        "| engine | floor: encode texts/s | suggest texts/s | x floor | "
        "search p50 ms | ranking p50 ms | ranking p95 ms |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, found in runs.items():
        m = {k: statistics.median(r[k] for r in found) for k in found[0]}
        print(
            f"| {name} | {m['floor_rate']:.1f} | {m['suggest_rate']:.1f} | "
            f"{m['suggest_rate'] / m['floor_rate']:.2f} | {m['search_p50']:.1f} | "
            f"{m['ranking_p50']:.1f} | {m['ranking_p95']:.1f} |"
        )


if __name__ == "__main__":
    main()
