"""Ranking across entrants: ties share a rank (1, 1, 3), a published top N with the rest
anonymous, sector highlights, movement since the previous period, and each rank's stability.

Stability: the ranking is recomputed ``draws`` times under reasonable changes to the method,
seeded so that the same seed gives the same intervals:

- ``weights`` (default): each section's weight is multiplied by ``exp(spread × z)``, z
  standard normal, independently per section and draw (a log-normal perturbation: with
  spread 0.25 a weight mostly moves within about ×0.6 to ×1.6);
- ``bootstrap``: within each section the questions are resampled with replacement (a
  section score is then the resampled points over the resampled maximum).

``rank_low``-``rank_high`` is the central 95% of an entrant's ranks over the draws, widened
to include its published rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ladder.frameworks.scoring import Score

Method = Literal["weights", "bootstrap"]
DECIMALS = 2
"""Scores are compared as published (2 decimals): equal published scores share a rank."""


def competition_ranks(scores: Sequence[float]) -> list[int]:
    """Standard competition ranking of ``scores`` (highest first; ties share: 1, 1, 3)."""
    values = np.round(np.asarray(scores, dtype=float), DECIMALS)
    ordered = np.sort(-values)
    return [int(r) + 1 for r in np.searchsorted(ordered, -values, side="left")]


@dataclass(frozen=True)
class Entry:
    org: str
    name: str
    sector: str
    score: float
    rank: int
    rank_low: int
    rank_high: int
    published: bool
    previous_rank: int | None = None

    @property
    def movement(self) -> int | None:
        """Places moved up since the previous period (negative: down)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    def to_dict(self, public: bool = False) -> dict[str, Any]:
        hidden = public and not self.published
        return {
            "org": None if hidden else self.org,
            "name": None if hidden else self.name,
            "sector": self.sector,
            "score": round(self.score, DECIMALS),
            "rank": self.rank,
            "rank_low": self.rank_low,
            "rank_high": self.rank_high,
            "published": self.published,
            "previous_rank": None if hidden else self.previous_rank,
            "movement": None if hidden else self.movement,
        }


@dataclass(frozen=True)
class Ranking:
    framework: str
    period: int
    entries: tuple[Entry, ...]
    top: int
    method: Method
    draws: int
    seed: int
    spread: float

    def highlights(self) -> list[dict[str, Any]]:
        """The best-ranked entrant of each sector (named only when published)."""
        out = []
        for sector in sorted({e.sector for e in self.entries if e.sector}):
            best = min((e for e in self.entries if e.sector == sector), key=lambda e: e.rank)
            out.append(
                {
                    "sector": sector,
                    "rank": best.rank,
                    "org": best.org if best.published else None,
                    "name": best.name if best.published else None,
                    "published": best.published,
                }
            )
        return out

    def to_dict(self, public: bool = False) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "period": self.period,
            "entrants": len(self.entries),
            "published": self.top,
            "stability": {
                "method": self.method,
                "draws": self.draws,
                "seed": self.seed,
                "spread": self.spread if self.method == "weights" else None,
                "interval": "central 95% of ranks over the draws, including the rank",
            },
            "highlights": self.highlights(),
            "entries": [e.to_dict(public) for e in self.entries],
        }


def _ranks_matrix(totals: np.ndarray) -> np.ndarray:
    """Competition ranks of each column (entrants × draws)."""
    out = np.empty(totals.shape, dtype=np.int64)
    rounded = np.round(totals, DECIMALS)
    for j in range(totals.shape[1]):
        ordered = np.sort(-rounded[:, j])
        out[:, j] = np.searchsorted(ordered, -rounded[:, j], side="left") + 1
    return out


def stability(
    scores: Sequence[Score],
    *,
    method: Method = "weights",
    draws: int = 1000,
    seed: int = 0,
    spread: float = 0.25,
) -> list[tuple[int, int]]:
    """(rank_low, rank_high) of each entrant (in the order given), seeded."""
    if not scores:
        return []
    rng = np.random.default_rng(seed)
    k = len(scores[0].sections)
    usable = np.array([s.maximum > 0 for s in scores[0].sections])
    weights = np.array([s.weight for s in scores[0].sections])
    section = np.array([[s.score for s in sc.sections] for sc in scores])  # n × k
    if method == "weights":
        w = weights * np.exp(spread * rng.standard_normal((draws, k))) * usable  # draws × k
        totals = section @ w.T / w.sum(axis=1)
    else:
        totals = np.empty((len(scores), draws))
        points = [
            np.array([[q.points for q in sc.sections[i].questions] for sc in scores])
            for i in range(k)
        ]
        maxima = [np.array([q.maximum for q in scores[0].sections[i].questions]) for i in range(k)]
        for d in range(draws):
            cols = np.zeros((len(scores), k))
            for i in range(k):
                m = maxima[i].size
                pick = rng.integers(0, m, m)
                top = maxima[i][pick].sum()
                cols[:, i] = 100.0 * points[i][:, pick].sum(axis=1) / top if top > 0 else 0.0
            wu = weights * usable
            totals[:, d] = cols @ wu / wu.sum()
    ranks = _ranks_matrix(totals)
    observed = competition_ranks([s.score or 0.0 for s in scores])
    low = np.floor(np.quantile(ranks, 0.025, axis=1, method="inverted_cdf")).astype(int)
    high = np.ceil(np.quantile(ranks, 0.975, axis=1, method="inverted_cdf")).astype(int)
    return [
        (min(int(lo), r), max(int(hi), r)) for lo, hi, r in zip(low, high, observed, strict=True)
    ]


def rank(
    scores: Sequence[Score],
    *,
    top: int = 75,
    period: int | None = None,
    method: Method = "weights",
    draws: int = 1000,
    seed: int = 0,
    spread: float = 0.25,
) -> Ranking:
    """Rank the entrants of ``period`` (default: the latest period among ``scores``)."""
    if not scores:
        raise ValueError("nothing to rank: give at least one answer file")
    if not scores[0].scored:
        raise ValueError(f"{scores[0].framework} is qualitative: it has no score to rank")
    period = period if period is not None else max(s.period for s in scores)
    current = [s for s in scores if s.period == period]
    if not current:
        raise ValueError(f"no submission for period {period}")
    seen: set[str] = set()
    for s in current:
        if s.org in seen:
            raise ValueError(f"{s.org} has more than one submission for {period}")
        seen.add(s.org)
    previous = [s for s in scores if s.period == period - 1]
    before = dict(
        zip(
            [s.org for s in previous],
            competition_ranks([s.score or 0.0 for s in previous]),
            strict=True,
        )
    )
    ranks = competition_ranks([s.score or 0.0 for s in current])
    intervals = stability(current, method=method, draws=draws, seed=seed, spread=spread)
    entries = [
        Entry(
            org=s.org,
            name=s.name or s.org,
            sector=s.sector,
            score=s.score or 0.0,
            rank=r,
            rank_low=lo,
            rank_high=hi,
            published=r <= top,
            previous_rank=before.get(s.org),
        )
        for s, r, (lo, hi) in zip(current, ranks, intervals, strict=True)
    ]
    entries.sort(key=lambda e: (e.rank, e.org))
    return Ranking(scores[0].framework, period, tuple(entries), top, method, draws, seed, spread)
