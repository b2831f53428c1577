"""Shared fixtures: small canonical frames written in every supported format."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import polars as pl
import pytest

from ladder.contract.datasets import dataset

# pytest-xdist's workers set COLUMNS to the controller's width (80 with no terminal), which
# the CLI honours; the CLI tests read tables as piped output is printed (160 columns, see
# src/ladder/cli/console.py), as a run in one process does. Before any test imports the CLI.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashes() -> Iterator[None]:
    """Argon2id at its lowest cost for the whole session (the production cost, 64 MiB and 3
    passes, takes most of a second per sign-in on a busy CI machine). Hashes are still
    Argon2id (``$argon2id$…``), verified and throttled by the same code."""
    from argon2 import PasswordHasher

    from ladder.app import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", cheap)
        patch.setattr(accounts, "_DUMMY_HASH", cheap.hash("not anyone's password"))
        yield


def canonical_staff() -> pl.DataFrame:
    """Six staff rows in canonical form (every contract column, typed)."""
    schema = dataset("staff").polars_schema()
    rows = {
        "staff_id": ["S001", "S002", "S003", "S004", "S005", "007"],
        "org_code": ["R1H"] * 6,
        "snapshot_date": [dt.date(2024, 3, 31)] * 6,
        "ethnic_category": ["A", "H", "N", None, "Z", "C"],
        "sex": ["female", "male", "female", "female", None, "male"],
        "disability": [False, True, None, False, False, True],
        "age_band": ["41-45", "26-30", "51-55", "21-25", "36-40", "61-65"],
        "date_of_birth": [
            dt.date(1980, 2, 1),
            dt.date(1995, 7, 14),
            None,
            dt.date(2001, 1, 31),
            dt.date(1987, 12, 25),
            dt.date(1960, 5, 5),
        ],
        "religion": ["christianity", "hinduism", None, "atheism", "prefer_not_to_say", "islam"],
        "sexual_orientation": [
            "heterosexual",
            None,
            "bisexual",
            "heterosexual",
            "gay_or_lesbian",
            "prefer_not_to_say",
        ],
        "staff_group": [
            "Nursing and Midwifery Registered",
            "Medical and Dental",
            "Administrative and Clerical",
            "Estates and Ancillary",
            "Allied Health Professionals",
            "Administrative and Clerical",
        ],
        "occupation_code": ["N0A", "M0C", "G0B", None, "S0A", "G1A"],
        "pay_band": ["Band 5", "Consultant", "Band 8a", "Band 2", "Band 6", "VSM"],
        "fte": [1.0, 1.0, 0.6, 0.8, 1.0, 1.0],
        "hourly_pay": [17.53, 56.10, 28.75, 12.08, 19.73, 70.5],
        "bonus_pay": [None, 4500.0, None, None, None, 1200.0],
        "full_pay_relevant": [True, True, False, None, True, True],
        "start_date": [
            dt.date(2010, 9, 1),
            dt.date(2020, 8, 5),
            None,
            dt.date(2023, 6, 1),
            dt.date(2015, 1, 5),
            dt.date(2019, 4, 1),
        ],
        "home_postcode": ["E1 1BB", "E14 2BG", None, "IG1 1AA", "E6 1AB", None],
        "home_lsoa": [None, None, "E01000001", None, None, None],
        "is_board_member": [False, False, False, False, False, True],
        "is_executive": [False, False, False, False, False, True],
        "is_voting_member": [False, False, False, False, False, True],
        "seb_parent_occupation": [1, 5, None, 4, 9, 2],
        "seb_school_type": ["state", "independent", None, "state", "prefer_not_to_say", "state"],
        "seb_free_school_meals": ["no", "no", None, "yes", "dont_know", "not_applicable"],
        "seb_parent_qualification": [
            "degree",
            "degree",
            None,
            "below_degree",
            "dont_know",
            "no_formal",
        ],
    }
    return pl.DataFrame(rows, schema=schema)


@pytest.fixture
def staff_frame() -> pl.DataFrame:
    return canonical_staff()
