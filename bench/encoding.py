"""Encoding throughput, and other runtimes than torch, on the configured model.

Part 1, on the same model, batch size (settings: `embedding_batch_size`) and texts (volunteers
and needs from the demo generator, as `sync_embeddings` composes them), texts per second of:
(a) raw `SentenceTransformer.encode` on the loaded model, (b) `SentenceTransformerEmbedder`,
(c) the whole pipeline `sync_embeddings` on a fresh copy of a migrated SQLite database, reads,
hashes, writes and commits included; (d) the same with competence inference, as `probono
embed` runs it (not with `--quick`). Profiles are encoded as documents and needs as queries
in every row. Rounds are interleaved (a, b, c, a, b, c, ...) after one warm-up each, so drift
hits every row alike; the median is reported. Target: the pipeline at >= 0.9x raw.

Part 2 (`--backends`): other runtimes than torch, against torch in the same run
(bench/runtimes.py).

Run: `python -m bench.encoding [--quick] [--no-inference] [--backends onnx,openvino]`.
"""

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import torch
from sqlmodel import Session

import models
from bench.rounds import Texts, Timed, embedder_run, interleaved, rate
from bench.runtimes import BACKENDS, backends
from config import Settings, get_settings
from matching.embedders import Embedder, SentenceTransformerEmbedder
from models import queries
from services import runtime, schema
from services.demo.dataset import DemoBuilder
from services.people.profiles import save_need, save_volunteer
from services.ranking import encoding
from services.ranking.inference import Inference
from services.reference import loading

TARGET = 0.9  # the pipeline against raw encode
_DAY = date(2026, 1, 5)  # the demo generator's "today": any fixed day


def template_database(folder: Path, settings: Settings, volunteers: int, needs: int) -> Path:
    """A SQLite file built as the product builds one (migrations, reference data, the demo
    generator), with that many volunteers and needs and no vectors yet."""
    path = folder / "template.db"
    engine = models.make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    with Session(engine) as session:
        loading.load_reference_data(session, settings.data_dir)
        builder = DemoBuilder(session, settings.data_dir, seed=settings.demo_seed, today=_DAY)
        builder.organisations_and_people()
        for number in range(volunteers):
            save_volunteer(session, builder.volunteer(number), builder.resolver)
        for number in range(needs):
            save_need(session, builder.need(number), builder.resolver)
        session.commit()
    engine.dispose()
    return path


def stored_texts(database: Path, model: str) -> Texts:
    """The texts `sync_embeddings` will encode, read and composed the way it does."""
    engine = models.make_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        texts = Texts(
            [
                encoding.profile_text(*parts)
                for _, parts, *_ in queries.embeddings.profile_texts(session, model)
            ],
            [
                encoding.need_text(*parts)
                for _, parts, *_ in queries.embeddings.need_texts(session, model)
            ],
        )
    engine.dispose()
    return texts


def _raw(model: Any, texts: Texts, batch_size: int) -> Timed:
    def run() -> float:
        started = time.perf_counter()
        for items, prompt in ((texts.profiles, "document"), (texts.needs, "query")):
            model.encode(
                items,
                batch_size=batch_size,
                normalize_embeddings=True,
                prompt_name=prompt,
                show_progress_bar=False,
            )
        return time.perf_counter() - started

    return run


def _pipeline(
    embedder: Embedder,
    template: Path,
    batch_size: int,
    expected: int,
    after_batch: Callable[[Session], encoding.AfterBatch] | None = None,
) -> Timed:
    """`sync_embeddings` on a fresh copy of the template (the copy is not timed)."""

    def run() -> float:
        with tempfile.TemporaryDirectory(prefix="probono-bench-") as folder:
            copy = Path(folder) / "round.db"
            shutil.copyfile(template, copy)
            engine = models.make_engine(f"sqlite:///{copy}")
            with Session(engine) as session:
                hook = None if after_batch is None else after_batch(session)
                started = time.perf_counter()
                reports = encoding.sync_embeddings(
                    session, embedder, batch_size=batch_size, after_batch=hook
                )
                elapsed = time.perf_counter() - started
            engine.dispose()
        encoded = sum(report.encoded for report in reports.values())
        if encoded != expected:
            raise RuntimeError(f"the pipeline encoded {encoded} texts, expected {expected}")
        return elapsed

    return run


def print_rates(title: str, seconds: Mapping[str, list[float]], count: int) -> None:
    """One row per run against the first; the pipeline (c) is held to the target."""
    baseline, *_ = seconds
    base = rate(seconds[baseline], count)
    print(f"\n{title}")
    print(f"| {'':<48} | texts/s | s per round   | x raw        |")
    print(f"|{'-' * 50}|---------|---------------|--------------|")
    for name, values in seconds.items():
        ratio = rate(values, count) / base
        mark = ("ok" if ratio >= TARGET else "BELOW") if name.startswith("(c)") else ""
        spread = f"{min(values):.1f}-{max(values):.1f}"
        print(f"| {name:<48} | {ratio * base:7.1f} | {spread:>13} | {ratio:5.2f} {mark:<6} |")


def throughput(
    embedder: SentenceTransformerEmbedder,
    settings: Settings,
    args: argparse.Namespace,
    template: Path,
    texts: Texts,
) -> None:
    size = settings.embedding_batch_size
    runs: dict[str, Timed] = {
        "(a) raw SentenceTransformer.encode": _raw(embedder.model, texts, size),
        "(b) SentenceTransformerEmbedder": embedder_run(embedder, texts, size),
        "(c) sync_embeddings (SQLite, reads + writes)": _pipeline(
            embedder, template, size, len(texts)
        ),
    }
    if args.inference:
        suggester = runtime.get_suggester()  # over the same embedder (get_embedder is cached)
        runs["(d) sync_embeddings + inference (probono embed)"] = _pipeline(
            embedder,
            template,
            size,
            len(texts),
            after_batch=lambda session: Inference(session, suggester),
        )
    seconds = interleaved(runs, args.rounds)
    print_rates(
        f"Throughput, {len(texts.profiles)} profiles + {len(texts.needs)} needs, batch {size}, "
        f"median of {args.rounds} interleaved rounds (target: pipeline >= {TARGET}x raw)",
        seconds,
        len(texts),
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.encoding", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer texts (a smoke run)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5, quick 3)")
    parser.add_argument(
        "--inference",
        action=argparse.BooleanOptionalAction,
        help="also time the pipeline with competence inference (default: yes, not with --quick)",
    )
    parser.add_argument(
        "--backends",
        type=lambda value: [name.strip() for name in value.split(",") if name.strip()],
        default=[],
        help=f"compare runtimes against torch, comma-separated, from: {', '.join(BACKENDS)}",
    )
    parser.add_argument(
        "--export-dir",
        type=Path,
        help="where exported graphs are kept (default: the model cache's bench/ folder)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.backends) - set(BACKENDS))
    if unknown:
        parser.error(f"unknown backends {unknown}; choose from {', '.join(BACKENDS)}")
    if args.inference is None:
        args.inference = not args.quick
    if args.rounds is None:
        args.rounds = 3 if args.quick else 5
    if args.rounds < 3:
        parser.error("--rounds must be at least 3")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    settings = get_settings()
    if args.export_dir is None:
        args.export_dir = settings.model_cache_dir / "bench"
    embedder = runtime.get_embedder()
    if not isinstance(embedder, SentenceTransformerEmbedder):
        raise TypeError("the configured embedder is not a sentence-transformers model")
    volunteers, needs = (64, 16) if args.quick else (400, 80)
    with tempfile.TemporaryDirectory(prefix="probono-bench-") as folder:
        started = time.perf_counter()
        template = template_database(Path(folder), settings, volunteers, needs)
        texts = stored_texts(template, embedder.name)
        print(
            f"{embedder.name} ({embedder.version}), torch threads {torch.get_num_threads()}, "
            f"{len(set(texts.profiles))} distinct profile texts of {len(texts.profiles)}, "
            f"database ready in {time.perf_counter() - started:.0f} s"
        )
        throughput(embedder, settings, args, template, texts)
        if args.backends:
            backends(embedder, settings, args, texts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
