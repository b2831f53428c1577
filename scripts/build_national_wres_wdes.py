"""Build src/ladder/reference/data/national_wres_wdes.csv: one row per national WRES/WDES figure.

Source: /work/shared/data/wres_wdes_national/ (national_wres_wdes.csv, one row per figure per
source, and national_wres_wdes_flags.csv, the kind of source and a quality flag per row).
For each standard × indicator × report year × group the best-sourced row is kept: NHS England
primary first, then NHS England releases reprinted, then government, then secondary sources,
then NHS trust pages quoting a national figure; within a rank an 'ok' flag first. Where the
sources give different values the row's quality is 'conflict' and ``other_values`` lists
them. Figures given only in words ("a third") are left out. Nothing is computed.

    python scripts/build_national_wres_wdes.py [SOURCE_DIR]
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/wres_wdes_national")
OUT = Path(__file__).resolve().parents[1] / "src/ladder/reference/data/national_wres_wdes.csv"
RANK = {
    "NHSE primary": 0,
    "NHSE press-release mirror": 1,
    "NHSE press-release mirror (reprint)": 1,
    "press (reprints NHSE release)": 2,
    "UK government (Ethnicity facts and figures)": 3,
    "secondary (press / professional body / think tank)": 4,
    "NHS trust page quoting national figure": 5,
}
COLUMNS = [
    "standard",
    "indicator",
    "report_year",
    "group",
    "value",
    "unit",
    "quality",
    "source_type",
    "other_values",
    "flag",
    "source_url",
]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        match = re.search(r"=\s*([0-9]+(?:\.[0-9]+)?)", text)
        return float(match.group(1)) if match else None


def _quality(flag: str) -> str:
    head = flag.split(":", 1)[0].split(" ", 1)[0].strip().lower()
    return head if head in ("ok", "approx", "uncertain", "conflict", "truncated") else "uncertain"


def main() -> None:
    with (SOURCE / "national_wres_wdes.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (SOURCE / "national_wres_wdes_flags.csv").open(encoding="utf-8") as f:
        flags = {int(r["row"]): r for r in csv.DictReader(f)}
    cells: dict[tuple[str, str, int, str], list[dict[str, object]]] = {}
    for number, row in enumerate(rows, start=1):
        value = _number(row["value"])
        if value is None:
            continue
        flag = flags[number]
        label = re.fullmatch(r"(WRES|WDES) (20\d\d)", row["year_label"].strip())
        if label is None:
            continue  # back-series, context or relabelled rows: not a report year's figure
        year = int(label.group(2))
        key = (row["standard"], row["indicator"], year, row["group"])
        cells.setdefault(key, []).append(
            {
                "value": value,
                "unit": row["unit"],
                "source_type": flag["source_type"],
                "flag": flag["flag"],
                "source_url": row["source_url"],
            }
        )
    out: list[dict[str, object]] = []
    for key in sorted(cells):
        found = sorted(
            cells[key],
            key=lambda c: (RANK.get(str(c["source_type"]), 9), _quality(str(c["flag"])) != "ok"),
        )
        best = found[0]
        others = sorted(
            {f"{c['value']:g} ({c['source_type']})" for c in found if c["value"] != best["value"]}
        )
        quality = "conflict" if others else _quality(str(best["flag"]))
        if quality == "conflict" and not others:
            quality = "ok"
        standard, indicator, year, group = key
        out.append(
            {
                "standard": standard,
                "indicator": indicator,
                "report_year": year,
                "group": group,
                "value": f"{best['value']:g}",
                "unit": best["unit"],
                "quality": quality,
                "source_type": best["source_type"],
                "other_values": "; ".join(others),
                "flag": best["flag"],
                "source_url": best["source_url"],
            }
        )
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(out)
    print(f"wrote {len(out)} figures to {OUT}")


if __name__ == "__main__":
    main()
