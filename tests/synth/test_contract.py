"""Canonical output: exactly the contract's columns, valid canonical values, consistent rows."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import polars as pl
import pytest

from ladder import codes, reference
from ladder.contract import dataset
from ladder.io.validate import validate_file
from ladder.normalise.categories import normalise_survey_answer
from ladder.synth import DATASETS, SynthResult
from ladder.synth.geography import pool
from ladder.synth.trusts import trust_area


def _read(result: SynthResult, kind: str) -> pl.DataFrame:
    path = result.files[kind]
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    schema = dataset(kind).polars_schema()
    if kind == "survey":
        schema["answer"] = pl.String()
    return pl.read_csv(path, schema=schema)


@pytest.fixture(scope="module", params=["csv", "parquet"])
def result(request: pytest.FixtureRequest) -> SynthResult:
    fixture = "small_csv" if request.param == "csv" else "small_parquet"
    value: SynthResult = request.getfixturevalue(fixture)
    return value


def test_six_files_with_exactly_the_contract_columns(result: SynthResult) -> None:
    assert set(result.files) == set(DATASETS)
    for kind in DATASETS:
        path = result.files[kind]
        assert path.exists(), path
        df = _read(result, kind)
        assert df.columns == list(dataset(kind).column_names), kind
        assert df.height > 0, kind
    assert (result.out / "README.txt").exists()


def test_parquet_columns_have_the_contract_dtypes(small_parquet: SynthResult) -> None:
    for kind in DATASETS:
        df = pl.read_parquet(small_parquet.files[kind])
        expected = dataset(kind).polars_schema()
        for name, dtype in df.schema.items():
            assert dtype == expected[name], (kind, name)


def _allowed(df: pl.DataFrame, column: str, allowed: tuple[str, ...] | list[str]) -> None:
    values = set(df.get_column(column).drop_nulls().unique().to_list())
    assert values <= set(allowed), (column, values - set(allowed))


def test_categorical_values_are_canonical(result: SynthResult) -> None:
    staff = _read(result, "staff")
    _allowed(staff, "ethnic_category", list(codes.ETHNIC_CATEGORIES))
    _allowed(staff, "pay_band", codes.PAY_BANDS)
    _allowed(staff, "staff_group", list(codes.STAFF_GROUPS))
    _allowed(staff, "sex", ("female", "male"))
    _allowed(staff, "age_band", codes.AGE_BANDS)
    _allowed(staff, "religion", codes.RELIGIONS)
    _allowed(staff, "sexual_orientation", codes.SEXUAL_ORIENTATIONS)
    _allowed(staff, "seb_school_type", codes.SCHOOL_TYPES)
    _allowed(staff, "seb_free_school_meals", codes.FREE_SCHOOL_MEALS)
    _allowed(staff, "seb_parent_qualification", codes.PARENT_QUALIFICATIONS)
    occupations = set(staff.get_column("seb_parent_occupation").drop_nulls().to_list())
    assert occupations <= set(codes.SEB_PARENT_OCCUPATIONS)
    assert staff.get_column("ethnic_category").null_count() > 0  # some 'not known'
    assert staff.get_column("disability").null_count() > 0  # some 'not declared'
    assert staff.get_column("pay_band").null_count() == 0
    assert set(staff.get_column("snapshot_date").unique()) == {dt.date(2024, 3, 31)}
    medical = staff.filter(
        pl.col("staff_group") == "Medical and Dental", ~pl.col("is_board_member")
    )
    _allowed(medical, "pay_band", codes.MEDICAL_GRADES)

    apps = _read(result, "applications")
    _allowed(apps, "ethnic_category", list(codes.ETHNIC_CATEGORIES))
    _allowed(apps, "pay_band", codes.PAY_BANDS)
    cases = _read(result, "cases")
    _allowed(cases, "case_type", codes.CASE_TYPES)
    _allowed(cases, "capability_reason", codes.CAPABILITY_REASONS)
    survey = _read(result, "survey")
    answers = survey.get_column("answer").unique().to_list()
    if survey.schema["answer"] == pl.Boolean:  # canonical Parquet stores the normalised answer
        assert set(answers) == {True, False, None}
    else:  # CSV keeps the Staff Survey wording
        assert {normalise_survey_answer(a) for a in answers} == {True, False, None}


def test_ids_are_evidently_synthetic(result: SynthResult) -> None:
    columns = {
        "staff": "staff_id",
        "applications": "application_id",
        "training": "staff_id",
        "cases": "case_id",
        "survey": "respondent_id",
        "participants": "participant_id",
    }
    for kind, column in columns.items():
        df = _read(result, kind)
        prefix = pl.lit("SYN-") + pl.col("org_code") + pl.lit("-")
        assert df.select(pl.col(column).str.starts_with(prefix).all()).item(), kind
    staff = _read(result, "staff")
    assert staff.get_column("staff_id").is_unique().all()


def test_postcodes_are_real_and_in_the_trust_catchment(result: SynthResult) -> None:
    postcodes = reference.postcodes().select(
        pl.col("pcds"), pl.col("lsoa21").cast(pl.String), pl.col("ltla22").cast(pl.String)
    )
    for kind in ("staff", "applications", "participants"):
        df = _read(result, kind).filter(pl.col("home_postcode").is_not_null())
        joined = df.join(postcodes, left_on="home_postcode", right_on="pcds", how="left")
        assert joined.get_column("ltla22").null_count() == 0, kind
        assert (joined.get_column("lsoa21") == joined.get_column("home_lsoa")).all(), kind
        for org, part in joined.partition_by("org_code", as_dict=True).items():
            area = trust_area(str(org[0]))
            allowed = {pool().la_codes[i] for i in area.la}
            assert set(part.get_column("ltla22").unique()) <= allowed, (kind, org)


def test_rows_are_consistent(result: SynthResult) -> None:
    staff = _read(result, "staff")
    snapshot = dt.date(2024, 3, 31)
    year_ago = snapshot - dt.timedelta(days=365)
    apps = _read(result, "applications")
    assert not apps.filter(pl.col("appointed") & ~pl.col("shortlisted")).height
    assert apps.get_column("appointed").sum() > 0
    assert (
        apps.group_by("vacancy_id").agg(pl.col("pay_band").n_unique()).get_column("pay_band").max()
        == 1
    )
    assert apps.get_column("applied_date").is_between(year_ago, snapshot).all()
    assert (staff.get_column("start_date") <= snapshot).all()
    assert (staff.get_column("date_of_birth") < dt.date(2024 - 17, 3, 31)).all()

    ids = set(staff.get_column("staff_id").to_list())
    for kind in ("training", "cases"):
        df = _read(result, kind)
        assert set(df.get_column("staff_id").to_list()) <= ids, kind
        assert df.get_column("start_date").is_between(year_ago, snapshot).all(), kind
    training = _read(result, "training")
    assert set(training.get_column("mandatory").unique()) == {True, False}
    cases = _read(result, "cases")
    capability = cases.filter(pl.col("case_type") == "capability")
    assert capability.get_column("capability_reason").null_count() == 0
    assert (
        cases.filter(pl.col("case_type") == "disciplinary")
        .get_column("capability_reason")
        .null_count()
        == cases.filter(pl.col("case_type") == "disciplinary").height
    )


def test_board_of_twelve_to_sixteen_per_trust(result: SynthResult) -> None:
    staff = _read(result, "staff")
    board = (
        staff.filter(pl.col("is_board_member"))
        .group_by("org_code")
        .agg(
            pl.len().alias("n"),
            pl.col("is_executive").sum().alias("execs"),
            pl.col("is_voting_member").sum().alias("voting"),
        )
    )
    assert board.height == staff.get_column("org_code").n_unique()
    assert board.get_column("n").is_between(12, 16).all()
    assert (board.get_column("voting") < board.get_column("n")).all()
    assert not staff.filter(pl.col("is_executive") & ~pl.col("is_board_member")).height
    assert not staff.filter(pl.col("is_voting_member") & ~pl.col("is_board_member")).height


def test_participant_funnel_dates_in_order(result: SynthResult) -> None:
    stages = [
        "engaged_date",
        "trained_date",
        "interviewed_date",
        "offered_date",
        "employed_date",
        "retained_date",
    ]
    df = _read(result, "participants")
    counts = [df.get_column(s).drop_nulls().len() for s in stages]
    assert counts == sorted(counts, reverse=True)  # drop-off at each stage
    assert counts[0] == df.height
    for earlier, later in itertools.pairwise(stages):
        pair = df.filter(pl.col(later).is_not_null())
        assert pair.get_column(earlier).null_count() == 0
        assert (pair.get_column(later) >= pair.get_column(earlier)).all()
    assert set(df.get_column("programme").unique()) >= {"Community Works for Health"}


def test_canonical_files_pass_ladder_validation(result: SynthResult) -> None:
    """The importer accepts every canonical row of every dataset."""
    for kind in DATASETS:
        validation = validate_file(Path(result.files[kind]), kind)
        assert validation.problems == [], (kind, validation.problems[:3])
