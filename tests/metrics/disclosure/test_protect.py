"""The protection: one suppression pattern over linked tables that the audit cannot break."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ladder.metrics.disclosure.notes import WITHHELD
from ladder.metrics.disclosure.protect import apply, protect
from ladder.metrics.disclosure.report import audit
from ladder.metrics.results import Measure, Result, Unit


def cell(group: str, band: str, n: int, total: int, rid: str = "representation.sex") -> Result:
    return Result(
        id=rid,
        title="t",
        org="X",
        period=2024,
        measure=Measure.SHARE,
        unit=Unit.PERCENT,
        value=100 * n / total if total else None,
        method="m",
        group=group,
        breakdown={"pay_band": band},
        numerator=n,
        denominator=total,
    )


def grid(counts: list[list[int]], rid: str = "representation.sex") -> list[Result]:
    """A groups × bands table with its margins: each band's cells (share of the band) and
    each group's cell over all bands (share of everyone)."""
    groups = [f"g{i}" for i in range(len(counts))]
    bands = [f"b{j}" for j in range(len(counts[0]))]
    out = []
    for j, band in enumerate(bands):
        total = sum(row[j] for row in counts)
        out += [cell(g, band, counts[i][j], total, rid) for i, g in enumerate(groups)]
    grand = sum(map(sum, counts))
    out += [cell(g, "all", sum(counts[i]), grand, rid) for i, g in enumerate(groups)]
    return out


def published(results: list[Result]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [r.to_dict() for r in apply(results, 10)], [r.to_dict() for r in results]


def test_a_lone_small_cell_gets_a_complement_and_reads_like_it() -> None:
    """Band of 30: 4 men, 26 women; all bands 60: 34 women and 26 men ... the 4 would
    be 30 − 26 with the total published, so the 26 is withheld too, and both read the same."""
    results = grid([[4, 22], [26, 8]])
    pub, truth = published(results)
    assert [r["suppressed"] for r in pub[:2]] == [True, True]
    assert pub[0]["note"] == pub[1]["note"] == WITHHELD
    assert pub[0]["flags"] == pub[1]["flags"] == ["suppressed"]
    assert audit(pub, truth, 10).findings == []


def test_a_population_shared_by_two_tables_is_withheld_in_both() -> None:
    """The same 4 people are a cell of representation.sex and of wres.1 (same population,
    same key): withheld in both, whatever the table."""
    results = [*grid([[4, 22], [26, 8]]), *grid([[4, 22], [26, 8]], rid="wdes.1")]
    pub, truth = published(results)
    small = [p for p, t in zip(pub, truth, strict=True) if t["numerator"] == 4]
    assert len(small) == 2 and all(p["suppressed"] for p in small)
    assert audit(pub, truth, 10).findings == []


def test_nested_groups_protect_the_child_mean() -> None:
    """White n = 133, White British n = 126: Other White (7) is withheld with its mean,
    and so is one more figure, so neither its count nor its pay sum follows."""

    def mean(group: str, n: int, value: float) -> Result:
        return Result(
            id="paygap.ethnicity.hourly_pay.mean",
            title="t",
            org="X",
            period=2024,
            measure=Measure.MEAN,
            unit=Unit.GBP,
            value=value,
            method="m",
            group=group,
            denominator=n,
        )

    results = [
        mean("White", 133, 30.0),
        mean("White British", 126, 29.95),
        mean("Other White", 7, (133 * 30 - 126 * 29.95) / 7),
    ]
    pub, truth = published(results)
    assert pub[2]["suppressed"] and pub[2]["value"] is None
    assert sum(r["suppressed"] for r in pub) == 2
    assert audit(pub, truth, 10).findings == []


def test_nothing_small_nothing_withheld() -> None:
    results = grid([[14, 22], [26, 18]])
    pub, _ = published(results)
    assert not any(r["suppressed"] for r in pub)
    assert protect([r.__dict__ for r in results], 10).withheld == frozenset()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 25), min_size=2, max_size=4), min_size=2, max_size=4).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_the_audit_recovers_no_small_count_from_a_protected_table(
    counts: list[list[int]],
) -> None:
    """Random small tables with margins: after the protection, the audit (even with the LP
    on every withheld value, against a protection that checked the same) narrows no count
    from 1 to 9 below 10 possible values."""
    results = grid(counts)
    records = [r.__dict__ for r in results]
    found = protect(records, 10, exhaustive=True)
    truth = [r.to_dict() for r in results]
    pub = [
        {**t, "suppressed": True, "numerator": None, "denominator": None, "value": None}
        if pos in found.withheld
        else t
        for pos, t in enumerate(truth)
    ]
    assert audit(pub, truth, 10, exhaustive=True).findings == []
    small = {pos for pos, t in enumerate(truth) if 0 < t["numerator"] < 10}
    assert small <= found.withheld


def test_one_leaver_between_two_periods_is_not_isolated() -> None:
    """The same trust as 2024 and as 2025 less one leaver (group g0, band b0): every
    population the leaver left changed by 1, so each is withheld in 2025 — the leaver's cell,
    group and band — and the audit, knowing the 2024 publication, isolates nobody. Without
    the 2024 publication taken into account, the 2025 figures would give the leaver away."""
    from dataclasses import replace

    from ladder.metrics.disclosure.relations import published_values

    before = grid([[40, 30], [25, 35]])
    after = [replace(r, period=2025) for r in grid([[39, 30], [25, 35]])]
    earlier = published_values([r.to_dict() for r in apply(before, 10)])
    assert not any(r["suppressed"] for r in [r.to_dict() for r in apply(before, 10)])
    naive = [r.to_dict() for r in apply(after, 10)]
    truth = [r.to_dict() for r in after]
    assert not any(r["suppressed"] for r in naive)  # nothing small in 2025 alone …
    leak = audit(naive, truth, 10, previous=earlier)
    assert len(leak.findings) > 0  # … but the change from 2024 is one person
    shown = [r.to_dict() for r in apply(after, 10, previous=earlier)]
    leaver = [s for s, t in zip(shown, truth, strict=True) if t["numerator"] == 39]
    assert leaver and all(r["suppressed"] for r in leaver)
    assert audit(shown, truth, 10, previous=earlier).findings == []
    assert audit(shown, truth, 10, exhaustive=True, previous=earlier).findings == []


def test_the_frame_step_withholds_what_the_list_step_does() -> None:
    """``apply_frame`` (frame in, frame out: the runner's column-wise call point) gives the
    frame of ``apply``'s results, row for row."""
    from ladder.metrics.disclosure.protect import apply_frame
    from ladder.metrics.table import results_frame

    results = [*grid([[4, 22], [26, 8]]), *grid([[40, 30], [25, 3]], rid="wdes.1")]
    expected = results_frame(apply(results, 10))
    got = apply_frame(results_frame(results), 10)
    assert got.to_dicts() == expected.to_dicts()
    assert got["suppressed"].sum() > 0
