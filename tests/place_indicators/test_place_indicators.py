"""Place indicators on hand-worked examples, on every engine.

Postcodes and LSOAs are real (Leeds, Islington); their IMD 2019 deciles were read from the
shipped reference (``ladder.reference.postcodes()``) and are checked again here.
"""

from __future__ import annotations

import math
from datetime import date

import narwhals as nw
import polars as pl
import pytest

from ladder import reference
from ladder.engines import EngineName
from ladder.metrics.enrichment import enriched, place_lookup
from ladder.metrics.indicators.place import catchment_share, local_areas
from ladder.metrics.inputs import load_frames
from ladder.place.enrich import normalise_postcode
from tests.metrics.conftest import compute_results, engine, pick

__all__ = ["engine"]

LEEDS, BRADFORD, ISLINGTON = "E08000035", "E08000032", "E09000007"
DECILE_1 = ("LS1 1AS", "LS1 1AZ")  # Leeds, LSOA E01011363
DECILE_10 = ("LS13 1HR", "LS13 1HX")  # Leeds, LSOA E01011593
DECILE_6 = "N19 5AA"  # Islington
UNMATCHED = "ZZ99 9ZZ"
SNAPSHOT = date(2024, 3, 31)


def test_reference_deciles_of_the_examples() -> None:
    known = reference.postcodes().filter(
        pl.col("pcds").is_in([*DECILE_1, *DECILE_10, DECILE_6, UNMATCHED])
    )
    deciles = dict(zip(known["pcds"].to_list(), known["imd2019_decile"].to_list(), strict=True))
    assert deciles == {
        "LS1 1AS": 1, "LS1 1AZ": 1, "LS13 1HR": 10, "LS13 1HX": 10, "N19 5AA": 6
    }  # fmt: skip


def staff() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "staff_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "org_code": ["RR8"] * 6,
            "snapshot_date": [SNAPSHOT] * 6,
            "pay_band": ["Band 5", "Band 5", "Band 8a", "Band 8a", "Band 5", "Band 5"],
            # lower case, no space; LSOA given directly; unmatched postcode last
            "home_postcode": ["ls11as", DECILE_1[1], None, DECILE_10[0], DECILE_6, UNMATCHED],
            "home_lsoa": [None, None, "E01011593", None, None, None],
            "start_date": [
                date(2010, 1, 1),
                date(2023, 6, 1),
                date(2015, 1, 1),
                date(2023, 9, 1),
                date(2020, 1, 1),
                date(2024, 1, 10),
            ],
        }
    )


def applications() -> pl.DataFrame:
    # Q1: 4 shortlisted, 1 appointed; Q5: 3 shortlisted, 2 appointed; one not shortlisted.
    postcodes = [*DECILE_1, *DECILE_1, *DECILE_10, DECILE_10[0], UNMATCHED]
    return pl.DataFrame(
        {
            "application_id": [f"a{i}" for i in range(8)],
            "org_code": ["RR8"] * 8,
            "applied_date": [date(2023, 10, 1)] * 8,
            "home_postcode": postcodes,
            "shortlisted": [True] * 7 + [False],
            "appointed": [True, False, False, False, True, True, False, False],
            "pay_band": ["Band 3"] * 8,
        }
    )


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_place_indicators_by_hand(engine: EngineName) -> None:
    results = compute_results(
        {"staff": staff(), "applications": applications()},
        ["place", "representation.deprivation"],
        engine=engine,
    )
    # Staff: known home area 5 of 6 (ZZ99 9ZZ not found); decile 1: s1, s2.
    share = pick(results, "place.deprived_staff", "most deprived decile", pay_band="all")
    assert (share.numerator, share.denominator) == (2, 5)
    assert close(share.value, 40.0)
    assert share.note is not None and "1 of 6 staff records" in share.note
    band5 = pick(results, "place.deprived_staff", "most deprived quintile", pay_band="Band 5")
    assert (band5.numerator, band5.denominator) == (2, 3)
    band8 = pick(results, "place.deprived_staff", "most deprived decile", pay_band="Band 8a")
    assert (band8.numerator, band8.denominator) == (0, 2)
    # Against the catchment: the share minus Leeds Teaching Hospitals' catchment share.
    diff = pick(results, "place.deprived_staff.catchment", "most deprived decile", pay_band="all")
    local = catchment_share("RR8", "most deprived decile")
    assert local is not None and 0.0 < local < 100.0
    assert close(diff.value, 40.0 - local)
    # New starters: s2 (decile 1) and s4 (decile 10) started in April 2023 - March 2024; s6
    # too, but their postcode is not found.
    starters = pick(results, "place.deprived_starters", "most deprived decile", pay_band="all")
    assert (starters.numerator, starters.denominator) == (1, 2)
    # Appointed applicants: 1 from decile 1, 2 from decile 10.
    appointed = pick(results, "place.deprived_appointed", "most deprived decile", pay_band="all")
    assert (appointed.numerator, appointed.denominator) == (1, 3)
    # Local: Leeds and Bradford hold >= 5% of the catchment; Islington does not.
    assert {LEEDS, BRADFORD} <= local_areas("RR8") and ISLINGTON not in local_areas("RR8")
    living = pick(results, "place.local_staff", "local", pay_band="all")
    assert (living.numerator, living.denominator) == (4, 5)
    assert close(living.value, 80.0)
    # Appointment from shortlisting: Q5 2/3 against Q1 1/4.
    q1 = pick(results, "place.appointment", "Q1 (most deprived)")
    assert (q1.numerator, q1.denominator) == (1, 4)
    ratio = pick(results, "place.appointment", "Q5 (least deprived):Q1 (most deprived)")
    assert close(ratio.value, (2 / 3) / (1 / 4))
    # Representation by deprivation quintile (groups present): N19 5AA (decile 6) is Q3;
    # ZZ99 9ZZ is Unknown.
    rep = {
        r.group: r.numerator
        for r in results
        if r.id == "representation.deprivation" and r.breakdown.get("pay_band") == "all"
    }
    assert rep == {
        "Q1 (most deprived)": 2,
        "Q3": 1,
        "Q5 (least deprived)": 2,
        "Unknown": 1,
    }


def test_enrichment_columns_and_unmatched(engine: EngineName) -> None:
    loaded = load_frames({"staff": staff()}, engine=engine)
    try:
        ctx = loaded.context
        frame = enriched(ctx, "staff").collect().to_polars().sort("staff_id")
        lookup = place_lookup(ctx)
    finally:
        loaded.close()
    assert frame["lsoa21"].to_list() == [
        "E01011363", "E01011363", "E01011593", "E01011593", "E01000921", None
    ]  # fmt: skip
    assert frame["imd_decile"].to_list() == [1, 1, 10, 10, 6, None]
    assert frame["imd_quintile"].to_list() == [1, 1, 5, 5, 3, None]
    assert frame["local_authority"].to_list() == [LEEDS, LEEDS, LEEDS, LEEDS, ISLINGTON, None]
    assert (lookup.unmatched["staff"], lookup.given["staff"]) == (1, 6)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ls11as", "LS1 1AS"), (" LS13  1hr ", "LS13 1HR"), ("B1 1AG", "B1 1AG"), ("X", None)],
)
def test_normalise_postcode(raw: str, expected: str | None) -> None:
    out = pl.select(normalise_postcode(pl.lit(raw)).alias("p"))["p"][0]
    assert out == expected


def test_catchment_of_a_trust_without_one_is_its_own_local_authority() -> None:
    with_catchment = set(reference.trust_catchments()["org_code"].to_list())
    trusts = reference.trusts().filter(
        ~pl.col("org_code").is_in(list(with_catchment)) & pl.col("ltla22").is_not_null()
    )
    org, la = trusts.row(0)[0], str(trusts["ltla22"][0])
    lsoas = reference.lsoas().filter(
        (pl.col("ltla22").cast(pl.String) == la) & pl.col("imd2019_decile").is_not_null()
    )
    expected = 100.0 * (lsoas["imd2019_decile"] == 1).mean()  # type: ignore[operator]
    assert close(catchment_share(org, "most deprived decile"), expected)
    assert local_areas(org) == {la}


def test_enrichment_of_2011_codes_and_bridged_2021_codes(engine: EngineName) -> None:
    """Hand-checked: E01030282 (IMD 2019 score 18.114, pop 992, decile 5) and E01030284
    (5.708, pop 1,275, decile 10) merged into E01035154 (East Suffolk, E07000244).
    Weighted score (18.114×992 + 5.708×1,275) / 2,267 = 11.137 → rank 23,178 → decile 8.
    E01028341 (Newark and Sherwood 001F, decile 4) split into E01033770 and E01033771."""
    frame = pl.DataFrame(
        {
            "staff_id": ["m-old", "m-new", "s-old", "u"],
            "org_code": ["RR8"] * 4,
            "snapshot_date": [SNAPSHOT] * 4,
            "pay_band": ["Band 5"] * 4,
            "home_postcode": [None] * 4,
            "home_lsoa": ["E01030282", "E01035154", "e01028341", "E01011363"],
        }
    )
    loaded = load_frames({"staff": frame}, engine=engine)
    try:
        ctx = loaded.context
        out = enriched(ctx, "staff").collect().to_polars().sort("staff_id")
        lookup = place_lookup(ctx)
    finally:
        loaded.close()
    rows = {r["staff_id"]: r for r in out.iter_rows(named=True)}
    # A retired 2011 code keeps its own official decile; merged → its one 2021 successor.
    assert (rows["m-old"]["lsoa21"], rows["m-old"]["imd_decile"]) == ("E01035154", 5)
    assert rows["m-old"]["local_authority"] == "E07000244"
    # The 2021 code of the merged LSOA takes the bridged (population-weighted) decile.
    assert (rows["m-new"]["lsoa21"], rows["m-new"]["imd_decile"]) == ("E01035154", 8)
    # A split 2011 code: decile and local authority known, its 2021 LSOA is not.
    assert (rows["s-old"]["lsoa21"], rows["s-old"]["imd_decile"]) == (None, 4)
    assert rows["s-old"]["local_authority"] == "E07000175"
    assert (rows["u"]["lsoa21"], rows["u"]["imd_decile"]) == ("E01011363", 1)
    assert lookup.unmatched["staff"] == 0


def test_pay_gap_by_deprivation_by_hand(engine: EngineName) -> None:
    """Q1 (LS1 1AS, decile 1): £10, £12, £14; Q5 (LS13 1HR, decile 10): £16, £20, £24;
    N19 5AA (decile 6, Q3): £30; one unknown postcode: £50 (Unknown, not ranked).
    Mean gap Q1 vs Q5 = (20 − 12) / 20 = 40%; median (20 − 12) / 20 = 40%.
    Bonus: Q1 one of three (£100), Q5 two of three (£200, £400): mean bonus gap
    (300 − 100) / 300 = 66.7%."""
    pay = [10.0, 12.0, 14.0, 16.0, 20.0, 24.0, 30.0, 50.0]
    bonus = [100.0, None, None, 200.0, 400.0, None, None, None]
    postcodes = ["LS1 1AS"] * 3 + ["LS13 1HR"] * 3 + [DECILE_6, UNMATCHED]
    frame = pl.DataFrame(
        {
            "staff_id": [f"p{i}" for i in range(8)],
            "org_code": ["RR8"] * 8,
            "snapshot_date": [SNAPSHOT] * 8,
            "pay_band": ["Band 5"] * 8,
            "hourly_pay": pay,
            "bonus_pay": bonus,
            "home_postcode": postcodes,
        }
    )
    results = compute_results({"staff": frame}, ["paygap.deprivation"], engine=engine)
    q1, q5 = "Q1 (most deprived)", "Q5 (least deprived)"
    mean = pick(results, "paygap.deprivation.mean_hourly", q1)
    assert close(mean.value, 40.0) and (mean.numerator, mean.denominator) == (3, 3)
    assert close(pick(results, "paygap.deprivation.median_hourly", q1).value, 40.0)
    assert close(pick(results, "paygap.deprivation.mean_bonus", q1).value, 200 / 3)
    assert close(pick(results, "paygap.deprivation.hourly_pay.mean", q5).value, 20.0)
    assert close(pick(results, "paygap.deprivation.hourly_pay.mean", "Q3").value, 30.0)
    unknown = pick(results, "paygap.deprivation.unknown_share")
    assert close(unknown.value, 100 * 1 / 8)
    proportion = pick(results, "paygap.deprivation.bonus_proportion", q5)
    assert (proportion.numerator, proportion.denominator) == (2, 3)


def test_training_by_deprivation_by_hand(engine: EngineName) -> None:
    """Q1 (LS1 1AS): s0-s3, of whom s0 and s1 had non-mandatory training (2 of 4);
    Q5 (LS13 1HR): s4-s6, of whom s4, s5, s6 had (3 of 3; s6 twice); s7 (Q5) had only
    mandatory training. RL Q5:Q1 = (3/4) / (2/4) = 1.5."""
    postcodes = ["LS1 1AS"] * 4 + ["LS13 1HR"] * 4
    frame = pl.DataFrame(
        {
            "staff_id": [f"s{i}" for i in range(8)],
            "org_code": ["RR8"] * 8,
            "snapshot_date": [SNAPSHOT] * 8,
            "pay_band": ["Band 5"] * 8,
            "home_postcode": postcodes,
        }
    )
    events = [("s0", False), ("s1", False), ("s4", False), ("s5", False), ("s6", False),
              ("s6", False), ("s7", True), ("s2", True)]  # fmt: skip
    training = pl.DataFrame(
        {
            "staff_id": [e[0] for e in events],
            "org_code": ["RR8"] * len(events),
            "start_date": [date(2023, 10, 1)] * len(events),
            "course": ["Course"] * len(events),
            "mandatory": [e[1] for e in events],
        }
    )
    results = compute_results({"staff": frame, "training": training}, ["place.training"],
                              engine=engine)  # fmt: skip
    q1 = pick(results, "place.training", "Q1 (most deprived)")
    assert (q1.numerator, q1.denominator) == (2, 4)
    ratio = pick(results, "place.training", "Q5 (least deprived):Q1 (most deprived)")
    assert close(ratio.value, 1.5)
    assert (ratio.numerator, ratio.denominator) == (3, 4)


def test_disciplinary_by_deprivation_by_hand(engine: EngineName) -> None:
    """Q1 (LS1 1AS): s0-s3, two enter a disciplinary process (s0 twice: one person);
    Q5 (LS13 1HR): s4-s7, one does. A leaver (x9, not in the snapshot) is Unknown.
    Q1 2/4, Q5 1/4: RL Q1:Q5 = 2.0."""
    frame = pl.DataFrame(
        {
            "staff_id": [f"s{i}" for i in range(8)],
            "org_code": ["RR8"] * 8,
            "snapshot_date": [SNAPSHOT] * 8,
            "pay_band": ["Band 5"] * 8,
            "home_postcode": ["LS1 1AS"] * 4 + ["LS13 1HR"] * 4,
        }
    )
    who = ["s0", "s0", "s1", "s4", "x9"]
    cases = pl.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(len(who))],
            "staff_id": who,
            "org_code": ["RR8"] * len(who),
            "start_date": [date(2023, 11, 1)] * len(who),
            "case_type": ["disciplinary"] * len(who),
        }
    )
    results = compute_results({"staff": frame, "cases": cases}, ["place.disciplinary"],
                              engine=engine)  # fmt: skip
    q1 = pick(results, "place.disciplinary", "Q1 (most deprived)")
    assert (q1.numerator, q1.denominator) == (2, 4)
    ratio = pick(results, "place.disciplinary", "Q1 (most deprived):Q5 (least deprived)")
    assert close(ratio.value, 2.0)
    assert (ratio.reference_numerator, ratio.reference_denominator) == (1, 4)
    # The leaver is Unknown, a group with no headcount at the snapshot: no rate.
    assert pick(results, "place.disciplinary", "Unknown").value is None
    assert ratio.note is not None and "no home area on record" in ratio.note


def test_application_places_counted_on_area_codes_match_the_engine_query() -> None:
    """The Polars path (places as area indexes) gives the generic enrich-and-group table:
    postcodes, LSOAs given (winning over a postcode; messy case), unmatched and nulls."""
    from ladder.metrics.enrichment import PLACE_KEYS, application_places
    from ladder.metrics.expressions import to_polars
    from ladder.place.enrich import enrich

    frame = applications().with_columns(
        pl.Series(
            "home_lsoa", [None, "E01011593", None, "e01011363 ", None, "E01999999", None, None]
        ),
        pl.Series("pay_band", ["Band 3", None, "Band 3", "Band 5", None, "Band 3", "Band 5", None]),
        pl.Series("appointed", [True, None, False, False, True, True, None, False]),
    )
    loaded = load_frames({"applications": frame}, engine=EngineName.polars)
    try:
        ctx = loaded.context
        fast = application_places(ctx)
        plain = to_polars(
            enrich(ctx.frame("applications"), ctx.engine, place_lookup(ctx))
            .with_columns(
                nw.col("pay_band").fill_null("Not known"),
                nw.col("shortlisted").fill_null(False),
                nw.col("appointed").fill_null(False),
            )
            .group_by(*PLACE_KEYS, "shortlisted", "appointed")
            .agg(nw.len().alias("count"))
        )
    finally:
        loaded.close()
    keys = [*PLACE_KEYS, "shortlisted", "appointed"]
    assert fast.schema == plain.schema
    assert fast.sort(keys, nulls_last=True).equals(plain.sort(keys, nulls_last=True))
    assert int(fast["count"].sum()) == frame.height


def test_large_input_paths_give_the_small_input_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Polars: the lean paths of a large (national) workforce - its area index from the join
    keys alone, its place columns gathered only when read - give the figures of the
    one-query paths of a small one."""
    from ladder.metrics import enrichment

    frames = {"staff": staff(), "applications": applications()}
    ids = ["place", "representation.deprivation", "paygap.deprivation"]
    small = compute_results(frames, ids)
    monkeypatch.setattr(enrichment, "SMALL", -1)
    large = compute_results(frames, ids)
    assert large == small
    assert any(r.id == "place.deprived_staff" for r in large)
