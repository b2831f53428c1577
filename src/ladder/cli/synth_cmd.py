"""``ladder synth``: write synthetic NHS trust data (thin front on :mod:`ladder.synth`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ladder.cli.console import checked_out_folder


def synth(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the six datasets to.")],
    orgs: Annotated[
        int | None,
        typer.Option("--orgs", help="Number of trusts (default 2, or all of --trusts)."),
    ] = None,
    staff: Annotated[
        int, typer.Option("--staff", help="Typical staff per trust (the first trust is ~2x).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same files.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="File format: csv or parquet.")] = "csv",
    messy: Annotated[
        bool,
        typer.Option(
            "--messy",
            help="Write real-export style (aliases, labels, cp1252, a few "
            "invalid rows listed in messy_manifest.json).",
        ),
    ] = False,
    trusts: Annotated[
        str | None,
        typer.Option(
            "--trusts",
            help="Comma-separated ODS codes to use instead of the default "
            "list (R1H, RR8, then all open trusts by code).",
        ),
    ] = None,
    period: Annotated[int, typer.Option("--period", help="Year of the 31 March snapshot.")] = 2024,
) -> None:
    """Write synthetic data of every dataset, from staff to vacancies, routes and contracted
    staff."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from ladder.synth import SynthConfig, TrustDone, generate
    from ladder.synth.writer import Format

    if fmt not in ("csv", "parquet"):
        raise typer.BadParameter("use csv or parquet", param_hint="--format")
    chosen: Format = "csv" if fmt == "csv" else "parquet"
    checked_out_folder(out)
    codes = tuple(c.strip().upper() for c in trusts.split(",") if c.strip()) if trusts else None
    config = SynthConfig(
        out=out,
        orgs=orgs,
        staff=staff,
        seed=seed,
        fmt=chosen,
        messy=messy,
        trusts=codes,
        period=period,
    )
    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]synth[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("trusts", total=None)

        def report(done: TrustDone) -> None:
            progress.update(
                task, total=done.total, completed=done.done, description=f"{done.org_code:<6}"
            )

        try:
            result = generate(config, report)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
        except OSError as exc:
            progress.stop()
            console.print(f"Error: cannot write to {out} ({exc.strerror or exc})")
            raise typer.Exit(1) from None
    total = sum(result.rows.values())
    console.print(
        f"Wrote {total:,} synthetic rows for {len(result.trusts)} trusts to {result.out} "
        f"(see README.txt)."
    )
    for kind, n in result.rows.items():
        console.print(f"  {result.files[kind].name:<22} {n:>12,}")


def register(app: typer.Typer) -> None:
    """Add the ``synth`` command to ``app``."""
    app.command("synth")(synth)
