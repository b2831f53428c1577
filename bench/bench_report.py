"""Time `ladder report --pdf --xlsx` for one large trust, by stage (CPU and wall).

    python bench/bench_report.py [DATA] [--org R1H]

DATA defaults to bench/out/one-trust (25,000 staff; bench/bench_metrics.py makes it).
Prints wall and CPU seconds for computing the indicators, the HTML, the PDF and the XLSX.
Nothing here is a test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from ladder.metrics import Settings, load, run
from ladder.reports import xlsx
from ladder.reports.html import render_html
from ladder.reports.pdf import write_pdf


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    data = Path(args[0] if args else "bench/out/one-trust")
    org = sys.argv[sys.argv.index("--org") + 1] if "--org" in sys.argv else None
    stages: list[tuple[str, float, float]] = []
    wall, cpu = _clock()
    loaded = load(data, settings=Settings(threshold=10))
    results = run(loaded.context).results
    loaded.close()
    stages.append(("indicators", *(b - a for a, b in zip((wall, cpu), _clock(), strict=True))))
    code = org or sorted({r.org for r in results})[0]
    period = max(r.period for r in results if r.org == code)
    with tempfile.TemporaryDirectory() as out:
        wall, cpu = _clock()
        html = render_html(results, code, period)
        stages.append(("html", *(b - a for a, b in zip((wall, cpu), _clock(), strict=True))))
        wall, cpu = _clock()
        write_pdf(html, Path(out) / "r.pdf")
        stages.append(("pdf", *(b - a for a, b in zip((wall, cpu), _clock(), strict=True))))
        wall, cpu = _clock()
        mine = [r for r in results if r.org == code and r.period == period]
        xlsx.write_workbook(mine, code, period, Path(out) / "r.xlsx")
        stages.append(("xlsx", *(b - a for a, b in zip((wall, cpu), _clock(), strict=True))))
    for name, w, c in stages:
        print(f"{name:<11} wall {w:6.2f} s   cpu {c:6.2f} s")
    wall_total, cpu_total = sum(s[1] for s in stages), sum(s[2] for s in stages)
    print(f"{'total':<11} wall {wall_total:6.2f} s   cpu {cpu_total:6.2f} s")


if __name__ == "__main__":
    main()
