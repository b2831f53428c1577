"""Did they stay? Programme recruits followed across the trust's staff snapshots
(docs/programmes.md, "Retention").

A recruit is a participant who started work and whose row gives the ``staff_id`` of their
staff record. Their start is the participant's start-work date (else the staff record's
start date). At 6 and 12 months: the first staff snapshot on or after the start plus that
many months decides — still employed if the person is in it. A person is counted at a point
only when a snapshot after their start and before the point shows them in post (so leavers
and stayers are seen alike in both groups) and a snapshot at or after the point exists.
Band progression: among those still employed at 12 months, the share in a higher pay band at
that snapshot than in the first snapshot after their start.

The comparison group is the trust's other new starters: staff whose start date falls between
the first and the last recruit's start, in the pay bands the recruits started in, who are not
recruits; they are followed the same way. ``programme.retention`` (``Measure.RATE``) gives both
groups (``programme recruits``, ``other new starters``) and the relative likelihood of a
recruit staying compared with the other starters; ``programme.progression`` the same for
band progression.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ladder.codes import PAY_BANDS
from ladder.metrics.builders import likelihood_results, rate_results
from ladder.metrics.programmes.funnel import method
from ladder.metrics.results import Result, evolve

RECRUITS = "programme recruits"
OTHERS = "other new starters"
MONTHS: tuple[int, ...] = (6, 12)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _band_rank(band: str | None) -> int | None:
    if band is None or band not in PAY_BANDS:
        return None
    return PAY_BANDS.index(band)


def _follow(
    starts: dict[str, dt.date], staff: pl.DataFrame, snapshots: list[dt.date]
) -> dict[str, dict[str, bool | None]]:
    """Per person: ``6`` / ``12`` (still employed; None: not had the time or not found) and
    ``progressed`` (None unless employed at 12 months with known bands)."""
    present: dict[tuple[str, dt.date], str | None] = {
        (sid, snap): band
        for sid, snap, band in staff.select("staff_id", "snapshot_date", "pay_band").iter_rows()
    }
    out: dict[str, dict[str, bool | None]] = {}
    for sid, start in starts.items():
        first = next((s for s in snapshots if s >= start and (sid, s) in present), None)
        record: dict[str, bool | None] = {"found": first is not None}
        for months in MONTHS:
            target = add_months(start, months)
            at = next((s for s in snapshots if s >= target), None)
            # counted only when seen in the staff records after starting and before the
            # point, then looked for in the first snapshot at or after it
            counted = first is not None and first < target and at is not None
            record[str(months)] = (sid, at) in present if counted else None
        progressed = None
        if record.get("12") and first is not None:
            at12 = next(s for s in snapshots if s >= add_months(start, 12))
            before, after = _band_rank(present[(sid, first)]), _band_rank(present[(sid, at12)])
            if before is not None and after is not None:
                progressed = after > before
        record["progressed"] = progressed
        out[sid] = record
    return out


def retention_results(
    recruits: pl.DataFrame, staff: pl.DataFrame, *, programme: str, org: str, period: int
) -> list[Result]:
    """``recruits``: participants of one programme with ``staff_id`` and ``employed_date``;
    ``staff``: the trust's staff rows (every snapshot) with staff_id, snapshot_date, pay_band
    and start_date."""
    staff = staff.select("staff_id", "snapshot_date", "pay_band", "start_date")
    snapshots = sorted(staff["snapshot_date"].drop_nulls().unique().to_list())
    first_start = (
        staff.group_by("staff_id").agg(pl.col("start_date").min()).drop_nulls("start_date")
    )
    recruits = recruits.filter(pl.col("staff_id").is_not_null())
    if "employed_date" not in recruits.columns:
        recruits = recruits.with_columns(pl.lit(None, dtype=pl.Date).alias("employed_date"))
    joined = recruits.select("staff_id", "employed_date").join(
        first_start, on="staff_id", how="left"
    )
    starts = {
        sid: (hired or started)
        for sid, hired, started in joined.iter_rows()
        if (hired or started) is not None
    }
    if not starts or len(snapshots) < 2:
        return []  # following people needs a snapshot after the start and a later one
    followed = _follow(starts, staff, snapshots)
    found = {k: v for k, v in followed.items() if v["found"]}
    lost = len(followed) - len(found)
    low, high = min(starts.values()), max(starts.values())
    bands = {
        band
        for sid, snap, band in staff.select("staff_id", "snapshot_date", "pay_band").iter_rows()
        if sid in found and band is not None
    }
    others = first_start.filter(
        pl.col("start_date").is_between(low, high) & ~pl.col("staff_id").is_in(list(starts))
    )
    other_starts = dict(others.iter_rows())
    other_followed = _follow(other_starts, staff, snapshots)
    # the other starters in the recruits' bands (their band at the first snapshot after start)
    first_band: dict[str, str | None] = {}
    for sid, snap, band in (
        staff.sort("snapshot_date").select("staff_id", "snapshot_date", "pay_band").iter_rows()
    ):
        if sid in other_starts and sid not in first_band and snap >= other_starts[sid]:
            first_band[sid] = band
    other_followed = {
        k: v for k, v in other_followed.items() if v["found"] and first_band.get(k) in bands
    }
    rows: list[dict[str, object]] = []
    progression: list[dict[str, object]] = []
    for group, people in ((RECRUITS, found), (OTHERS, other_followed)):
        for months in MONTHS:
            had_time = [p[str(months)] for p in people.values() if p[str(months)] is not None]
            rows.append(
                {
                    "org_code": org,
                    "period": period,
                    "programme": programme,
                    "months": str(months),
                    "group": group,
                    "events": sum(1 for x in had_time if x),
                    "total": len(had_time),
                }
            )
        known = [p["progressed"] for p in people.values() if p["progressed"] is not None]
        progression.append(
            {
                "org_code": org,
                "period": period,
                "programme": programme,
                "group": group,
                "events": sum(1 for x in known if x),
                "total": len(known),
            }
        )
    schema = {
        "org_code": pl.String,
        "period": pl.Int64,
        "programme": pl.String,
        "months": pl.String,
        "group": pl.String,
        "events": pl.Int64,
        "total": pl.Int64,
    }
    counts = pl.DataFrame(rows, schema=schema, orient="row")
    if int(counts.filter(pl.col("group") == RECRUITS)["total"].sum()) == 0:
        return []  # no recruit seen in post before a retention point yet
    prog_schema = {k: v for k, v in schema.items() if k != "months"}
    prog = pl.DataFrame(progression, schema=prog_schema, orient="row")
    note = (
        f"recruits matched to the staff records by staff_id and followed across "
        f"{len(snapshots)} staff snapshots; other new starters: started {low:%d %b %Y} – "
        f"{high:%d %b %Y} in the recruits' pay bands ({', '.join(sorted(bands)) or 'none'})"
    )
    if lost:
        note += f"; {lost} recruit(s) not found in any staff snapshot after their start"
    retention_title = f"{programme}: still employed after 6 and 12 months (%)"
    out = rate_results(
        counts,
        id="programme.retention",
        title=retention_title,
        method=method("Retention"),
        breakdown=("programme", "months"),
    )
    out += likelihood_results(
        counts,
        id="programme.retention",
        title=f"{programme}: relative likelihood of programme recruits staying compared to the "
        "trust's other new starters",
        method=method("Retention"),
        first=RECRUITS,
        second=OTHERS,
        breakdown=("programme", "months"),
    )
    out += rate_results(
        prog,
        id="programme.progression",
        title=f"{programme}: in a higher pay band after 12 months (% of those still employed)",
        method=method("Retention"),
        breakdown=("programme",),
    )
    out += likelihood_results(
        prog,
        id="programme.progression",
        title=f"{programme}: relative likelihood of band progression, programme recruits "
        "compared to the trust's other new starters",
        method=method("Retention"),
        first=RECRUITS,
        second=OTHERS,
        breakdown=("programme",),
    )
    return [evolve(r, note=note) for r in out]
