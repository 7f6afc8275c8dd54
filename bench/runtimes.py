"""Other runtimes than torch for the embedder, measured against torch in the same run (part 2
of `python -m bench.encoding`, option `--backends`).

From the built folder only: ONNX and OpenVINO forms are converted once from the local torch
weights into the export folder, never downloaded. For each runtime: texts per second, and
whether the results hold (mean cosine to the torch vectors >= 0.99, top-10 overlap of the
labelled set's needs against its profiles >= 0.9). The same tokenizer, prompts, batches and
pooling run around each runtime. A runtime that cannot run here (package missing,
sentence-transformers' own backends needing `optimum`) is skipped with its reason.
"""

import argparse
import importlib
import shutil
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import torch
from numpy.typing import NDArray

from bench.rounds import Texts, embedder_run, interleaved, rate
from config import Settings
from matching import embedders
from matching.embedders import Embedder, SentenceTransformerEmbedder, Vectors
from matching.evaluation.ranking import load_matching_set

MIN_COSINE, MIN_OVERLAP, TOP_K = 0.99, 0.9, 10  # a runtime "keeps the results"
FASTER = 1.3  # worth integrating
BACKENDS = ("torch", "onnx", "onnx-int8", "openvino", "openvino-f32", "st-onnx", "st-openvino")

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

    def encode_query_parts(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[Vectors, list[Vectors]]:
        # Runtimes are compared on whole texts only; parts are encoded on their own here.
        return self.encode_queries(texts), [
            self.encode_queries([text[a:b] for a, b in found])
            if found
            else np.empty((0, self.dimension), dtype=np.float32)
            for text, found in zip(texts, spans, strict=True)
        ]


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


def _traceable(
    embedder: SentenceTransformerEmbedder,
) -> tuple[torch.nn.Module, torch.Tensor, torch.Tensor]:
    """The transformer to export, and a sample batch (input ids, attention mask) to trace it."""
    transformer = embedder.model[0].auto_model
    if not isinstance(transformer, torch.nn.Module):
        raise TypeError(f"cannot export a {type(transformer).__name__}")
    sample = embedder.model.tokenizer(
        ["passage: un exemple de texte", "query: court"], padding=True, return_tensors="pt"
    )
    return _TokenVectors(transformer).eval(), sample["input_ids"], sample["attention_mask"]


def _exported(embedder: SentenceTransformerEmbedder, folder: Path, kind: str) -> Path:
    return folder / embedder.version.replace("==", "-") / kind


def export_onnx(embedder: SentenceTransformerEmbedder, folder: Path) -> Path:
    """The transformer of the loaded (local) model as an ONNX graph, exported once per version."""
    path = _exported(embedder, folder, "onnx") / "model.onnx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    module, input_ids, attention_mask = _traceable(embedder)
    partial = path.with_suffix(".partial")
    with warnings.catch_warnings():  # the tracer's notes on a graph it handles correctly
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (input_ids, attention_mask),
            str(partial),
            input_names=list(_INPUTS),
            output_names=["token_vectors"],
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*_INPUTS, "token_vectors")},
            opset_version=17,  # the legacy (TorchScript) exporter: no onnxscript needed
            dynamo=False,
        )
    partial.replace(path)
    return path


def export_openvino(embedder: SentenceTransformerEmbedder, folder: Path) -> Path:
    """The same transformer converted by OpenVINO straight from torch (no ONNX step), fp32
    weights, once per version."""
    ov: Any = importlib.import_module("openvino")
    target = _exported(embedder, folder, "openvino")
    if (target / "openvino_model.xml").exists():
        return target / "openvino_model.xml"
    module, input_ids, attention_mask = _traceable(embedder)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        converted = ov.convert_model(
            module,
            example_input=(input_ids, attention_mask),
            input=[(name, [-1, -1], ov.Type.i64) for name in _INPUTS],
        )
    partial = target.with_name("openvino.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    ov.save_model(converted, str(partial / "openvino_model.xml"), compress_to_fp16=False)
    partial.replace(target)
    return target / "openvino_model.xml"


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


def openvino_runtime(model: Path, *, f32: bool) -> tuple[Run, str]:
    """OpenVINO on the CPU and the precision it runs at: its default (bf16 where the CPU has
    it), or f32."""
    ov: Any = importlib.import_module("openvino")
    config: dict[str, Any] = {"INFERENCE_NUM_THREADS": torch.get_num_threads()}
    if f32:
        config["INFERENCE_PRECISION_HINT"] = "f32"
    compiled = ov.Core().compile_model(str(model), "CPU", config)
    request = compiled.create_infer_request()

    def run(feed: dict[str, NDArray[np.int64]]) -> NDArray[np.float32]:
        request.infer(feed)
        tokens: NDArray[np.float32] = np.array(request.get_output_tensor(0).data, copy=True)
        return tokens

    return run, compiled.get_property("INFERENCE_PRECISION_HINT").get_type_name()


def _runtime(name: str, embedder: SentenceTransformerEmbedder, folder: Path) -> tuple[Run, str]:
    if name == "onnx":
        return onnx_runtime(export_onnx(embedder, folder)), "onnxruntime, fp32 ONNX export"
    if name == "onnx-int8":
        graph = quantized_onnx(export_onnx(embedder, folder))
        return onnx_runtime(graph), "onnxruntime, dynamic int8 per channel"
    f32 = name == "openvino-f32"
    run, precision = openvino_runtime(export_openvino(embedder, folder), f32=f32)
    hint = "f32 asked" if f32 else "default precision"
    return run, f"OpenVINO, converted from torch, {hint}: runs at {precision}"


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
        run, how = _runtime(name, torch_embedder, export_dir)
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
    seconds = interleaved(
        {b.name: embedder_run(b.embedder, texts, size) for b in loaded}, args.rounds
    )
    base = rate(seconds["torch"], len(texts))
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
        texts_per_s = rate(seconds[b.name], len(texts))
        agreed = agreement(vectors["torch"], vectors[b.name], labelled)
        keeps = "yes" if agreed.keeps_results else "NO"
        print(
            f"| {b.name:<12} | {texts_per_s:7.1f} | {texts_per_s / base:7.2f} "
            f"| {agreed.mean_cosine:8.5f} | {agreed.min_cosine:7.5f} | {agreed.overlap:6.3f} "
            f"| {keeps:<5} | {b.load_seconds:6.1f} | {b.how} |"
        )
    print(
        f"(keeps = mean cosine >= {MIN_COSINE} and top-{TOP_K} overlap >= {MIN_OVERLAP}; "
        f"worth integrating at >= {FASTER}x torch and keeps = yes)"
    )
