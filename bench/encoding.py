"""Encoding throughput, and other runtimes than torch, on the configured model.

Part 1, on the same model, batch size (settings: `embedding_batch_size`) and texts (volunteers
and needs from the demo generator, as `sync_embeddings` composes them), texts per second of:
(a) raw `SentenceTransformer.encode` on the loaded model, (b) `SentenceTransformerEmbedder`,
(c) the whole pipeline `sync_embeddings` on a fresh copy of a migrated SQLite database, reads,
hashes, writes and commits included; (d) the same with competence inference, as `probono
embed` runs it (not with `--quick`). Profiles are encoded as documents and needs as queries
in every row. Rounds are interleaved (a, b, c, a, b, c, ...) after one warm-up each, so drift
hits every row alike; the median is reported. Target: the pipeline at >= 0.9x raw.

Part 2 (`--backends`): the embedder on other runtimes against torch in the same run, from the
built folder only (the ONNX graph is exported from the local torch weights into `--export-dir`,
never downloaded): texts per second, and whether the results hold (mean cosine to the torch
vectors >= 0.99, top-10 overlap of the labelled set's needs against its profiles >= 0.9).
A runtime that is not installed is skipped with its reason.

Run: `python -m bench.encoding [--quick] [--no-inference] [--backends onnx,openvino]`.
"""

import argparse
import importlib
import shutil
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from numpy.typing import NDArray
from sqlmodel import Session

import models
from config import Settings, get_settings
from matching import embedders
from matching.embedders import Embedder, SentenceTransformerEmbedder, Vectors
from missions import encoding, reference, runtime, schema
from missions.demo import DemoBuilder
from missions.evaluation_ranking import load_matching_set
from missions.inference import Inference
from missions.people import save_need, save_volunteer
from models import queries

TARGET = 0.9  # the pipeline against raw encode
MIN_COSINE, MIN_OVERLAP, TOP_K = 0.99, 0.9, 10  # a runtime "keeps the results"
FASTER = 1.3  # worth integrating
BACKENDS = ("torch", "onnx", "onnx-int8", "openvino", "openvino-f32", "st-onnx", "st-openvino")
_DAY = date(2026, 1, 5)  # the demo generator's "today": any fixed day

Timed = Callable[[], float]  # runs once; the seconds of the part that is measured


@dataclass(frozen=True)
class Texts:
    profiles: list[str]  # encoded as documents
    needs: list[str]  # encoded as queries

    def __len__(self) -> int:
        return len(self.profiles) + len(self.needs)


# --- Part 1: raw encode, the embedder, the pipeline --------------------------------------------


def template_database(folder: Path, settings: Settings, volunteers: int, needs: int) -> Path:
    """A SQLite file built as the product builds one (migrations, reference data, the demo
    generator), with that many volunteers and needs and no vectors yet."""
    path = folder / "template.db"
    engine = models.make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    with Session(engine) as session:
        reference.load_reference_data(session, settings.data_dir)
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
                for _, parts, _, _ in queries.embeddings.profile_texts(session, model)
            ],
            [
                encoding.need_text(*parts)
                for _, parts, _, _ in queries.embeddings.need_texts(session, model)
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


def _embedder(embedder: Embedder, texts: Texts, batch_size: int) -> Timed:
    def run() -> float:
        started = time.perf_counter()
        embedder.encode_documents(texts.profiles, batch_size=batch_size)
        embedder.encode_queries(texts.needs, batch_size=batch_size)
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


def interleaved(runs: Mapping[str, Timed], rounds: int) -> dict[str, list[float]]:
    """One warm-up each, then `rounds` rounds in turn; the seconds of every timed round."""
    for run in runs.values():
        run()
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            seconds[name].append(run())
    return seconds


def _rate(seconds: Sequence[float], count: int) -> float:
    """The median rate, in texts per second."""
    return statistics.median(count / s for s in seconds)


def print_rates(title: str, seconds: Mapping[str, list[float]], count: int) -> None:
    """One row per run against the first; the pipeline (c) is held to the target."""
    baseline, *_ = seconds
    base = _rate(seconds[baseline], count)
    print(f"\n{title}")
    print(f"| {'':<48} | texts/s | s per round   | x raw        |")
    print(f"|{'-' * 50}|---------|---------------|--------------|")
    for name, values in seconds.items():
        ratio = _rate(values, count) / base
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
        "(b) SentenceTransformerEmbedder": _embedder(embedder, texts, size),
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


# --- Part 2: other runtimes -------------------------------------------------------------------

Run = Callable[[dict[str, NDArray[np.int64]]], NDArray[np.float32]]  # inputs -> token vectors


class RuntimeEmbedder:
    """The same tokenizer, prompts, length-sorted batches, mean pooling and L2 normalisation as
    sentence-transformers, around another runtime's forward pass."""

    def __init__(self, reference: SentenceTransformerEmbedder, run: Run, label: str) -> None:
        self.name = reference.name
        self.version = f"{reference.version}+{label}"
        self.dimension = reference.dimension
        self._tokenizer = reference.model.tokenizer
        self._max_length = reference.model.max_seq_length or 512
        self._prompts = {name: text or "" for name, text in reference.model.prompts.items()}
        self._run = run

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int) -> Vectors:
        prefixed = [self._prompts.get(prompt, "") + text for text in texts]
        order = np.argsort([-len(text) for text in prefixed], kind="stable")
        out = np.empty((len(prefixed), self.dimension), dtype=np.float32)
        for start in range(0, len(prefixed), batch_size):
            rows = order[start : start + batch_size]
            inputs = self._tokenizer(
                [prefixed[i] for i in rows],
                padding=True,
                truncation=True,
                max_length=self._max_length,
                return_tensors="np",
            )
            feed = {name: np.asarray(inputs[name], dtype=np.int64) for name in _INPUTS}
            tokens = self._run(feed)
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            out[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out

    def encode_queries(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        return self._encode(texts, "query", batch_size)

    def encode_documents(self, texts: Sequence[str], *, batch_size: int = 32) -> Vectors:
        return self._encode(texts, "document", batch_size)


_INPUTS = ("input_ids", "attention_mask")


class _TokenVectors(torch.nn.Module):
    """The transformer alone, keyword arguments in, last hidden state out (for the export)."""

    def __init__(self, inner: torch.nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        output = self.inner(input_ids=input_ids, attention_mask=attention_mask)
        hidden: torch.Tensor = output.last_hidden_state
        return hidden


def export_onnx(embedder: SentenceTransformerEmbedder, folder: Path) -> Path:
    """The transformer of the loaded (local) model as an ONNX graph, exported once per version."""
    path = folder / embedder.version.replace("==", "-") / "model.onnx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    transformer = embedder.model[0].auto_model
    if not isinstance(transformer, torch.nn.Module):
        raise TypeError(f"cannot export a {type(transformer).__name__}")
    sample = embedder.model.tokenizer(
        ["passage: un exemple de texte", "query: court"], padding=True, return_tensors="pt"
    )
    partial = path.with_suffix(".partial")
    with warnings.catch_warnings():  # the tracer's notes on a graph it handles correctly
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _TokenVectors(transformer).eval(),
            (sample["input_ids"], sample["attention_mask"]),
            str(partial),
            input_names=list(_INPUTS),
            output_names=["token_vectors"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*_INPUTS, "token_vectors")},
            opset_version=17,  # the legacy (TorchScript) exporter: no onnxscript needed
            dynamo=False,
        )
    partial.replace(path)
    return path


def quantized_onnx(source: Path) -> Path:
    """Dynamic int8 quantisation (per channel) of the exported graph, once."""
    quantization: Any = importlib.import_module("onnxruntime.quantization")
    path = source.with_name("model_qint8.onnx")
    if not path.exists():
        partial = path.with_suffix(".partial")
        quantization.quantize_dynamic(
            source, partial, weight_type=quantization.QuantType.QInt8, per_channel=True
        )
        partial.replace(path)
    return path


def onnx_runtime(graph: Path) -> Run:
    ort: Any = importlib.import_module("onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()  # as many threads as torch uses
    session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def run(feed: dict[str, NDArray[np.int64]]) -> NDArray[np.float32]:
        tokens: NDArray[np.float32] = session.run(None, feed)[0]
        return tokens

    return run


def openvino_runtime(graph: Path, *, f32: bool) -> tuple[Run, str]:
    """OpenVINO on the CPU and the precision it runs at: its default (bf16 where the CPU has
    it), or f32."""
    ov: Any = importlib.import_module("openvino")
    config: dict[str, Any] = {"INFERENCE_NUM_THREADS": torch.get_num_threads()}
    if f32:
        config["INFERENCE_PRECISION_HINT"] = "f32"
    compiled = ov.Core().compile_model(str(graph), "CPU", config)
    request = compiled.create_infer_request()

    def run(feed: dict[str, NDArray[np.int64]]) -> NDArray[np.float32]:
        request.infer(feed)
        tokens: NDArray[np.float32] = np.array(request.get_output_tensor(0).data, copy=True)
        return tokens

    return run, compiled.get_property("INFERENCE_PRECISION_HINT").get_type_name()


def _runtime(name: str, graph: Path) -> tuple[Run, str]:
    if name == "onnx":
        return onnx_runtime(graph), "onnxruntime, fp32 graph exported from torch"
    if name == "onnx-int8":
        return onnx_runtime(quantized_onnx(graph)), "onnxruntime, dynamic int8 per channel"
    f32 = name == "openvino-f32"
    run, precision = openvino_runtime(graph, f32=f32)
    hint = "f32 asked" if f32 else "default"
    return run, f"OpenVINO on that graph, {hint}: runs at {precision}"


_ST_BACKENDS: dict[str, Literal["onnx", "openvino"]] = {
    "st-onnx": "onnx",
    "st-openvino": "openvino",
}


@dataclass(frozen=True)
class Backend:
    name: str
    embedder: Embedder
    how: str
    load_seconds: float


def load_backend(
    name: str, torch_embedder: SentenceTransformerEmbedder, settings: Settings, export_dir: Path
) -> Backend:
    """Raises whatever stops that runtime (missing package, failed export): the caller skips."""
    started = time.perf_counter()
    if name == "torch":
        return Backend(name, torch_embedder, "SentenceTransformer, backend='torch'", 0.0)
    embedder: Embedder
    if name in _ST_BACKENDS:
        spec = embedders.model_spec(torch_embedder.name)
        embedder = SentenceTransformerEmbedder(
            spec, settings.model_cache_dir, backend=_ST_BACKENDS[name]
        )
        how = f"SentenceTransformer, backend={_ST_BACKENDS[name]!r}"
    else:
        run, how = _runtime(name, export_onnx(torch_embedder, export_dir))
        embedder = RuntimeEmbedder(torch_embedder, run, name)
    return Backend(name, embedder, how, time.perf_counter() - started)


@dataclass(frozen=True)
class Agreement:
    mean_cosine: float
    min_cosine: float
    overlap: float  # mean share of the torch top 10 found in this runtime's top 10

    @property
    def keeps_results(self) -> bool:
        return self.mean_cosine >= MIN_COSINE and self.overlap >= MIN_OVERLAP


def _vectors(embedder: Embedder, texts: Texts, batch_size: int) -> Vectors:
    """Profiles as documents, then needs as queries, in one matrix."""
    return np.vstack(
        [
            embedder.encode_documents(texts.profiles, batch_size=batch_size),
            embedder.encode_queries(texts.needs, batch_size=batch_size),
        ]
    )


def _top(vectors: Vectors, texts: Texts) -> NDArray[np.intp]:
    """Each need's top 10 profiles by cosine."""
    profiles, needs = vectors[: len(texts.profiles)], vectors[len(texts.profiles) :]
    return np.argsort(-(needs @ profiles.T), axis=1, kind="stable")[:, :TOP_K]


def agreement(
    reference: tuple[Vectors, Vectors], other: tuple[Vectors, Vectors], labelled: Texts
) -> Agreement:
    """Row cosines on the benchmark texts and the labelled set; top-10 overlap on the latter.

    Each pair is (benchmark texts, labelled set) as `_vectors` returns them.
    """
    cosines = np.concatenate([np.sum(r * o, axis=1) for r, o in zip(reference, other, strict=True)])
    ours, theirs = _top(reference[1], labelled), _top(other[1], labelled)
    overlap = np.mean([len(set(a) & set(b)) / TOP_K for a, b in zip(ours, theirs, strict=True)])
    return Agreement(float(cosines.mean()), float(cosines.min()), float(overlap))


def labelled_texts(settings: Settings) -> Texts:
    """The labelled FR/EN set (docs/matching-quality.md): its profiles and its needs."""
    labelled = load_matching_set(settings.data_dir)
    return Texts([p.text for p in labelled.profiles], [n.text for n in labelled.needs])


def _load_all(
    names: Sequence[str],
    torch_embedder: SentenceTransformerEmbedder,
    settings: Settings,
    export_dir: Path,
) -> list[Backend]:
    loaded: list[Backend] = []
    for name in names:
        try:
            loaded.append(load_backend(name, torch_embedder, settings, export_dir))
        except Exception as exc:  # any reason a runtime cannot run here is reported, not fatal
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(f"{name}: skipped ({type(exc).__name__}: {reason})")
    return loaded


def backends(
    torch_embedder: SentenceTransformerEmbedder,
    settings: Settings,
    args: argparse.Namespace,
    texts: Texts,
) -> None:
    names = ["torch", *(n for n in args.backends if n != "torch")]
    loaded = _load_all(names, torch_embedder, settings, args.export_dir)
    size = settings.embedding_batch_size
    labelled = labelled_texts(settings)
    vectors = {
        b.name: (_vectors(b.embedder, texts, size), _vectors(b.embedder, labelled, size))
        for b in loaded
    }
    seconds = interleaved({b.name: _embedder(b.embedder, texts, size) for b in loaded}, args.rounds)
    base = _rate(seconds["torch"], len(texts))
    print(
        f"\nRuntimes, {len(texts)} texts, batch {size}, median of {args.rounds} interleaved "
        f"rounds; cosine to torch on {len(texts) + len(labelled)} texts, top-{TOP_K} overlap "
        f"on {len(labelled.needs)} labelled needs x {len(labelled.profiles)} profiles"
    )
    print(
        "| runtime      | texts/s | x torch | mean cos | min cos | top-10 | keeps | load s | how |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for b in loaded:
        rate = _rate(seconds[b.name], len(texts))
        agreed = agreement(vectors["torch"], vectors[b.name], labelled)
        keeps = "yes" if agreed.keeps_results else "NO"
        print(
            f"| {b.name:<12} | {rate:7.1f} | {rate / base:7.2f} | {agreed.mean_cosine:8.5f} "
            f"| {agreed.min_cosine:7.5f} | {agreed.overlap:6.3f} | {keeps:<5} "
            f"| {b.load_seconds:6.1f} | {b.how} |"
        )
    print(
        f"(keeps = mean cosine >= {MIN_COSINE} and top-{TOP_K} overlap >= {MIN_OVERLAP}; "
        f"worth integrating at >= {FASTER}x torch and keeps = yes)"
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
