"""Benchmark validating analysts' files, against pandas.read_csv of the same file.

    .venv/bin/python benchmarks/bench_validate.py [--rows 100000] [--runs 5]

Builds three files in memory, then times, in this one run and as medians of --runs (wall
clock and process CPU; the two take turns in every run), pandas.read_csv(file) (the
baseline) and dashboard.validate.validate_incidents(file):

- ours: the project's schema, every row with its own point (latitude/longitude/cve_ent);
- acled: an ACLED export (22 February 2026 dates, admin1 names) of the same row count;
- hostile: a ~4.9 MB CSV with ten bad fields per row (bounded report: first 1,000
  problems and totals per kind), with the peak memory the check allocates.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.bundle import load_bundle  # noqa: E402
from dashboard.mexico import BY_CODE  # noqa: E402
from dashboard.validate import validate_incidents  # noqa: E402


def places(bundle, n: int, rng) -> pd.DataFrame:
    """n points drawn from the bundled places (so inside their states)."""
    locations = bundle.locations
    pick = rng.integers(0, len(locations), n)
    return pd.DataFrame(
        {
            "lat": locations.geometry.y.to_numpy()[pick].round(5),
            "lon": locations.geometry.x.to_numpy()[pick].round(5),
            "cve_ent": locations.cve_ent.to_numpy()[pick],
            "municipality": locations.municipality.to_numpy()[pick],
            "place": locations.place.to_numpy()[pick],
        }
    )


def our_file(bundle, n: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    where = places(bundle, n, rng)
    minutes = rng.integers(0, 3 * 24 * 60, n)
    starts = pd.Timestamp("2026-02-22T00:00") + pd.to_timedelta(minutes, unit="min")
    frame = pd.DataFrame(
        {
            "incident_id": [f"syn-{i}" for i in range(n)],
            "start": starts.strftime("%Y-%m-%dT%H:%M") + "-06:00",
            "end": "",
            "time_precision": rng.choice(["minute", "hour", "day"], n),
            "part_of_day": "",
            "event_type": rng.choice(["blockade", "vehicle_arson", "business_arson"], n),
            "blockades": rng.choice(["", "1", "2"], n),
            "fatalities": rng.choice(["", "0", "1"], n),
            "injured": "",
            "arrested": "",
            "summary": [f"Synthetic incident {i} on a main road." for i in range(n)],
            "source_url": [f"https://example.org/report/{i}" for i in range(n)],
            "source_outlet": "Example",
            "source_date": "2026-02-22",
            "more_source_urls": "",
            "confidence": rng.choice(["high", "medium", "low"], n),
            "disputed": "false",
            "notes": "",
            "latitude": where.lat,
            "longitude": where.lon,
            "cve_ent": where.cve_ent,
            "geo_precision": rng.choice(["1", "2"], n),
            "place": where.place,
            "municipality": where.municipality,
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def acled_file(bundle, n: int, seed: int = 2) -> bytes:
    rng = np.random.default_rng(seed)
    where = places(bundle, n, rng)
    days = pd.Timestamp("2026-02-22") + pd.to_timedelta(rng.integers(0, 7, n), unit="D")
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"MEX{i}" for i in range(n)],
            "event_date": days.strftime("%d %B %Y"),
            "year": 2026,
            "time_precision": rng.choice([1, 2, 3], n, p=[0.8, 0.15, 0.05]),
            "disorder_type": "Political violence",
            "event_type": "Violence against civilians",
            "sub_event_type": rng.choice(["Attack", "Armed clash", "Arrests"], n),
            "actor1": "Unidentified Armed Group (Mexico)",
            "admin1": [BY_CODE[c].name for c in where.cve_ent],
            "admin2": where.municipality,
            "location": where.place,
            "latitude": where.lat,
            "longitude": where.lon,
            "geo_precision": rng.choice([1, 2, 3], n),
            "source": "Example Outlet",
            "notes": [f"Synthetic event {i}." for i in range(n)],
            "fatalities": rng.integers(0, 3, n),
        }
    )
    return frame.to_csv(index=False).encode("utf-8")


def hostile_file(target_bytes: int = 4_900_000) -> bytes:
    header = (
        "incident_id,start,time_precision,event_type,blockades,fatalities,injured,"
        "arrested,summary,source_url,confidence,disputed,latitude,longitude\n"
    )
    row = "h{i},soon,x,x,x,x,x,x,A row.,x,x,x,20.6,-103.3\n"
    rows, size, i = [header], len(header), 0
    while size < target_bytes:
        line = row.format(i=i)
        rows.append(line)
        size += len(line)
        i += 1
    return "".join(rows).encode()


def timed(action) -> tuple[float, float]:
    """Wall-clock and process CPU seconds of one call (CPU time is steadier on a busy box)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - start_cpu


def median_seconds(actions, runs: int) -> list[tuple[float, float]]:
    """(median wall, median CPU) seconds of each action, the actions taking turns in every
    run so that a change in the machine's load falls on the baseline and the check alike."""
    times: list[list[tuple[float, float]]] = [[] for _ in actions]
    for _ in range(runs):
        for action, samples in zip(actions, times, strict=True):
            samples.append(timed(action))
    return [
        (statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples))
        for samples in times
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    bundle = load_bundle()
    files = {
        "ours (own points)": our_file(bundle, args.rows),
        "ACLED export": acled_file(bundle, args.rows),
        "hostile (10 bad fields a row)": hostile_file(),
    }
    print(
        "| file | rows | MB | read_csv wall | validate wall | ratio | read_csv CPU | "
        "validate CPU | ratio | valid rows | problems (kept) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, data in files.items():

        def check(data=data):
            return validate_incidents(data, "bench.csv", bundle.locations, bundle.states)

        check()  # warm caches (prepared polygons, imports)
        (base_wall, base_cpu), (wall, cpu) = median_seconds(
            [lambda data=data: pd.read_csv(io.BytesIO(data)), check], args.runs
        )
        frame, report = check()
        rows = data.count(b"\n") - 1
        print(
            f"| {label} | {rows:,} | {len(data) / 1e6:.1f} | {base_wall * 1000:,.0f} ms | "
            f"{wall * 1000:,.0f} ms | {wall / base_wall:.1f}× | {base_cpu * 1000:,.0f} ms | "
            f"{cpu * 1000:,.0f} ms | {cpu / base_cpu:.1f}× | {len(frame):,} | "
            f"{report.error_count + report.warning_count:,} ({len(report.problems):,}) |"
        )
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    tracemalloc.start()
    validate_incidents(
        files["hostile (10 bad fields a row)"], "bench.csv", bundle.locations, bundle.states
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nhostile file: peak Python allocation during the check {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
