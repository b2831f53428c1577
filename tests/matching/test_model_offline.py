"""The embedding model loads from the wheel with the network disabled and no cache."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from ladder.matching import embed


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("the model tried to use the network")


def test_the_model_loads_with_the_network_disabled(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    monkeypatch.setenv("HOME", str(tmp_path))  # no cache of an earlier download to fall on
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    embed.model.cache_clear()
    try:
        vectors = embed.embed(
            ["caring for patients on a ward", "looking after people in hospital", "", "a porter"]
        )
    finally:
        embed.model.cache_clear()
    assert vectors.shape == (4, embed.MODEL_DIM)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert not vectors[2].any()  # an empty text is the zero vector
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[3])  # it reads meaning
    assert list(tmp_path.iterdir()) == []  # nothing was written to a cache either


def test_the_cache_embeds_each_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = embed.embed

    def counted(texts: list[str]) -> np.ndarray:  # type: ignore[type-arg]
        calls.append(len(texts))
        return real(texts)

    monkeypatch.setattr(embed, "embed", counted)
    cache = embed.Cache()
    first = cache.vectors(["a porter", "a nurse", "a porter"])
    again = cache.vectors(["a nurse"])
    assert calls == [2]
    assert np.array_equal(first[1], again[0]) and np.array_equal(first[0], first[2])
