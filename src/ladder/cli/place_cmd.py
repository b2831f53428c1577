"""``ladder place`` (postcode / LSOA → deprivation) and ``ladder reference import-postcodes``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ladder.cli.console import console, err_console, fail
from ladder.place.editions import Edition, EditionNotShipped
from ladder.place.lookup import DOMAINS, PlaceResult, lookup_lsoas, lookup_postcodes

_DOMAIN_HEADS = ("Inc", "Emp", "Edu", "Hlth", "Crime", "Barr", "Env")


class PlaceFormat(StrEnum):
    """Output of ``ladder place``."""

    table = "table"
    json = "json"


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _print(results: list[PlaceResult], output: PlaceFormat, edition: Edition) -> None:
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
        try:
            results = lookup_lsoas(codes, edition, bridge=bridge)
        except EditionNotShipped as exc:
            fail(str(exc))
        _print(results, output, edition)

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
