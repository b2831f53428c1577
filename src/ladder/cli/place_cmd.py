"""``ladder place`` (postcode / LSOA → deprivation) and ``ladder reference import-postcodes``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ladder.cli.console import console, err_console, fail
from ladder.cli.options import EngineOption, ThresholdOption
from ladder.engines import EngineName
from ladder.metrics import DEFAULT_THRESHOLD
from ladder.place.editions import Edition

if TYPE_CHECKING:  # the place modules (Polars) load when a command runs, not at start-up
    from ladder.metrics.neighbourhoods import NeighbourhoodView
    from ladder.place.lookup import PlaceResult
    from ladder.place.matching import PlaceMatch

_DOMAIN_HEADS = ("Inc", "Emp", "Edu", "Hlth", "Crime", "Barr", "Env")


class NeighbourhoodFormat(StrEnum):
    """Output of ``ladder place neighbourhoods``."""

    table = "table"
    json = "json"
    csv = "csv"


def print_neighbourhoods(
    views: list[NeighbourhoodView], output: NeighbourhoodFormat, threshold: int
) -> None:
    """Print the views as Rich tables, JSON or CSV (one CSV row per neighbourhood)."""
    from rich.table import Table

    from ladder.app.formats import neighbourhoods_csv, neighbourhoods_json
    from ladder.metrics.neighbourhoods import count_text
    from ladder.place.lookup import DOMAINS
    from ladder.place.neighbourhoods import KIND_LABELS

    if output is NeighbourhoodFormat.json:
        typer.echo(neighbourhoods_json(views, threshold))
        return
    if output is NeighbourhoodFormat.csv:
        text = neighbourhoods_csv(views, threshold)
        if text:
            typer.echo(text, nl=False)
        return
    for v in views:
        title = (
            f"{v.org + ' — ' if v.org else ''}the most deprived {v.percent}% of neighbourhoods "
            f"nationally (IMD 2019){f', {v.period}' if v.period else ''}"
        )
        table = Table(title=title, caption=f"Catchment: {v.catchment}", caption_justify="left")
        for head in ("LSOA 2021", "Name", "Priority"):
            table.add_column(head)
        for head in ("IMD rank", "Population", *_DOMAIN_HEADS):
            table.add_column(head, justify="right")
        with_distance = any(r.distance_km is not None for r in v.rows)
        if with_distance:
            table.add_column("km", justify="right")
        for kind in v.kinds:
            table.add_column(KIND_LABELS[kind].replace("Programme p", "P"), justify="right")
        for r in v.rows:
            cells = [
                r.lsoa21,
                r.name,
                r.priority,
                f"{r.imd_rank:,}",
                f"{r.population:,}",
                *(str(r.domain_deciles[d]) for d in DOMAINS),
            ]
            if with_distance:
                cells.append("—" if r.distance_km is None else f"{r.distance_km:.1f}")
            cells += [count_text(r.counts.get(k), threshold) for k in v.kinds]
            table.add_row(*cells)
        console.print(table)
        console.print(
            f"{len(v.rows):,} of the catchment's {v.catchment_lsoas:,} LSOAs; "
            f"{v.population:,} of its {v.catchment_population:,} residents (Census 2021). "
            "Domain columns: national deciles (1 = most deprived 10%).",
            highlight=False,
        )
        for kind in v.kinds:
            console.print(
                f"{KIND_LABELS[kind]} from these neighbourhoods: "
                f"{count_text(v.totals.get(kind), threshold)}",
                highlight=False,
            )
        if v.kinds:
            console.print(
                f"[dim]Counts from 1 to {threshold - 1}, and the counts they could be derived "
                "from, are shown as 'withheld'.[/]",
                highlight=False,
            )


def print_match(report: PlaceMatch, output: NeighbourhoodFormat, limit: int) -> None:
    """Print a :class:`PlaceMatch` as tables, JSON or CSV (CSV: the unmatched values)."""
    from rich.table import Table

    from ladder.app.formats import match_csv, match_json

    if output is NeighbourhoodFormat.json:
        typer.echo(match_json(report))
        return
    if output is NeighbourhoodFormat.csv:
        typer.echo(match_csv(report), nl=False)
        return
    summary = Table(title="Home areas matched to the postcode and LSOA lookup")
    summary.add_column("Dataset")
    for head in ("Records", "No home area", "Given", "Matched", "Not matched"):
        summary.add_column(head, justify="right")
    for d in report.datasets:
        share = f" ({100 * d.matched / d.given:.1f}%)" if d.given else ""
        summary.add_row(
            d.kind,
            f"{d.records:,}",
            f"{d.missing:,}",
            f"{d.given:,}",
            f"{d.matched:,}{share}",
            f"{d.unmatched:,}",
        )
    console.print(summary)
    for note in report.notes:
        err_console.print(f"Note: {note}", highlight=False, soft_wrap=True)
    values = report.values
    if values.is_empty():
        console.print("Every home postcode and LSOA given was found.")
        return
    shown = values if limit == 0 else values.head(limit)
    table = Table(title=f"Not matched ({values.height:,} distinct values)")
    for head in ("Dataset", "Field", "Value", "Records", "Why"):
        table.add_column(head, justify="right" if head == "Records" else "left")
    for kind, field_name, value, records, reason in shown.iter_rows():
        table.add_row(kind, field_name, value, f"{records:,}", reason)
    console.print(table)
    if shown.height < values.height:
        console.print(
            f"{values.height - shown.height:,} more: --limit 0 shows all, --format csv writes them",
            highlight=False,
        )
    console.print(
        "[dim]These are personal data: a check of your own data, not for publication.[/]",
        highlight=False,
    )


class PlaceFormat(StrEnum):
    """Output of ``ladder place``."""

    table = "table"
    json = "json"


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _print(results: list[PlaceResult], output: PlaceFormat, edition: Edition) -> None:
    from rich.table import Table

    from ladder.place.lookup import DOMAINS

    if output is PlaceFormat.json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        table = Table(title=f"Deprivation: {edition.label}; rank 1 = most deprived")
        for head in ("Input", "LSOA 2021", "LSOA 2011", "Bridge", "Local authority"):
            table.add_column(head)
        for head in ("IMD score", "Rank", "Decile", *_DOMAIN_HEADS):
            table.add_column(head, justify="right")
        for r in results:
            if not r.ok:
                continue
            table.add_row(
                r.postcode or r.input,
                _text(r.lsoa21),
                ", ".join(r.lsoa11) or "—",
                _text(None if r.bridge is None else r.bridge.value),
                f"{_text(r.local_authority_name)} ({_text(r.local_authority)})",
                _text(r.imd_score),
                "—" if r.imd_rank is None else f"{r.imd_rank:,} of {edition.lsoa_count:,}",
                _text(r.imd_decile),
                *(_text(r.domain_deciles.get(d)) for d in DOMAINS),
            )
        if any(r.ok for r in results):
            console.print(table)
        for r in results:
            if r.ok and r.note:
                console.print(f"{r.postcode or r.input}: {r.note}", highlight=False)
        bridges = {r.bridge for r in results if r.ok and r.bridge is not None}
        for bridge in sorted(bridges):
            note = next(r.bridge_note for r in results if r.bridge is bridge)
            console.print(f"[dim]Bridge {note}[/]", highlight=False)
    bad = [r for r in results if not r.ok]
    for r in bad:
        err_console.print(
            f"[bold red]Unmatched:[/] {r.input!r}: {r.reason}", highlight=False, soft_wrap=True
        )
    if bad:
        err_console.print(f"{len(bad)} of {len(results)} input(s) invalid or unmatched.")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``place`` and ``reference``."""
    place = typer.Typer(help="Postcode or LSOA → local authority and deprivation (IMD).")
    ref = typer.Typer(help="Reference data: import a newer ONS postcode directory.")
    app.add_typer(place, name="place")
    app.add_typer(ref, name="reference")

    @place.command("postcode")
    def postcode(
        codes: Annotated[list[str], typer.Argument(help="Postcodes, e.g. 'LS1 3EX' or ls13ex.")],
        edition: Annotated[Edition, typer.Option(help="imd2019 or imd2025.")] = Edition.IMD2019,
        output: Annotated[
            PlaceFormat, typer.Option("--format", "-f", help="table or json.")
        ] = PlaceFormat.table,
    ) -> None:
        """LSOA, local authority, IMD score, rank, decile and domain deciles of each postcode."""
        from ladder.place.editions import EditionNotShipped
        from ladder.place.lookup import lookup_postcodes

        try:
            results = lookup_postcodes(codes, edition)
        except EditionNotShipped as exc:
            fail(str(exc))
        _print(results, output, edition)

    @place.command("lsoa")
    def lsoa(
        codes: Annotated[list[str], typer.Argument(help="LSOA codes, e.g. E01000001.")],
        edition: Annotated[Edition, typer.Option(help="imd2019 or imd2025.")] = Edition.IMD2019,
        bridge: Annotated[
            bool,
            typer.Option("--bridge", help="Bridge 2021 LSOA codes to IMD 2019's 2011 LSOAs."),
        ] = False,
        output: Annotated[
            PlaceFormat, typer.Option("--format", "-f", help="table or json.")
        ] = PlaceFormat.table,
    ) -> None:
        """Local authority, IMD score, rank, decile and domain deciles of each LSOA."""
        from ladder.place.editions import EditionNotShipped
        from ladder.place.lookup import lookup_lsoas

        try:
            results = lookup_lsoas(codes, edition, bridge=bridge)
        except EditionNotShipped as exc:
            fail(str(exc))
        _print(results, output, edition)

    @place.command("neighbourhoods")
    def neighbourhoods_cmd(
        data: Annotated[
            Path | None,
            typer.Argument(help="A workspace or folder of datasets (for the counts); optional."),
        ] = None,
        org: Annotated[
            str | None, typer.Option(help="The organisation (ODS code); default: each in DATA.")
        ] = None,
        la: Annotated[
            list[str] | None,
            typer.Option("--la", help="Catchment local authority, code or name (repeatable)."),
        ] = None,
        site: Annotated[
            list[str] | None,
            typer.Option(help="Catchment site: trust code, postcode or 'lat,lon' (repeatable)."),
        ] = None,
        within: Annotated[
            float | None, typer.Option(min=0.1, help="Distance from the sites, in km.")
        ] = None,
        most_deprived: Annotated[
            int, typer.Option("--most-deprived", help="1 or 10: the most deprived 1% or 10%.")
        ] = 10,
        period: Annotated[int | None, typer.Option(help="Reporting year (default latest).")] = None,
        output: Annotated[
            NeighbourhoodFormat, typer.Option("--format", "-f", help="table, json or csv.")
        ] = NeighbourhoodFormat.table,
        engine: EngineOption = EngineName.polars,
        threshold: ThresholdOption = DEFAULT_THRESHOLD,
    ) -> None:
        """The most deprived neighbourhoods nationally (IMD 2019) within a catchment, with how
        many staff, applications and programme participants come from each.

        The catchment is the trust's own local authorities (those holding at least 5% of its
        published catchment) unless --la or --site/--within are given.
        """
        from ladder.app.place import (
            NeighbourhoodInputError,
            catchment_from,
            neighbourhoods,
        )
        from ladder.place.neighbourhoods import PERCENTS

        if most_deprived not in PERCENTS:
            fail(f"--most-deprived {most_deprived}: use 1 or 10", code=2)
        try:
            catchment = catchment_from(la or (), site or (), within)
            if data is None:
                views = neighbourhoods(None, org=org, catchment=catchment, percent=most_deprived)
            else:
                with console.status("Counting staff, applications and participants…"):
                    views = neighbourhoods(
                        data,
                        org=org,
                        period=period,
                        catchment=catchment,
                        percent=most_deprived,
                        engine=engine,
                        threshold=threshold,
                    )
        except NeighbourhoodInputError as exc:
            fail(str(exc))
        if not views:
            fail("no organisation with a known catchment: give --la or --site with --within")
        print_neighbourhoods(views, output, threshold)

    @place.command("match")
    def match_cmd(
        data: Annotated[Path, typer.Argument(help="A workspace, or a folder of dataset files.")],
        org: Annotated[str | None, typer.Option(help="Only this organisation.")] = None,
        output: Annotated[
            NeighbourhoodFormat, typer.Option("--format", "-f", help="table, json or csv.")
        ] = NeighbourhoodFormat.table,
        limit: Annotated[
            int, typer.Option(min=0, help="Unmatched values to show in the table (0 = all).")
        ] = 20,
        engine: EngineOption = EngineName.polars,
    ) -> None:
        """How the home postcodes and LSOAs of DATA matched the lookup, and which did not.

        Unmatched values are personal data: this is a check of your own data, not an output
        to publish.
        """
        from ladder.app.place import NeighbourhoodInputError, place_match

        try:
            with console.status("Looking up home postcodes and LSOAs…"):
                report = place_match(data, org=org, engine=engine)
        except NeighbourhoodInputError as exc:
            fail(str(exc))
        print_match(report, output, limit)

    @ref.command("import-postcodes")
    def import_postcodes_cmd(
        file: Annotated[Path, typer.Argument(help="ONS NSPL/ONSPD CSV, or the zip holding it.")],
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                help="Folder (default $LADDER_REFERENCE_DIR or ~/.local/share/ladder/reference).",
            ),
        ] = None,
    ) -> None:
        """Load a newer ONS postcode directory; the place look-ups then prefer it."""
        from rich.table import Table

        from ladder.place.postcodes_import import PostcodeImportError, import_postcodes

        try:
            with console.status(f"Converting {file.name} (Polars, streaming)…"):
                summary = import_postcodes(file, out)
        except (PostcodeImportError, OSError) as exc:
            fail(str(exc))
        table = Table(title=f"Imported {file.name} in {summary.seconds:.1f} s")
        table.add_column("Count")
        table.add_column("Rows", justify="right")
        table.add_row("Rows read", f"{summary.rows_read:,}")
        table.add_row("Kept (England and Wales)", f"{summary.kept:,}")
        table.add_row("  of which terminated", f"{summary.terminated:,}")
        table.add_row("  of which missing LSOA", f"{summary.missing_lsoa:,}")
        table.add_row("Not England or Wales (dropped)", f"{summary.not_england_wales:,}")
        console.print(table)
        console.print(f"Wrote {summary.out}", highlight=False, soft_wrap=True)
