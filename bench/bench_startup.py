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


def best_of(command: list[str], repeat: int) -> float:
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    times = {name: best_of(command, args.repeat) for name, command in CASES.items()}
    floor = times["python -c pass"]
    help_time = times["ladder --help"]
    print(f"Start-up, best of {args.repeat} (fresh interpreter each):")
    for name, seconds in times.items():
        print(f"  {name:<52} {seconds:6.3f} s   {seconds / help_time:5.2f}x ladder --help")
    print(f"  ladder --help above the bare interpreter: {help_time - floor:.3f} s")
    worst = max(v for k, v in times.items() if k.startswith("ladder "))
    print(f"  slowest command start: {worst:.3f} s (target <= 0.300 s)")


if __name__ == "__main__":
    main()
