"""Benchmark: validating a country-scale ACLED file with the CLI, against pandas.read_csv.

    .venv/bin/python benchmarks/bench_country.py [--rows 300000 1000000] [--runs 3]
        [--dir /tmp/bench-country]

Writes synthetic ACLED-shaped CSV files (every column of an ACLED export: actors,
interaction codes, admin1-3, tags, source_scale, timestamp...; points drawn from the
bundled places, a year of event dates) of each size, once (kept in --dir), then, for
each file and in this one run, times two whole processes taking turns, A B A B ...:

- A: `python -m dashboard validate FILE --json` (output thrown away);
- B: `python -c "import pandas, sys; pandas.read_csv(sys.argv[1])" FILE` (the baseline).

Each process's wall time (a monotonic clock around start and exit), its CPU time (user +
system, of the reaped child and its threads) and its peak resident memory (the kernel's
ru_maxrss, os.wait4) are recorded; printed are the medians, and the ratios A/B of each
pair's wall and CPU time (their medians) and of the median peaks. On a shared machine
CPU time is the steadier figure; the load average is printed at the start and end.
Start-up (imports, loading the bundled layers) is in A's time, as a reader running the
command pays it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.ingest.bundle import load_bundle  # noqa: E402
from dashboard.model.mexico import BY_CODE  # noqa: E402

SUB_EVENTS = {  # ACLED codebook: event type -> some of its sub-event types
    "Battles": ["Armed clash"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Mob violence", "Violent demonstration"],
    "Strategic developments": ["Arrests", "Looting/property destruction"],
    "Explosions/Remote violence": ["Remote explosive/landmine/IED", "Grenade"],
}
ACTORS = [
    "Unidentified Armed Group (Mexico)",
    "Police Forces of Mexico (2018-2024)",
    "Military Forces of Mexico (2018-2024)",
    "CJNG: Jalisco New Generation Cartel",
    "Protesters (Mexico)",
    "Civilians (Mexico)",
    "",
]


def acled_country_file(bundle, n: int, seed: int = 7) -> pd.DataFrame:
    """n ACLED-shaped rows (export-tool columns and forms) over a year, at bundled places."""
    rng = np.random.default_rng(seed)
    locations = bundle.locations
    pick = rng.integers(0, len(locations), n)
    kinds = list(SUB_EVENTS)
    kind = rng.integers(0, len(kinds), n)
    event_type = np.array(kinds, dtype=object)[kind]
    sub = np.array([SUB_EVENTS[k][i % len(SUB_EVENTS[k])] for i, k in enumerate(event_type)])
    days = pd.Timestamp("2025-03-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    actors = np.array(ACTORS, dtype=object)
    return pd.DataFrame(
        {
            "event_id_cnty": [f"MEX{i}" for i in range(n)],
            "event_date": days.strftime("%d %B %Y"),
            "year": days.year,
            "time_precision": rng.choice([1, 2, 3], n, p=[0.85, 0.1, 0.05]),
            "disorder_type": "Political violence",
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1": actors[rng.integers(0, len(ACTORS) - 1, n)],
            "assoc_actor_1": rng.choice(["", "Women (Mexico)", "Teachers (Mexico)"], n),
            "inter1": rng.choice(["State forces", "Political militia", "Civilians"], n),
            "actor2": actors[rng.integers(0, len(ACTORS), n)],
            "assoc_actor_2": "",
            "inter2": rng.choice(["", "Civilians", "State forces"], n),
            "interaction": rng.choice(["Political militia-Civilians", "State forces only"], n),
            "civilian_targeting": rng.choice(["", "Civilian targeting"], n),
            "iso": 484,
            "region": "Central America",
            "country": "Mexico",
            "admin1": [BY_CODE[c].name for c in locations.cve_ent.to_numpy()[pick]],
            "admin2": locations.municipality.to_numpy()[pick],
            "admin3": "",
            "location": locations.place.to_numpy()[pick],
            "latitude": locations.geometry.y.to_numpy()[pick].round(4),
            "longitude": locations.geometry.x.to_numpy()[pick].round(4),
            "geo_precision": rng.choice([1, 2, 3], n, p=[0.7, 0.25, 0.05]),
            "source": rng.choice(["El Universal", "Milenio; Reforma", "Zona Franca"], n),
            "source_scale": rng.choice(["National", "Subnational", "New media"], n),
            "notes": [
                f"On {d}, a synthetic event number {i} was reported in the place named."
                for i, d in enumerate(days.strftime("%d %B %Y"))
            ],
            "fatalities": rng.choice([0, 0, 0, 1, 2, 5], n),
            "tags": rng.choice(["", "crowd size=no report", "women targeted: girls"], n),
            "timestamp": 1_740_000_000 + rng.integers(0, 30_000_000, n),
        }
    )


def run(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one whole process, output thrown
    away."""
    start = time.monotonic()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[300_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/bench-country"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"{when}; {os.cpu_count()} CPUs; load average at the start: {load}")
    print(f"{args.runs} pairs per file, A (validate) and B (read_csv) taking turns\n")
    bundle = None
    python = sys.executable
    print(
        "| rows | MB | validate wall / CPU (median) | read_csv wall / CPU (median) | ratio "
        "wall / CPU (median of pairs) | validate peak MB | read_csv peak MB | peak ratio |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for rows in args.rows:
        path = args.dir / f"acled-{rows}.csv"
        if not path.exists():
            bundle = bundle or load_bundle()
            acled_country_file(bundle, rows).to_csv(path, index=False)
        check = [python, "-m", "dashboard", "validate", str(path), "--json"]
        baseline = [python, "-c", "import pandas, sys; pandas.read_csv(sys.argv[1])", str(path)]
        ours, base = [], []
        for _ in range(args.runs):
            ours.append(run(check))
            base.append(run(baseline))
        ours, base = np.array(ours), np.array(base)
        wall, cpu = (np.median(ours[:, k] / base[:, k]) for k in (0, 1))
        a, b = np.median(ours, axis=0), np.median(base, axis=0)
        print(
            f"| {rows:,} | {path.stat().st_size / 1e6:,.0f} | {a[0]:.1f} s / {a[1]:.1f} s | "
            f"{b[0]:.1f} s / {b[1]:.1f} s | {wall:.1f}x / {cpu:.1f}x | {a[2]:,.0f} | "
            f"{b[2]:,.0f} | {a[2] / b[2]:.1f}x |",
            flush=True,
        )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nload average at the end: {load}")


if __name__ == "__main__":
    main()
