"""A plain pandas implementation of Ladder's core figure set, for bench_metrics.py.

Written as an analyst would with pandas and numpy (vectorised group-bys, no per-row Python),
it computes the same figures as Ladder for the families below, every one with its
denominator, its 95% interval and primary small-number suppression, so that the timing
ratio is like for like:

- WRES 1 (share by cluster and band, with band and cluster totals), 2, 3, 4 (rates by group
  with Wilson intervals, relative likelihoods with log-method intervals and the four-fifths
  flag), 5-8 (survey % positive by group with the BME − White difference and Newcombe's
  interval; WRES 6 combines two questions per respondent), 9 (board minus workforce);
- WDES 1, 2, 3 (capability on grounds of performance), 4-8 (WDES 4 by source), 10;
- the gender, ethnicity, disability and SEB pay gaps: mean and median hourly pay and bonus
  gaps, bonus proportions and the four quartile pay bands (ranked, ties kept in rank order);
- SEB: response rate, profile, profile by band, funnel and appointment from shortlisting.

Not included (Ladder computes them too): representation by characteristic against a
benchmark, the SEB supporting questions, and the place family (postcode → IMD enrichment,
anchor indicators, neighbourhoods), which pandas would need a 2.3-million-row lookup for.
Secondary suppression (complementary cells) is not applied here either: it is a table sweep
that pandas has no vectorised form of. Figures: one row per published number.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")  # pandas' downcasting notices; log(0) is an undefined bound
pd.set_option("future.no_silent_downcasting", True)

Z = 1.959963984540054
THRESHOLD = 10
WHITE = list("ABC")
MEDICAL = {"Medical and Dental"}
NON_CLINICAL = {"Administrative and Clerical", "Estates and Ancillary"}
SEB = {1: "professional", 2: "professional", 3: "intermediate", 7: "intermediate"}
SEB.update({4: "lower", 5: "lower", 6: "lower"})


def period_of(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return d.dt.year + (d.dt.month > 3).astype(int)


def ethnic(codes: pd.Series) -> np.ndarray:
    known = codes.notna() & (codes != "Z")
    return np.where(codes.isin(WHITE), "White", np.where(known, "BME", "Unknown"))


def disabled(flag: pd.Series) -> np.ndarray:
    return np.where(flag.isna(), "Unknown", np.where(flag.fillna(False), "Disabled", "Non"))


def wilson(events: pd.Series, total: pd.Series) -> pd.DataFrame:
    e, n = events.to_numpy(float), total.to_numpy(float)
    ok = n > 0
    n1 = np.where(ok, n, 1.0)
    p = e / n1
    denom = 1 + Z * Z / n1
    centre = (p + Z * Z / (2 * n1)) / denom
    half = Z * np.sqrt(p * (1 - p) / n1 + Z * Z / (4 * n1 * n1)) / denom
    return pd.DataFrame(
        {
            "value": np.where(ok, p * 100, np.nan),
            "lower": np.where(ok, np.maximum(0, centre - half) * 100, np.nan),
            "upper": np.where(ok, np.minimum(1, centre + half) * 100, np.nan),
        },
        index=events.index,
    )


def suppress(frame: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    small = np.zeros(len(frame), dtype=bool)
    for c in counts:
        v = frame[c].to_numpy(float)
        small |= (v > 0) & (v < THRESHOLD)
    frame = frame.copy()
    for c in ["value", "lower", "upper", *counts]:
        if c in frame:
            frame.loc[small, c] = np.nan
    frame["suppressed"] = small
    return frame


def rates(counts: pd.DataFrame) -> pd.DataFrame:
    """counts: index = keys, columns events, total → figures with Wilson intervals."""
    out = pd.concat([counts, wilson(counts["events"], counts["total"])], axis=1)
    return suppress(out, ["events", "total"])


def likelihood(counts: pd.DataFrame, first: str, second: str, keys: list[str]) -> pd.DataFrame:
    wide = counts.reset_index().pivot_table(
        index=keys, columns="group", values=["events", "total"], aggfunc="sum", fill_value=0
    )
    a, n1 = wide[("events", first)], wide[("total", first)]
    c, n2 = wide[("events", second)], wide[("total", second)]
    ok = (n1 > 0) & (n2 > 0) & (c > 0)
    rr = (a / n1.where(ok)) / (c / n2.where(ok))
    se = np.sqrt(1 / a.where(a > 0) - 1 / n1.where(ok) + 1 / c.where(ok) - 1 / n2.where(ok))
    out = pd.DataFrame({"a": a, "n1": n1, "c": c, "n2": n2, "value": rr})
    out["lower"] = np.exp(np.log(rr) - Z * se)
    out["upper"] = np.exp(np.log(rr) + Z * se)
    out["no_evidence"] = ~((out["lower"] > 1) | (out["upper"] < 1))
    out["four_fifths"] = (rr < 0.8) | (rr > 1.25)
    return suppress(out, ["a", "n1", "c", "n2"])


def newcombe(counts: pd.DataFrame, focus: str, ref: str, keys: list[str]) -> pd.DataFrame:
    wide = counts.reset_index().pivot_table(
        index=keys, columns="group", values=["events", "total"], aggfunc="sum"
    )
    wide = wide.dropna()
    if ("events", ref) not in wide or ("events", focus) not in wide:
        return pd.DataFrame()  # a measure of one group only (WDES 8)
    f = wilson(wide[("events", focus)], wide[("total", focus)]) / 100
    r = wilson(wide[("events", ref)], wide[("total", ref)]) / 100
    d = f["value"] - r["value"]
    out = pd.DataFrame({"value": d * 100})
    out["lower"] = (
        d - np.sqrt((f["value"] - f["lower"]) ** 2 + (r["upper"] - r["value"]) ** 2)
    ) * 100
    out["upper"] = (
        d + np.sqrt((f["upper"] - f["value"]) ** 2 + (r["value"] - r["lower"]) ** 2)
    ) * 100
    for g in (focus, ref):
        out[f"e_{g}"], out[f"n_{g}"] = wide[("events", g)], wide[("total", g)]
    return suppress(out, [c for c in out if c[:2] in ("e_", "n_")])


def counts_by(frame: pd.DataFrame, keys: list[str], events: str | None) -> pd.DataFrame:
    g = frame.groupby(keys, observed=True)
    total = g.size()
    ev = g[events].sum() if events else total
    return pd.DataFrame({"events": ev, "total": total})


def pay_gaps(staff: pd.DataFrame, char: str, groups: tuple[str, str]) -> list[pd.DataFrame]:
    """Mean/median hourly and bonus gaps, bonus proportions and quartile shares."""
    ref, other = groups
    keys = ["org_code", "period"]
    s = staff[staff[char].isin(groups)]
    fp = s[s["full_pay_relevant"].fillna(True) & s["hourly_pay"].notna()]
    out = []
    pay = fp.groupby([*keys, char])["hourly_pay"].agg(["mean", "median", "size"]).unstack(char)
    for stat in ("mean", "median"):
        gap = (pay[(stat, ref)] - pay[(stat, other)]) / pay[(stat, ref)] * 100
        frame = pd.DataFrame({"value": gap, "n_ref": pay[("size", ref)], "n": pay[("size", other)]})
        out.append(suppress(frame, ["n_ref", "n"]))
    paid = s[s["bonus_pay"].fillna(0) > 0]
    bonus = paid.groupby([*keys, char])["bonus_pay"].agg(["mean", "median", "size"]).unstack(char)
    for stat in ("mean", "median"):
        gap = (bonus[(stat, ref)] - bonus[(stat, other)]) / bonus[(stat, ref)] * 100
        frame = pd.DataFrame(
            {"value": gap, "n_ref": bonus[("size", ref)], "n": bonus[("size", other)]}
        )
        out.append(suppress(frame, ["n_ref", "n"]))
    s = s.assign(paid=s["bonus_pay"].fillna(0) > 0)
    out.append(rates(counts_by(s, [*keys, char], "paid")))
    ranked = fp.sort_values([*keys, "hourly_pay"], kind="stable")
    position = ranked.groupby(keys).cumcount()
    size = ranked.groupby(keys)["hourly_pay"].transform("size")
    ranked = ranked.assign(quartile=(position * 4 // size).clip(upper=3))
    q = counts_by(ranked.assign(x=1), [*keys, "quartile", char], None)
    q["total"] = q.groupby(level=[0, 1, 2])["events"].transform("sum")
    out.append(rates(q))
    return out


def compute(data: Path) -> int:
    """Every figure of the set above for every trust; returns the number of figures."""
    staff = pd.read_parquet(data / "staff.parquet")
    apps = pd.read_parquet(data / "applications.parquet")
    training = pd.read_parquet(
        data / "training.parquet", columns=["org_code", "staff_id", "start_date", "mandatory"]
    )
    cases = pd.read_parquet(data / "cases.parquet")
    survey = pd.read_parquet(data / "survey.parquet")
    keys = ["org_code", "period"]
    figures: list[pd.DataFrame] = []

    staff["period"] = period_of(staff["snapshot_date"])
    latest = staff.groupby(keys)["snapshot_date"].transform("max")
    snap = staff[staff["snapshot_date"] == latest]
    non_exec = snap["is_board_member"].fillna(False) & ~snap["is_executive"].fillna(True)
    work = snap[~non_exec].copy()
    work["eth"] = ethnic(work["ethnic_category"])
    work["dis"] = disabled(work["disability"])
    sg = work["staff_group"]
    work["cluster"] = np.where(
        sg.isin(MEDICAL),
        "medical",
        np.where(sg.isin(NON_CLINICAL), "non-clinical", np.where(sg.isna(), "unknown", "clinical")),
    )
    work["band"] = np.where(
        work["is_executive"].fillna(False), "VSM", work["pay_band"].fillna("Not known")
    )
    work["seb"] = work["seb_parent_occupation"].map(SEB).fillna("non-response")

    for col in ("eth", "dis"):  # WRES 1 / WDES 1 with band and cluster totals
        for cut in (["cluster", "band"], ["cluster"], []):
            c = work.groupby([*keys, *cut, col]).size().rename("events").to_frame()
            c["total"] = c.groupby(level=list(range(len(keys) + len(cut))))["events"].transform(
                "sum"
            )
            figures.append(rates(c))

    apps["period"] = period_of(apps["applied_date"])
    short = apps[apps["shortlisted"].fillna(False)].copy()
    short["appointed"] = short["appointed"].fillna(False)
    short["eth"], short["dis"] = ethnic(short["ethnic_category"]), disabled(short["disability"])
    short["seb"] = short["seb_parent_occupation"].map(SEB).fillna("non-response")
    for col, first, second in (
        ("eth", "White", "BME"),
        ("dis", "Non", "Disabled"),
        ("seb", "professional", "lower"),
    ):
        c = counts_by(short, [*keys, col], "appointed")
        figures.append(rates(c))
        figures.append(likelihood(c.rename_axis([*keys, "group"]), first, second, keys))

    cases["period"] = period_of(cases["start_date"])
    for kind, col, first, second, extra in (
        ("disciplinary", "eth", "BME", "White", None),
        ("capability", "dis", "Disabled", "Non", "performance"),
    ):
        picked = cases[cases["case_type"] == kind]
        if extra:
            picked = picked[picked["capability_reason"] == extra]
        entered = picked[["org_code", "period", "staff_id"]].drop_duplicates().assign(entered=True)
        people = work.merge(entered, on=["org_code", "period", "staff_id"], how="left")
        people["entered"] = people["entered"].fillna(False).astype(bool)
        c = counts_by(people, [*keys, col], "entered")
        figures.append(rates(c))
        figures.append(likelihood(c.rename_axis([*keys, "group"]), first, second, keys))

    training["period"] = period_of(training["start_date"])
    cpd = training.loc[~training["mandatory"].fillna(True), ["org_code", "period", "staff_id"]]
    cpd = cpd.drop_duplicates().assign(trained=True)
    people = work.merge(cpd, on=["org_code", "period", "staff_id"], how="left")
    people["trained"] = people["trained"].fillna(False).astype(bool)
    c = counts_by(people, [*keys, "eth"], "trained")
    figures.append(rates(c))
    figures.append(likelihood(c.rename_axis([*keys, "group"]), "White", "BME", keys))

    survey["period"] = survey["year"] + 1
    resp = survey[survey["n"].isna() & survey["answer"].notna()].copy()
    resp["eth"], resp["dis"] = ethnic(resp["ethnic_category"]), disabled(resp["disability"])
    resp["answer"] = resp["answer"].astype(bool)
    items = {"eth": [["q14a"], ["q14b", "q14c"], ["q15"], ["q16b"]]}
    items["dis"] = [["q14a"], ["q14b"], ["q14c"], ["q15"], ["q11e"], ["q4b"], ["q30b"]]
    for col, questions in items.items():
        focus, ref = ("BME", "White") if col == "eth" else ("Disabled", "Non")
        for qs in questions:
            part = resp[resp["question_id"].isin(qs)]
            if len(qs) > 1:
                part = part.groupby([*keys, "respondent_id", col], as_index=False)["answer"].max()
            c = counts_by(part, [*keys, col], "answer")
            figures.append(rates(c))
            figures.append(newcombe(c.rename_axis([*keys, "group"]), focus, ref, keys))

    for col in ("eth", "dis"):  # WRES 9 / WDES 10
        board = snap.assign(
            g=ethnic(snap["ethnic_category"]) if col == "eth" else disabled(snap["disability"])
        )
        board = board.assign(workforce=~non_exec)
        for member in ("is_board_member", "is_voting_member", "is_executive"):
            b = board.groupby([*keys, "g"])[[member, "workforce"]].sum()
            tot = b.groupby(level=[0, 1]).transform("sum")
            diff = pd.DataFrame(
                {
                    "value": 100 * b[member] / tot[member]
                    - 100 * b["workforce"] / tot["workforce"],
                    "b": b[member],
                    "w": b["workforce"],
                }
            )
            figures.append(suppress(diff[tot[member] > 0], ["b", "w"]))

    staff["eth"], staff["dis"] = ethnic(staff["ethnic_category"]), disabled(staff["disability"])
    staff["seb"] = staff["seb_parent_occupation"].map(SEB).fillna("non-response")
    for char, groups in (
        ("sex", ("male", "female")),
        ("eth", ("White", "BME")),
        ("dis", ("Non", "Disabled")),
        ("seb", ("professional", "lower")),
    ):
        figures.extend(pay_gaps(staff, char, groups))

    answered = work[work["seb"] != "non-response"]
    figures.append(rates(counts_by(work.assign(ans=work["seb"] != "non-response"), keys, "ans")))
    for cut in ([], ["band"]):
        c = answered.groupby([*keys, *cut, "seb"]).size().rename("events").to_frame()
        c["total"] = c.groupby(level=list(range(len(keys) + len(cut))))["events"].transform("sum")
        figures.append(rates(c))
    apps["seb"] = apps["seb_parent_occupation"].map(SEB)
    stages = {"applied": apps, "shortlisted": short, "appointed": short[short["appointed"]]}
    for frame in stages.values():
        frame = frame.assign(seb=frame["seb_parent_occupation"].map(SEB))
        c = frame.dropna(subset=["seb"]).groupby([*keys, "seb"]).size().rename("events").to_frame()
        c["total"] = c.groupby(level=[0, 1])["events"].transform("sum")
        figures.append(rates(c))
    return int(sum(len(f) for f in figures))
