"""Text embeddings: the small static WordLlama model whose weights ship inside its wheel.

Nothing is downloaded: :func:`model` loads the packaged ``l2_supercat`` weights (256
dimensions) from the installed package and refuses to fall back to a download. Embeddings
are unit vectors (float32), so a dot product is the cosine similarity. :class:`Cache` keeps
the vector of each distinct text (by its SHA-256), so openings are embedded once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

MODEL_CONFIG = "l2_supercat"
MODEL_DIM = 256
MODEL_NAME = f"wordllama {MODEL_CONFIG} ({MODEL_DIM} dimensions, weights in the wheel)"


class ModelMissing(RuntimeError):
    """The packaged weights cannot be found (install the pinned ``wordllama``)."""


def _package_dir() -> Path:
    import wordllama

    return Path(wordllama.__file__).resolve().parent


def model_files() -> tuple[Path, Path]:
    """(weights, tokenizer) inside the installed wordllama package."""
    root = _package_dir()
    return (
        root / "weights" / f"{MODEL_CONFIG}_{MODEL_DIM}.safetensors",
        root / "tokenizers" / f"{MODEL_CONFIG}_tokenizer_config.json",
    )


@cache
def model() -> Any:
    """The WordLlama model, built from the files inside the installed package only.

    (``WordLlama.load`` looks for the tokenizer in a folder the wheel does not use and would
    fetch it from the Hugging Face hub; building the inference object from the packaged
    weights and tokenizer reads nothing else.)
    """
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    weights, tokenizer = model_files()
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ModelMissing(
                f"{path} is missing: reinstall wordllama (constraints.txt pins the version "
                "whose wheel ships its weights)"
            )
    with safe_open(str(weights), framework="np", device="cpu") as handle:
        matrix = handle.get_tensor("embedding.weight")
    return WordLlamaInference(matrix, Tokenizer.from_file(str(tokenizer)), binary=False)


def embed(texts: Sequence[str]) -> Vectors:
    """Unit vectors of ``texts`` (an empty text gives the zero vector)."""
    if not texts:
        return np.zeros((0, MODEL_DIM), dtype=np.float32)
    raw = np.asarray(model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(raw, axis=1, keepdims=True)
    out: Vectors = np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)
    return out


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """The vector of each distinct text, computed once per process."""

    def __init__(self) -> None:
        self._vectors: dict[str, Vectors] = {}

    def __len__(self) -> int:
        return len(self._vectors)

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors of ``texts``, embedding only those not seen before."""
        keys = [text_key(t) for t in texts]
        missing: dict[str, str] = {}
        for k, t in zip(keys, texts, strict=True):
            if k not in self._vectors and k not in missing:
                missing[k] = t
        if missing:
            fresh = embed(list(missing.values()))
            for k, vec in zip(missing, fresh, strict=True):
                self._vectors[k] = vec
        if not keys:
            return np.zeros((0, MODEL_DIM), dtype=np.float32)
        return np.vstack([self._vectors[k] for k in keys])
