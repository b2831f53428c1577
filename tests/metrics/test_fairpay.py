"""The living-wage indicators, hand-worked (period 2024: the 2022-23 rate, £10.90 UK and
£11.95 London, was to be paid by March 2023, the 2023-24 rate not until 1 May 2024)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from ladder.engines import EngineName
from ladder.metrics.indicators.fairpay import rate_on
from tests.metrics.conftest import compute_results, pick

SNAPSHOT = dt.date(2024, 3, 31)
WEEKS = 365 / 7
ENGINES = [EngineName.polars, EngineName.duckdb]


def _staff(org: str, rows: list[tuple[float, float | None, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "staff_id": [f"S{i}" for i in range(len(rows))],
            "org_code": [org] * len(rows),
            "snapshot_date": [SNAPSHOT] * len(rows),
            "hourly_pay": [r[0] for r in rows],
            "fte": [r[1] for r in rows],
            "pay_band": [r[2] for r in rows],
            "staff_group": [r[3] for r in rows],
        },
        schema_overrides={"fte": pl.Float64},
    )


def _contracted(org: str, rows: list[tuple[str, str, float, float, bool | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "worker_id": [f"C{i}" for i in range(len(rows))],
            "org_code": [org] * len(rows),
            "snapshot_date": [SNAPSHOT] * len(rows),
            "contractor": [r[0] for r in rows],
            "service": [r[1] for r in rows],
            "hourly_pay": [r[2] for r in rows],
            "hours": [r[3] for r in rows],
            "site_london": [r[4] for r in rows],
        },
        schema_overrides={"site_london": pl.Boolean},
    )


ESTATES, ADMIN = "Estates and Ancillary", "Administrative and Clerical"
STAFF = _staff(
    "RR8",  # Leeds: the UK rate
    [
        (10.00, 1.0, "Band 2", ESTATES),  # 0.90 below, 37.5 h
        (10.50, 0.5, "Band 2", ESTATES),  # 0.40 below, 18.75 h
        (11.00, 1.0, "Band 3", ADMIN),
        (15.00, None, "Band 5", ADMIN),
    ],
)
CONTRACTED = _contracted(
    "RR8",
    [
        ("Soft Ltd", "cleaning", 10.00, 20.0, None),  # 0.90 below
        ("Soft Ltd", "portering", 10.40, 30.0, None),  # 0.50 below
        ("Cater Ltd", "catering", 11.00, 25.0, None),
        ("Guard Ltd", "security", 10.80, 40.0, True),  # London site: 11.95, 1.15 below
    ],
)


def test_rate_is_the_one_to_be_paid_by_the_snapshot() -> None:
    assert rate_on(SNAPSHOT)["uk"] == 10.90  # type: ignore[index]
    assert rate_on(dt.date(2024, 5, 1))["uk"] == 12.00  # type: ignore[index]
    assert rate_on(dt.date(2025, 3, 31))["london"] == 13.15  # type: ignore[index]
    assert rate_on(dt.date(2022, 3, 31)) is None


@pytest.mark.parametrize("engine", ENGINES, ids=[e.value for e in ENGINES])
def test_living_wage_shares_and_cost_by_hand(engine: EngineName) -> None:
    results = compute_results(
        {"staff": STAFF, "contracted_staff": CONTRACTED}, ["fairpay"], engine=engine
    )
    overall = [r for r in results if r.id == "fairpay.below_living_wage.staff" and not r.breakdown]
    assert len(overall) == 1
    direct = overall[0]
    assert (direct.numerator, direct.denominator, direct.value) == (2, 4, 50.0)
    band2 = pick(results, "fairpay.below_living_wage.staff", "all", pay_band="Band 2")
    assert (band2.numerator, band2.denominator) == (2, 2)
    admin = pick(results, "fairpay.below_living_wage.staff", "all", staff_group=ADMIN)
    assert (admin.numerator, admin.denominator) == (0, 2)

    contracted = next(
        r for r in results if r.id == "fairpay.below_living_wage.contracted" and not r.breakdown
    )
    assert (contracted.numerator, contracted.denominator, contracted.value) == (3, 4, 75.0)
    soft = pick(results, "fairpay.below_living_wage.contracted", "all", contractor="Soft Ltd")
    assert (soft.numerator, soft.denominator) == (2, 2)
    guard = pick(results, "fairpay.below_living_wage.contracted", "all", service="security")
    assert (guard.numerator, guard.denominator) == (1, 1)

    staff_cost = pick(results, "fairpay.gap_cost", "staff")
    assert staff_cost.value == pytest.approx(round((0.90 * 37.5 + 0.40 * 18.75) * WEEKS, 2))
    assert staff_cost.value == pytest.approx(2150.89)
    gap = [r for r in results if r.id == "fairpay.gap_cost" and r.group == "contracted"]
    whole = next(r for r in gap if not r.breakdown)
    assert whole.value == pytest.approx(round((0.90 * 20 + 0.50 * 30 + 1.15 * 40) * WEEKS, 2))
    assert whole.value == pytest.approx(4119.29)
    assert next(r for r in gap if r.breakdown == {"contractor": "Cater Ltd"}).value == 0.0

    rise = pick(results, "fairpay.rise", "rise_cost")
    assert rise.value == pytest.approx(782.14)  # 0.30 × (20 + 30) h × 365/7
    against = pick(results, "fairpay.rise", "gap_cost")
    assert against.value == pytest.approx(1720.71)  # (0.90 × 20 + 0.50 × 30) × 365/7
    after = pick(results, "fairpay.rise", "below_after_rise")
    assert (after.numerator, after.denominator) == (2, 2)  # 10.30 and 10.70 < 10.90


def test_london_trust_uses_the_london_rate() -> None:
    staff = _staff("R1H", [(11.50, 1.0, "Band 2", ESTATES), (12.00, 1.0, "Band 3", ADMIN)])
    results = compute_results({"staff": staff}, ["fairpay"])
    overall = [r for r in results if r.id == "fairpay.below_living_wage.staff" and not r.breakdown]
    assert (overall[0].numerator, overall[0].denominator) == (1, 2)  # 11.50 < 11.95
    assert "London £11.95" in (overall[0].note or "")


def test_small_numbers_are_withheld() -> None:
    results = compute_results({"staff": STAFF, "contracted_staff": CONTRACTED}, ["fairpay"],
                              suppress=True)  # fmt: skip
    assert all(r.suppressed for r in results if r.id.startswith("fairpay") and r.numerator != 0)
    assert pick(results, "fairpay.gap_cost", "staff").value is None


def test_contracted_staff_file_is_validated_like_the_others(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ladder.cli.app import app

    path = tmp_path / "contracted.csv"
    path.write_text(
        "Worker ID,Organisation Code,Snapshot Date,Supplier,Service,Hourly Rate,Weekly Hours\n"
        "W1,R1H,31/03/2025,ACME,Domestic,11.00,20\n"
        "W2,R1H,31/03/2025,ACME,gardening,11.00,20\n"
        "W3,R1H,31/03/2025,ACME,Porter,-3,20\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(path), "--kind", "contracted_staff"])
    assert result.exit_code == 1
    assert f"{path}:3:Service: gardening — not a recognised contracted service" in result.output
    assert f"{path}:4:Hourly Rate: -3 — must not be below 0" in result.output
    assert "2 of 3 rows have errors" in result.output
