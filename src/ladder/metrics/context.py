"""What an indicator computes from: the loaded datasets on one engine, and the settings."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import narwhals as nw

from ladder.engines import EngineName
from ladder.metrics.settings import Settings

T = TypeVar("T")


@dataclass
class Context:
    """Canonical datasets (Narwhals LazyFrames with a ``period`` column) and settings.

    ``period`` is the reporting year ending 31 March (see docs/indicators.md): a staff
    snapshot of 31 March 2024, applications, training and cases dated April 2023 to March
    2024, and the staff survey of autumn 2023 all belong to period 2024.
    """

    frames: dict[str, nw.LazyFrame[Any]]
    engine: EngineName = EngineName.polars
    settings: Settings = field(default_factory=Settings)
    _memo: dict[str, object] = field(default_factory=dict, repr=False)
    _locks: dict[str, threading.Lock] = field(default_factory=dict, repr=False, compare=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per run: intermediate tables shared by several indicators.

        Thread-safe: when several threads ask for the same key, one computes it (under that
        key's lock) and the others wait for its table; different keys compute in parallel.
        """
        if key in self._memo:
            return cast(T, self._memo[key])
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._memo:
                self._memo[key] = compute()
        return cast(T, self._memo[key])

    def memoised(self, key: str) -> object | None:
        """What :meth:`memo` keeps under ``key`` (None when nothing is kept yet)."""
        return self._memo.get(key)

    def has(self, kind: str) -> bool:
        return kind in self.frames

    def frame(self, kind: str) -> nw.LazyFrame[Any]:
        return self.frames[kind]
