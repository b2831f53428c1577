"""Benchmark: how long the command line takes to start, and what importing it loads.

Each command is run in a fresh interpreter (as a user runs it), best of --repeat runs:

- ``python -c pass``: the interpreter alone (the floor);
- ``import typer, rich.console``: the CLI framework (what every command needs);
- ``ladder --help``, ``ladder metrics --help``, ``ladder validate --help``, ``ladder report
  --help``: the command line's own start;
- ``import polars, narwhals, sqlalchemy``: what every command paid before the imports moved
  into the commands (for the ratio).

Target (issue 11): ``ladder --help`` and a command's own start ≤ 0.3 s on this machine. The
structure behind it is tested (tests/test_layers.py: ``import ladder.cli.app`` loads none of
polars, narwhals, sqlalchemy, altair, weasyprint); the times are only printed here.

Usage: python bench/bench_startup.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

CASES: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import typer, rich.console": [sys.executable, "-c", "import typer, rich.console"],
    "ladder --help": [sys.executable, "-m", "ladder", "--help"],
    "ladder metrics --help": [sys.executable, "-m", "ladder", "metrics", "--help"],
    "ladder validate --help": [sys.executable, "-m", "ladder", "validate", "--help"],
    "ladder report --help": [sys.executable, "-m", "ladder", "report", "--help"],
    "import polars, narwhals, sqlalchemy (the old floor)": [
        sys.executable,
        "-c",
        "import polars, narwhals, sqlalchemy.orm, alembic.command",
    ],
}


def best_of(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (user + system) of the command's process.

    The CPU time is what the start costs on an idle machine; the wall time also holds any
    wait for a core when the machine is busy (2 cores shared here)."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times = {name: best_of(command, args.repeat) for name, command in CASES.items()}
    old = times["import polars, narwhals, sqlalchemy (the old floor)"][1]
    print(
        f"Start-up, best of {args.repeat} (fresh interpreter each; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    print(f"  {'':<52} {'wall':>8} {'cpu':>8}  cpu vs the old floor")
    for name, (wall, cpu) in times.items():
        print(f"  {name:<52} {wall:6.3f} s {cpu:6.3f} s  {cpu / old:5.2f}x")
    worst = max(v[1] for k, v in times.items() if k.startswith("ladder "))
    print(f"  slowest command start (cpu): {worst:.3f} s (target <= 0.300 s)")


if __name__ == "__main__":
    main()
