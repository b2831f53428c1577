"""Build the cell key perturbation table (ptable) shipped with Ladder.

    .venv/bin/python scripts/build_ptable.py  # writes src/ladder/reference/data/ptable_cellkey.csv

The table follows the ONS cell key method used for Census 2021 (and the ``ptable`` package of
the sdcTools project, "maximum entropy" ptables): for each original cell value ``i`` a
distribution of perturbations ``j`` (the published value is ``i + j``) such that

* ``|j| <= D`` (:data:`D` = 5, the maximum perturbation);
* a zero stays zero (row 0 is ``j = 0`` with probability 1);
* no published value is from 1 to :data:`JS` (= 2): ones and twos never appear as such;
* the perturbation is unbiased (mean 0) and its variance is :data:`V` (= 3) where the allowed
  values let it be;
* among such distributions, the one of maximum entropy: ``p(j) ∝ exp(a·j + b·j²)`` over the
  allowed perturbations.

Values ``i >= IMAX`` (= D + JS + 1 = 8) all use the last row. The probabilities are then
quantised to multiples of 1/256 (the cell key is 0..255, so a probability of ``c/256`` is
``c`` cell keys), with the quantised mean put back to exactly 0; the achieved variance of each
row is written in the README table. A row's cell-key intervals are in increasing ``j``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from scipy.optimize import root

D = 5
"""Maximum perturbation."""
V = 3.0
"""Target variance of the perturbation."""
JS = 2
"""Published values 1..JS never appear."""
IMAX = D + JS + 1
"""Rows 0..IMAX; a value above IMAX uses row IMAX."""
KEYS = 256
"""Cell keys 0..KEYS−1."""

OUT = Path(__file__).resolve().parents[1] / "src/ladder/reference/data/ptable_cellkey.csv"


def support(i: int) -> list[int]:
    """Allowed perturbations of value ``i``."""
    if i == 0:
        return [0]
    return [j for j in range(-min(i, D), D + 1) if not 1 <= i + j <= JS]


def max_entropy(js: list[int]) -> np.ndarray:
    """p(j) ∝ exp(a·j + b·j²) with mean 0 and variance V over ``js``."""
    x = np.asarray(js, dtype=float)
    if len(x) == 1:
        return np.ones(1)

    def probs(params: np.ndarray) -> np.ndarray:
        z = params[0] * x + params[1] * x * x
        w = np.exp(z - z.max())
        return w / w.sum()

    def equations(params: np.ndarray) -> list[float]:
        p = probs(params)
        return [float(p @ x), float(p @ (x * x)) - V]

    found = root(equations, np.array([0.0, -1.0 / (2 * V)]), method="hybr")
    if not found.success:  # pragma: no cover - the parameters above are feasible
        raise RuntimeError(f"no max-entropy row for {js}: {found.message}")
    return probs(found.x)


def quantise(js: list[int], p: np.ndarray) -> list[int]:
    """Counts of cell keys (sum KEYS) per perturbation, mean exactly 0."""
    raw = p * KEYS
    counts = np.floor(raw).astype(int)
    for k in np.argsort(-(raw - counts))[: KEYS - counts.sum()]:
        counts[k] += 1
    x = np.asarray(js)
    for _ in range(10 * KEYS):
        bias = int(counts @ x)
        if bias == 0:
            break
        best: tuple[float, int, int] | None = None
        for a in range(len(js)):  # move one key from js[a] to its neighbour js[b]
            b = a - 1 if bias > 0 else a + 1
            if counts[a] == 0 or not 0 <= b < len(js):
                continue
            trial = counts.copy()
            trial[a] -= 1
            trial[b] += 1
            var = float(trial @ (x * x)) / KEYS
            score = (abs(int(trial @ x)), abs(var - V))
            if best is None or score < best[:2]:
                best = (*score, a)  # type: ignore[assignment]
        if best is None:  # pragma: no cover
            raise RuntimeError("cannot unbias")
        a = best[2]
        b = a - 1 if bias > 0 else a + 1
        counts[a] -= 1
        counts[b] += 1
    if int(counts @ x) != 0:  # pragma: no cover
        raise RuntimeError(f"row {js} keeps a bias")
    return [int(c) for c in counts]


def rows() -> list[dict[str, int | float]]:
    out: list[dict[str, int | float]] = []
    for i in range(IMAX + 1):
        js = support(i)
        counts = quantise(js, max_entropy(js))
        lo = 0
        for j, c in zip(js, counts, strict=True):
            if c == 0:
                continue
            out.append(
                {
                    "i": i,
                    "j": j,
                    "p": round(c / KEYS, 10),
                    "v": i + j,
                    "ckey_lo": lo,
                    "ckey_hi": lo + c - 1,
                }
            )
            lo += c
        assert lo == KEYS
    return out


def main() -> None:
    table = rows()
    with OUT.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    for i in range(IMAX + 1):
        mine = [r for r in table if r["i"] == i]
        mean = sum(float(r["p"]) * float(r["j"]) for r in mine)
        var = sum(float(r["p"]) * float(r["j"]) ** 2 for r in mine) - mean**2
        print(f"| {i}{'+' if i == IMAX else ''} | {mean:.4f} | {var:.4f} |")
    print(f"wrote {OUT} ({len(table)} rows)")


if __name__ == "__main__":
    main()
