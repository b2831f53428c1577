"""Benchmark: matching one person against 5,000 vacancies (issue 17).

- *model load*: the packaged WordLlama weights and tokenizer, read once per process;
- *embed from cold*: the 5,000 vacancies' texts embedded with an empty cache (each text is
  distinct: a job family's words plus the site and a reference);
- *index*: ``build_index`` (embeddings through a warm cache, site postcodes placed);
- *match*: one person against the index (hard rules, one embedding, distances, band fit,
  scores, the top 10 with reasons and every exclusion), best and median of --repeat runs.

Wall and CPU times are printed (CPU time is steadier on a shared machine).

Usage: python bench/bench_match.py [--vacancies 5000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import numpy as np


def vacancies(n: int, seed: int = 1) -> list[object]:
    from ladder import reference
    from ladder.matching.openings import Opening
    from ladder.synth.careers import JOBS

    rng = np.random.default_rng(seed)
    sites = (
        reference.postcodes()
        .filter(reference.postcodes()["pcds"].str.starts_with("E1 "))
        .get_column("pcds")
        .head(40)
        .to_list()
    )
    out: list[object] = []
    for i in range(n):
        job = JOBS[int(rng.integers(0, len(JOBS)))]
        site = sites[int(rng.integers(0, len(sites)))]
        out.append(
            Opening(
                kind="vacancy",
                id=f"V{i:05d}",
                org_code=("R1H", "RQX", "RF4", "RRV")[i % 4],
                title=job.title,
                description=f"{job.description} Based at {site}; reference V{i:05d}.",
                band=job.band,
                site_postcode=site,
                hours=37.5 if rng.random() < 0.75 else 22.5,
                closing_date=dt.date(2027, 2, 1),
                min_level=job.level,
                subject=job.subject,
                registration=job.registration,
                driving_licence=job.driving,
                shift_pattern=job.shifts[0],
                desirable=job.desirable,
            )
        )
    return out


def timed(work: object) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vacancies", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from ladder.matching import embed, geo
    from ladder.matching.person import person_from_dict
    from ladder.matching.rank import build_index, match

    openings = vacancies(args.vacancies)
    texts = [o.text for o in openings]  # type: ignore[attr-defined]
    geo.points(["E1 1BB"])  # the postcode table, read once per process (not the matching)

    wall, cpu, _ = timed(embed.model)
    print(f"model load:                 {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU")
    cache = embed.Cache()
    wall, cpu, _ = timed(lambda: cache.vectors(texts))
    print(
        f"embed {len(texts):,} from cold:     {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU"
    )
    wall, cpu, index = timed(lambda: build_index(openings, cache))  # type: ignore[arg-type]
    print(f"index (cache warm):         {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms CPU")

    person = person_from_dict(
        {
            "right_to_work": True,
            "postcode": "E1 1BB",
            "qualifications": [{"level": 2, "subject": "Health and Social Care"}],
            "max_hours": 37.5,
            "experience": "I looked after my mother at home: washing, dressing, meals.",
            "interests": "caring for patients in a hospital",
        }
    )
    walls, cpus = [], []
    result = None
    for _ in range(args.repeat):
        w, c, result = timed(lambda: match(person, index, top=10, today=dt.date(2027, 1, 10)))  # type: ignore[arg-type]
        walls.append(w)
        cpus.append(c)
    assert result is not None
    print(
        f"match 1 person × {len(index):,}:  best {min(walls) * 1000:6.1f} ms, median "  # type: ignore[arg-type]
        f"{statistics.median(walls) * 1000:6.1f} ms wall; median "
        f"{statistics.median(cpus) * 1000:6.1f} ms CPU "
        f"({result.eligible:,} eligible, {len(result.excluded):,} ruled out)"  # type: ignore[attr-defined]
    )


if __name__ == "__main__":
    main()
