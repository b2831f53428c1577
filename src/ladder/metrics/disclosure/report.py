"""Findings of the disclosure audit: withheld values narrowed below the threshold."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ladder.metrics.disclosure.attack import Interval, attack
from ladder.metrics.disclosure.parallel import in_parallel, plain, publications, workers
from ladder.metrics.disclosure.relations import Earlier, Model, Record, build


@dataclass(frozen=True)
class Finding:
    """One withheld value an attacker can narrow to fewer than ``threshold`` possibilities."""

    org: str
    period: int
    what: str
    low: float
    high: float
    exact: bool
    figures: tuple[str, ...]
    why: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "org": self.org,
            "period": self.period,
            "what": self.what,
            "low": self.low,
            "high": None if math.isinf(self.high) else self.high,
            "exact": self.exact,
            "figures": list(self.figures),
            "why": list(self.why),
        }


@dataclass(frozen=True)
class Audit:
    """Every finding of one audit, and how much was looked at."""

    findings: list[Finding]
    withheld: int
    relations: int
    threshold: int
    publications: list[tuple[str, int, int, int]] = field(default_factory=list)
    """(org, period, figures withheld, figures) of each publication audited."""

    @property
    def exact(self) -> list[Finding]:
        """Findings recovered to one value."""
        return [f for f in self.findings if f.exact]

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            "withheld_values": self.withheld,
            "relations": self.relations,
            "findings": len(self.findings),
            "exact": len(self.exact),
            "publications": [
                {"org": o, "period": p, "withheld": w, "figures": n}
                for o, p, w, n in self.publications
            ],
            "items": [f.to_dict() for f in self.findings],
        }


def narrowed(interval: Interval, model: Model, threshold: int) -> bool:
    """Fewer than ``threshold`` possible values (counts); one value (pay sums)."""
    if model.keys[interval.variable][0] == "paysum":
        return math.isfinite(interval.high) and interval.high - interval.low <= 1e-6 * max(
            1.0, abs(interval.high)
        )
    return interval.high - interval.low + 1 < threshold


def audit(
    published: Sequence[Record],
    truth: Sequence[Record],
    threshold: int,
    *,
    exhaustive: bool = False,
    previous: Earlier | None = None,
) -> Audit:
    """Attack the publication ``published`` (``truth``: the same records unsuppressed;
    ``previous``: what an earlier publication published, known to the attacker).

    Each publication (organisation, period) is attacked on its own — no relation links two —
    in worker processes when there are many (:mod:`ladder.metrics.disclosure.parallel`)."""
    if len(published) != len(truth):
        raise ValueError("published and true records differ in number")
    groups = publications(truth)
    n = workers(len(groups), len(truth))
    jobs = []
    for positions in groups:
        pub = [published[p] for p in positions]
        true = [truth[p] for p in positions]
        if n > 1:  # only what the model reads goes to a worker
            pub, true = [plain(r) for r in pub], [plain(r) for r in true]
        org = true[0]["org"]
        earlier = None if previous is None else {k: v for k, v in previous.items() if k[1] == org}
        jobs.append((pub, true, threshold, exhaustive, earlier or None))
    found: list[tuple[list[Finding], int, int]] = in_parallel(audit_one, jobs, n)
    return Audit(
        [f for one in found for f in one[0]],
        sum(one[1] for one in found),
        sum(one[2] for one in found),
        threshold,
        withheld(published),
    )


def audit_one(
    published: Sequence[Record],
    truth: Sequence[Record],
    threshold: int,
    exhaustive: bool = False,
    previous: Earlier | None = None,
) -> tuple[list[Finding], int, int]:
    """(findings, withheld values, relations) of one publication (:func:`audit`)."""
    model = build(published, truth, previous)
    return _findings(model, threshold, exhaustive=exhaustive)


def audit_model(
    model: Model, published: Sequence[Record], threshold: int, *, exhaustive: bool = False
) -> Audit:
    """The audit of a model built by the caller (``published``: its published records, for
    the count of figures withheld): every sensitive value the attack narrows, and every
    sensitive value published outright."""
    findings, values, relations = _findings(model, threshold, exhaustive=exhaustive)
    return Audit(findings, values, relations, threshold, withheld(published))


def _findings(
    model: Model, threshold: int, *, exhaustive: bool = False
) -> tuple[list[Finding], int, int]:
    """(findings, withheld values, relations) of a model (:func:`audit_model`)."""
    findings: list[Finding] = []
    sensitive = {i for i in model.withheld if model.sensitive(i, threshold)}
    for interval in attack(model, exhaustive=exhaustive, worth=sensitive.__contains__):
        if not model.sensitive(interval.variable, threshold):
            continue  # a total, a zero or a count ≥ threshold: publishable as it is
        if not narrowed(interval, model, threshold):
            continue
        kind, org, period, _universe, _conds = model.keys[interval.variable]
        low, high = interval.low, interval.high
        if kind == "count":
            low, high = float(math.ceil(low - 1e-6)), float(math.floor(high + 1e-6))
        findings.append(
            Finding(
                org=org,
                period=period,
                what=model.label(interval.variable),
                low=low,
                high=high,
                exact=abs(high - low) <= 1e-6 * max(1.0, abs(high)),
                figures=tuple(dict.fromkeys(model.withheld[interval.variable])),
                why=interval.why,
            )
        )
    for i, value in model.known.items():
        if i in model.withheld or not model.sensitive(i, threshold):
            continue
        kind, org, period, _universe, _conds = model.keys[i]
        findings.append(
            Finding(org, period, model.label(i), value, value, True, (), ("published",))
        )
    return findings, len(model.withheld), len(model.relations)


def withheld(published: Sequence[Record]) -> list[tuple[str, int, int, int]]:
    """(org, period, figures withheld, figures) of each publication, in order."""
    cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for r in published:
        cell = cells[(r["org"], int(r["period"]))]
        cell[0] += 1 if r["suppressed"] else 0
        cell[1] += 1
    return [(o, p, w, n) for (o, p), (w, n) in sorted(cells.items())]
