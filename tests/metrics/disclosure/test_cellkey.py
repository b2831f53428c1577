"""Cell key perturbation (issue 12, item 4): reproducible for a seed, consistent across tables,
zeros kept, ones and twos never published, bounded; off by default; named in every output."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from ladder.cli.app import app
from ladder.metrics.disclosure import cellkey
from ladder.metrics.disclosure.publication import unprotected
from ladder.metrics.disclosure.relations import BOARD, count_keys
from ladder.metrics.inputs import load
from ladder.metrics.runner import run
from ladder.metrics.settings import Settings
from ladder.metrics.stored import settings_key
from tests.metrics.disclosure.conftest import ORG

ROLES = cellkey.ROLES
TABLE = cellkey.ptable()


def perturbed(probe: Path, seed: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    """(perturbed records, the same records true, the perturbation) of ORG's publication."""
    loaded = load(probe, org=ORG, settings=Settings(disclosure="cellkey", seed=seed))
    try:
        raw = [r.to_dict() for r in unprotected(loaded.context)]
        staff = cellkey.staff_frame(loaded.context)
    finally:
        loaded.close()
    done = cellkey.perturb(raw, seed=seed, threshold=10, staff=staff)
    return done.records, raw, done


@pytest.fixture(scope="module")
def seven(probe: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    return perturbed(probe, 7)


def published_counts(
    pub: list[dict[str, Any]], truth: list[dict[str, Any]]
) -> list[tuple[tuple[Any, ...], int, int]]:
    """(population, true count, published count) of every count a figure publishes."""
    out = []
    for p, t in zip(pub, truth, strict=True):
        if t["suppressed"]:
            continue
        keys = count_keys(t)
        for role in ROLES:
            if t[role] is None or p[role] is None:
                continue
            universe, conds = keys.get(role, (f"{t['id']}: {role}", t["breakdown"]))
            population = (t["org"], t["period"], universe, tuple(sorted(conds.items())))
            out.append((population, int(t[role]), int(p[role])))
    return out


# --- The ptable ------------------------------------------------------------------------------


def test_the_ptable_keeps_zero_never_publishes_one_or_two_and_is_unbiased() -> None:
    assert TABLE.d == 5 and TABLE.imax == 8
    assert TABLE.rows[0] == ((0, 255, 0),)
    for i in range(0, 40):
        js = [TABLE.perturbation(i, k) for k in range(256)]
        assert all(abs(j) <= 5 for j in js)
        assert not {i + j for j in js} & {1, 2}
        assert sum(js) == 0  # each row is exactly unbiased over the 256 cell keys
        assert all(i + j >= 0 for j in js)
    big = [TABLE.perturbation(100, k) for k in range(256)]
    assert sum(j * j for j in big) / 256 == pytest.approx(3.0, abs=0.01)
    assert TABLE.variance == pytest.approx(3.0, abs=0.01)


def test_reading_the_ptable_by_hand() -> None:
    """Row 1 of the shipped table: cell keys 0–187 send a 1 to 0, 188–222 to 3."""
    assert TABLE.perturb(1, 0) == 0 and TABLE.perturb(1, 187) == 0
    assert TABLE.perturb(1, 188) == 3 and TABLE.perturb(1, 255) == 6
    assert TABLE.perturb(50, 99) == 50  # row 8+: keys 99–157 leave a count unchanged
    assert TABLE.perturb(50, 0) == 45 and TABLE.perturb(50, 255) == 55


def test_a_ptable_that_leaves_cell_keys_out_is_refused() -> None:
    text = "i,j,p,v,ckey_lo,ckey_hi\n0,0,1.0,0,0,200\n"
    with pytest.raises(ValueError, match="does not cover"):
        cellkey.read_ptable(text)


# --- Keys ------------------------------------------------------------------------------------


def test_record_keys_are_a_keyed_hash_not_the_id() -> None:
    a = cellkey.record_key(1, "RXX", "S001")
    assert a == cellkey.record_key(1, "RXX", "S001")
    assert 0 <= a < 256
    seeds = {cellkey.record_key(s, "RXX", "S001") for s in range(40)}
    orgs = {cellkey.record_key(1, f"R{o:02}", "S001") for o in range(40)}
    assert len(seeds) > 20 and len(orgs) > 20


def test_a_staff_cell_key_is_the_sum_of_its_members_record_keys() -> None:
    staff = pl.DataFrame(
        {
            "org_code": ["X"] * 4,
            "period": [2024] * 4,
            "staff_id": ["a", "b", "c", "d"],
            "sex": ["Female", "Female", "Male", "Female"],
            "pay_band": ["Band 5", "Band 6", "Band 5", "Band 5"],
        }
    )
    keys = cellkey.StaffKeys(staff, 3)
    k = {i: cellkey.record_key(3, "X", i) for i in "abcd"}
    females_band5 = (("pay_band", "Band 5"), ("sex", "Female"))
    assert keys.cell_key("X", 2024, females_band5, 2) == (k["a"] + k["d"]) % 256
    assert keys.cell_key("X", 2024, (), 4) == sum(k.values()) % 256
    assert keys.cell_key("X", 2024, females_band5, 3) is None  # count disagrees: fallback
    assert keys.cell_key("X", 2024, (("religion", "x"),), 1) is None  # not resolvable


@settings(max_examples=60, deadline=None)
@given(
    ids=st.lists(
        st.text("abcdef0123", min_size=1, max_size=6), min_size=2, max_size=30, unique=True
    ),
    cut=st.integers(min_value=1, max_value=29),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_cell_keys_add_over_disjoint_populations(ids: list[str], cut: int, seed: int) -> None:
    """The key of A ∪ B is key(A) + key(B) mod 256 (what makes it a cell *key* method)."""
    cut = min(cut, len(ids) - 1)
    groups = ["A"] * cut + ["B"] * (len(ids) - cut)
    staff = pl.DataFrame({"org_code": "X", "period": 2024, "staff_id": ids, "group": groups})
    keys = cellkey.StaffKeys(staff, seed)
    a = keys.cell_key("X", 2024, (("group", "A"),), cut)
    b = keys.cell_key("X", 2024, (("group", "B"),), len(ids) - cut)
    whole = keys.cell_key("X", 2024, (), len(ids))
    assert a is not None and b is not None and whole == (a + b) % 256


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=10_000),
    key=st.integers(min_value=0, max_value=255),
)
def test_any_count_is_perturbed_within_the_rules(n: int, key: int) -> None:
    out = TABLE.perturb(n, key)
    assert out == TABLE.perturb(n, key)
    assert abs(out - n) <= TABLE.d and out >= 0
    assert out not in (1, 2)
    assert (out == 0) if n == 0 else True


# --- A publication perturbed -----------------------------------------------------------------


def test_reproducible_for_a_seed_and_different_for_another(probe: Path, seven: Any) -> None:
    again, _, _ = perturbed(probe, 7)
    assert again == seven[0]
    other, _, _ = perturbed(probe, 8)
    counts = [r[role] for r in seven[0] for role in ROLES]
    assert counts != [r[role] for r in other for role in ROLES]


def test_the_same_population_reads_the_same_in_every_table(seven: Any) -> None:
    pub, truth, done = seven
    seen: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    tables: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for population, true, shown in published_counts(pub, truth):
        # a label whose true value differs between tables is two populations (relations.py)
        seen[(*population, true)].add(shown)
    for p, t in zip(pub, truth, strict=True):
        for role, (universe, conds) in count_keys(t).items():
            if t[role] is not None and p[role] is not None:
                tables[(t["org"], t["period"], universe, tuple(sorted(conds.items())))].add(t["id"])
    assert all(len(values) == 1 for values in seen.values())
    shared = [p for p, ids in tables.items() if len(ids) >= 3]
    assert len(shared) > 50  # the check bites: many populations are in 3+ tables
    assert done.from_records > 100  # staff populations keyed from their members' records


def test_zeros_stay_zero_no_one_or_two_and_bounded(seven: Any) -> None:
    pub, truth, _ = seven
    triples = published_counts(pub, truth)
    assert len(triples) > 2000
    for (_org, _period, universe, _cut), true, shown in triples:
        if BOARD in universe:
            assert shown == true  # public knowledge, not perturbed
            continue
        assert abs(shown - true) <= 5
        assert shown not in (1, 2)
        if true == 0:
            assert shown == 0
    assert any(t != s for *_, t, s in triples)


def test_totals_stay_within_the_documented_bound_of_their_cells(seven: Any) -> None:
    """WRES 1: each (cluster, band) total against the sum of its three groups: within 5 per
    cell and 5 for the total."""
    pub, _, _ = seven
    cells: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in pub:
        if r["id"] == "wres.1" and not r["suppressed"]:
            cells[(r["period"], r["breakdown"]["cluster"], r["breakdown"]["pay_band"])].append(r)
    assert cells
    for rows in cells.values():
        total = rows[0]["denominator"]
        assert all(r["denominator"] == total for r in rows)
        assert abs(sum(r["numerator"] for r in rows) - total) <= 5 * (len(rows) + 1)


def test_derived_figures_are_recomputed_from_the_perturbed_counts(seven: Any) -> None:
    from ladder.metrics import stats

    pub, truth, _ = seven
    shares = [r for r in pub if r["measure"] == "share" and r["value"] is not None]
    for r in shares[:200]:
        w = stats.wilson(r["numerator"], r["denominator"])
        assert w.value is not None
        assert r["value"] == pytest.approx(100 * w.value)
        assert "perturbed" in r["flags"]
    ratios = [r for r in pub if r["measure"] == "relative_likelihood" and r["value"]]
    assert ratios
    for r in ratios:
        again = stats.relative_likelihood(
            r["numerator"], r["denominator"], r["reference_numerator"], r["reference_denominator"]
        )
        assert r["value"] == pytest.approx(again.value)
    for p, t in zip(pub, truth, strict=True):
        if (t["measure"] in ("mean", "median", "gap") or t["unit"] == "gbp") and not t[
            "suppressed"
        ]:
            over = [p[k] for k in ("numerator", "denominator") if p[k] is not None]
            if any(0 < n < 15 for n in over):  # threshold 10 + the maximum perturbation 5
                assert p["value"] is None and p["suppressed"]
            else:
                assert p["value"] == t["value"]


def test_a_mean_over_a_small_perturbed_population_is_withheld() -> None:
    mean = {
        "id": "paygap.sex.mean",
        "title": "t",
        "org": "X",
        "period": 2024,
        "measure": "mean",
        "unit": "gbp",
        "value": 20.0,
        "method": "m",
        "group": "Female",
        "breakdown": {},
        "numerator": None,
        "denominator": 12,
        "reference_numerator": None,
        "reference_denominator": None,
        "ci_lower": None,
        "ci_upper": None,
        "suppressed": False,
        "flags": [],
        "note": None,
    }

    def fixed(key: int) -> cellkey.KeyOf:
        return lambda *_: key

    small = cellkey.perturb_record(mean, fixed(99), 10, TABLE)  # 12 stays 12 < 15
    assert small["value"] is None and small["suppressed"] and small["denominator"] == 12
    big = cellkey.perturb_record({**mean, "denominator": 40}, fixed(255), 10, TABLE)
    assert big["value"] == 20.0 and big["denominator"] == 45 and "perturbed" in big["flags"]


# --- Off by default, named in every output ---------------------------------------------------


def test_off_by_default_and_part_of_the_settings_key() -> None:
    assert Settings().disclosure == "suppression"
    assert settings_key(Settings()) == settings_key(Settings(seed=5))  # seed unused
    keys = {
        settings_key(Settings()),
        settings_key(Settings(disclosure="cellkey")),
        settings_key(Settings(disclosure="cellkey", seed=1)),
    }
    assert len(keys) == 3
    with pytest.raises(ValueError, match="unknown disclosure control"):
        Settings(disclosure="noise")


def test_the_runner_perturbs_only_when_asked(probe: Path) -> None:
    def flags(chosen: Settings) -> tuple[set[str], list[str]]:
        loaded = load(probe, org=ORG, settings=chosen)
        try:
            done = run(loaded.context, ids=["wres"])
        finally:
            loaded.close()
        return {f for r in done.results for f in r.flags}, done.notes

    plain, notes = flags(Settings())
    assert "perturbed" not in plain and "cell key" not in notes[0]
    noisy, notes = flags(Settings(disclosure="cellkey", seed=2))
    assert "perturbed" in noisy and "cell key perturbation" in notes[0]


def metrics_json(probe: Path, *extra: str) -> list[dict[str, Any]]:
    done = CliRunner().invoke(
        app, ["metrics", str(probe), "--org", ORG, "-i", "wres", "-f", "json", *extra]
    )
    assert done.exit_code == 0, done.output
    out: list[dict[str, Any]] = json.loads(done.stdout)
    return out


def test_the_cli_option_end_to_end(probe: Path, tmp_path: Path) -> None:
    plain = metrics_json(probe)
    assert not any("perturbed" in r["flags"] for r in plain)
    first = metrics_json(probe, "--disclosure", "cellkey", "--seed", "11")
    again = metrics_json(probe, "--disclosure", "cellkey", "--seed", "11")
    other = metrics_json(probe, "--disclosure", "cellkey", "--seed", "12")
    assert first == again and first != other
    duck = metrics_json(probe, "--disclosure", "cellkey", "--seed", "11", "--engine", "duckdb")
    assert duck == first  # the same record keys and noise on every engine
    shown = [r for r in first if not r["suppressed"]]
    assert shown and all("perturbed" in r["flags"] for r in shown)
    assert all("counts perturbed by the cell key method" in r["note"] for r in shown)
    bad = CliRunner().invoke(app, ["metrics", str(probe), "--disclosure", "noise"])
    assert bad.exit_code == 2
    out = tmp_path / "reports"
    done = CliRunner().invoke(
        app,
        [
            *("report", str(probe), "--out", str(out), "--org", ORG, "--xlsx"),
            *("--disclosure", "cellkey", "--seed", "11"),
        ],
    )
    assert done.exit_code == 0, done.output
    html = next(out.glob("*.html")).read_text("utf-8")
    assert "protected by cell key perturbation" in html
    book = load_workbook(next(out.glob("*.xlsx")))
    notes = [row[0] for row in book["Notes"].iter_rows(values_only=True)]
    assert "Cell key perturbation" in notes
    # a mean over a small perturbed population reads like every withheld figure
    withheld = [
        row
        for name in ("WRES", "WDES", "Pay gaps", "SEB", "Representation", "Place")
        if name in book.sheetnames
        for row in book[name].iter_rows(min_row=2, values_only=True)
        if "suppressed" in str(row[12] or "").split("; ")
    ]
    assert withheld and {row[4] for row in withheld} == {"withheld"}
    assert "fewer than 10" not in html and "Every withheld figure reads" in html


def test_publish_with_perturbation_records_it(probe: Path, tmp_path: Path) -> None:
    from ladder.app.workspace import create_workspace, import_file
    from ladder.store import Workspace
    from ladder.store.publications import publications

    root = tmp_path / "ws"
    with create_workspace(root) as ws:
        assert import_file(ws, "staff", probe / "staff.csv", None, 2024, user="t").stored
    org = str(pl.read_csv(probe / "staff.csv", infer_schema=False)["org_code"][0])
    done = CliRunner().invoke(
        app,
        [
            *("publish", str(root), "--org", org, "--period", "2024"),
            *("--disclosure", "cellkey", "--seed", "4"),
        ],
    )
    assert done.exit_code == 0, done.output
    assert "perturbed by the cell key method" in done.output
    with Workspace.open(root) as ws:
        kept = publications(ws, org)
        assert len(kept) == 1
        frame = kept[0].read()
    assert frame.filter(pl.col("flags").list.contains("perturbed")).height > 0
    assert kept[0].settings_key == settings_key(Settings(disclosure="cellkey", seed=4))


def test_hand_worked_a_small_trust_keyed_from_its_staff_records() -> None:
    """Twelve staff with only a band and a sex (no ethnicity, disability, SEB or postcode):
    the representation.sex table is perturbed; the all-staff total's cell key is the sum of
    the twelve record keys mod 256, and the female count's that of the seven women."""
    from tests.metrics.conftest import compute_results
    from tests.metrics.test_representation import rows, staff

    frame = staff(rows(7, pay_band="Band 5", sex="female") + rows(5, pay_band="Band 6", sex="male"))
    seed = 21
    found = compute_results(
        {"staff": frame},
        ids=["representation.sex"],
        settings=Settings(disclosure="cellkey", seed=seed),
    )
    keys = [cellkey.record_key(seed, "R1H", f"S{i}") for i in range(12)]
    total = TABLE.perturb(12, sum(keys) % 256)
    women = TABLE.perturb(7, sum(keys[:7]) % 256)
    cell = [
        r
        for r in found
        if r.group == "female"
        and r.breakdown.get("pay_band", "all") == "all"
        and r.measure == "share"
    ]
    assert len(cell) == 1
    assert (cell[0].numerator, cell[0].denominator) == (women, total)
    assert "perturbed" in cell[0].flags
    if total:
        assert cell[0].value == pytest.approx(100 * women / total)


def test_stored_results_are_recomputed_when_the_mode_or_seed_changes(
    probe: Path, tmp_path: Path
) -> None:
    from ladder.app.results import results
    from ladder.app.workspace import create_workspace, import_file

    root = tmp_path / "ws"
    with create_workspace(root) as ws:
        assert import_file(ws, "staff", probe / "staff.csv", None, 2024, user="t").stored
    noisy = Settings(disclosure="cellkey", seed=9)
    first = results(root, settings=noisy, ids=["wres"])
    assert first.computed and any("perturbed" in r.flags for r in first.results)
    assert any("cell key perturbation" in n for n in first.notes)
    again = results(root, settings=noisy, ids=["wres"])
    assert again.computed == [] and [r.to_dict() for r in again.results] == [
        r.to_dict() for r in first.results
    ]
    other = results(root, settings=Settings(disclosure="cellkey", seed=10), ids=["wres"])
    assert other.computed == first.computed
    plain = results(root, settings=Settings(), ids=["wres"])
    assert plain.computed == first.computed
    assert not any("perturbed" in r.flags for r in plain.results)
